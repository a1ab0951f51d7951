"""The key Segment gives a computed trait or audience: derived from its name when it is made.

Segment's Public API takes no key (its create bodies have ``name``, not ``key``) and its PATCH
never changes one, so a trait renamed in one stack keeps its old key while a stack made fresh
from the same program gets the new one. The provider makes the key an input whose default is
``segment_key(name)`` and replaces the object when it changes; ``key_mismatch`` is the check a
declared key has to pass. Only ``re`` and ``unicodedata`` are imported: the policy pack uses
this too.

The key is the name in snake_case, with accented letters folded to their base letters first
(``Données`` -> ``donnees``), as the JavaScript of Segment's app does (lodash's compounders
deburr before they split words). Characters that show nothing (zero-width spaces, joiners,
direction marks: Unicode's format category) are refused: a name holding one looks like another
in Segment's app and in a diff, and mapped onto a key already taken.
"""

from __future__ import annotations

import re
import unicodedata


def segment_key(name: str) -> str:
    """The key Segment makes of a name: ``Total Calls (30d)`` -> ``total_calls_30d``."""
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", name.strip()) if not unicodedata.combining(ch)
    )
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", folded)
    return re.sub(r"[^a-z0-9]+", "_", spaced.lower()).strip("_")


def invisible(name: str) -> list[str]:
    """The characters of ``name`` that show nothing (``U+200B`` and the like), as code points."""
    return sorted({f"U+{ord(ch):04X}" for ch in name if unicodedata.category(ch) == "Cf"})


def name_for(key: str) -> str | None:
    """A display name Segment turns into ``key``, if there is a plain one."""
    name = key.replace("_", " ").capitalize()
    return name if segment_key(name) == key else None


def key_mismatch(kind: str, name: str, key: str) -> str | None:
    """Why ``key`` cannot be the key of a ``kind`` named ``name``, or None when it can."""
    derived = segment_key(name)
    if key == derived:
        return None
    keep = name_for(key)
    keep_hint = f" (such as {keep!r})" if keep else ""
    return (
        f"Segment derives a {kind}'s key from the name it is made with and takes no key itself: "
        f"name {name!r} gives the key {derived!r}, not {key!r}. To keep the key {key!r}, use a "
        f"name that gives it{keep_hint}; to move to {derived!r}, set key={derived!r} or leave "
        "key out, which replaces the object (profiles get the new key; whatever reads the old "
        "one, such as Flex or another query's trait(), has to change with it)."
    )
