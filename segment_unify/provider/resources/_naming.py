"""Pulumi ids of nested objects, and deterministic autonames.

An autoname is the resource name plus a suffix that is a hash of the resource's identity in its
stack (``autoname_seed``: the stack's identity, born in its state, with the resource's type and
name, since a dynamic provider's ``check`` is not told the URN; see ``stack_identity``) and of
the values of the inputs whose change replaces it. So a create cut off after Segment applied it
(the process killed, the answer lost) is retried, by this ``up`` or the next, under the same
name, and finds that object instead of making a second one; a replacement gets a new name (the
engine checks it again without olds), so the old and the new object never share one."""

from __future__ import annotations

import hashlib
import json
import re
import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from segment_unify.provider.errors import SegmentResourceError

AUTONAME_BASE = "autoname_base"
AUTONAMED = "autonamed"
AUTONAME_SEED = "autoname_seed"


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


def autoname(base: str, *, slug: bool, seed: str, salt: Mapping[str, Any]) -> str:
    """``base`` plus a suffix derived from ``seed`` and the replace-forcing inputs ``salt``."""
    material = json.dumps([seed, dict(salt)], sort_keys=True, separators=(",", ":"), default=str)
    number = int.from_bytes(hashlib.sha256(material.encode("utf-8")).digest()[:8], "big")
    suffix = ""
    for _ in range(AUTONAME_SUFFIX_LENGTH):
        number, digit = divmod(number, len(AUTONAME_ALPHABET))
        suffix += AUTONAME_ALPHABET[digit]
    return f"{_autoname_stem(base, slug=slug)}-{suffix}"
