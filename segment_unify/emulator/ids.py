"""Identifiers, secrets and timestamps shaped like Segment's.

Segment's object ids are random alphanumerics (22 characters for workspace objects such as
sources, destinations and warehouses; 27 for Unify objects, like KSUIDs); write keys are 32
characters. Tokens are never stored: only their SHA-256 digest is kept, so a state dump or
the request log cannot leak one.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
import unicodedata
from datetime import datetime, timezone

_ALPHANUMERIC = string.ascii_letters + string.digits

OBJECT_ID_LENGTH = 22
UNIFY_ID_LENGTH = 27
WRITE_KEY_LENGTH = 32


def new_id(length: int = OBJECT_ID_LENGTH, prefix: str = "") -> str:
    """A random alphanumeric id, optionally prefixed (`spa_`, `aud_`)."""
    return prefix + "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def new_write_key() -> str:
    return new_id(WRITE_KEY_LENGTH)


def now_iso() -> str:
    """Current UTC time as Segment renders it: `2024-05-01T12:00:00.123Z`."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def digest(secret: str) -> str:
    """One-way digest under which tokens are looked up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def snake_case(name: str) -> str:
    """Trait key derived from a display name: `Total Calls (30d)` -> `total_calls_30d`, accented
    letters folded to their base letters first (`Données` -> `donnees`), as Segment's app does."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", name.strip()) if not unicodedata.combining(ch)
    )
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", folded)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")
