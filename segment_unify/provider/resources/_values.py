"""How the scaffold compares values: masked secrets, keys Segment adds, unknowns at preview."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.output import Unknown

# The engine's marker for a value that is unknown at preview.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
MASK_CHARS = frozenset("•*")


def is_masked(value: Any) -> bool:
    """Segment masks secrets in settings as bullets (or asterisks)."""
    return isinstance(value, str) and len(value) >= 3 and set(value) <= MASK_CHARS


def contains_unknown(value: Any) -> bool:
    # Check gets unknowns as ``pulumi.output.Unknown`` (it deserializes with keep_unknowns);
    # Diff and the other calls get the engine's marker string.
    if value == UNKNOWN or isinstance(value, Unknown):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def same(old: Any, new: Any, *, lenient: bool) -> bool:
    """Equal for diffing. ``lenient``: keys only in ``old`` and masked old values don't count."""
    if lenient and is_masked(old):
        return True
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        keys = set(new) if lenient else set(old) | set(new)
        return all(same(old.get(k), new.get(k), lenient=lenient) for k in keys)
    if isinstance(old, list | tuple) and isinstance(new, list | tuple):
        return len(old) == len(new) and all(
            same(a, b, lenient=lenient) for a, b in zip(old, new, strict=True)
        )
    return bool(old == new)


def keep_write_only(fresh: Any, prior: Any, *, keep_omitted: bool = False) -> Any:
    """Segment's copy with masked values replaced by what we last wrote.

    ``keep_omitted``: keys Segment leaves out of its answer keep what we last wrote too; a
    warehouse's answer omits its password, and refresh must not read that as a change.
    """
    if is_masked(fresh) and prior is not None:
        return prior
    if isinstance(fresh, Mapping) and isinstance(prior, Mapping):
        kept = {k: keep_write_only(v, prior.get(k)) for k, v in fresh.items()}
        if keep_omitted:
            kept.update({k: v for k, v in prior.items() if k not in fresh})
        return kept
    return fresh
