"""Pulumi ids of nested objects, and autonaming as Pulumi's own providers do it."""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from collections.abc import Sequence

from segment_unify.provider.errors import SegmentResourceError

AUTONAME_BASE = "autoname_base"
AUTONAMED = "autonamed"


def join_id(*parts: str) -> str:
    return "/".join(parts)


def split_id(id_: str, names: Sequence[str]) -> list[str]:
    """Split a composite import id such as ``<spaceId>/<computedTraitId>``."""
    parts = id_.split("/")
    if len(parts) != len(names) or not all(parts):
        shape = "/".join(f"<{n}>" for n in names)
        raise SegmentResourceError(f"expected an id of the form {shape}, got {id_!r}")
    return parts


AUTONAME_ALPHABET = string.ascii_lowercase + string.digits
AUTONAME_SUFFIX_LENGTH = 7


AUTONAME_FALLBACK = "segment"


def ascii_fold(text: str) -> str:
    """``text`` in ASCII: accents dropped (``Données`` -> ``Donnees``), other scripts removed.

    Segment's slugs are ASCII, and names pass through systems that may not be Unicode-safe.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii())


def _autoname_stem(base: str, *, slug: bool) -> str:
    folded = ascii_fold(base)
    if slug:
        cleaned = "".join(ch if ch.isalnum() else "-" for ch in folded.lower())
        return re.sub("-{2,}", "-", cleaned).strip("-") or AUTONAME_FALLBACK
    return folded.strip() or AUTONAME_FALLBACK


def autoname(base: str, *, slug: bool) -> str:
    """``base`` plus a random suffix, as Pulumi's own providers name things."""
    suffix = "".join(secrets.choice(AUTONAME_ALPHABET) for _ in range(AUTONAME_SUFFIX_LENGTH))
    return f"{_autoname_stem(base, slug=slug)}-{suffix}"


def is_autoname_of(name: str, base: str, *, slug: bool) -> bool:
    """Whether ``autoname(base)`` could have made ``name``.

    A create that fails leaves no state, so the next ``up`` autonames afresh; a lookup for what
    the failed attempt left in Segment has to accept any suffix.
    """
    stem, _, suffix = name.rpartition("-")
    return (
        stem == _autoname_stem(base, slug=slug)
        and len(suffix) == AUTONAME_SUFFIX_LENGTH
        and set(suffix) <= set(AUTONAME_ALPHABET)
    )
