"""Trait keys known only at ``pulumi up``: ``trait(inbound)`` where ``inbound`` is a computed
trait (or audience) of the same program, or ``trait(output)`` for an ``Output[str]``.

The condition is built at once with a placeholder key per pending one, and carries the Outputs
beside its node; an audience's definition is then an Output that substitutes the resolved keys
and validates the query. Since the Outputs come from the trait resource, the audience depends
on it: its first ``up`` waits for the trait, and a rename (a new key) updates the audience in
the same ``up``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from segment_unify.query.nodes import Trait

if TYPE_CHECKING:
    import pulumi

# (placeholder key, the Output[str] it stands for)
Pending = tuple[tuple[str, "pulumi.Output[str]"], ...]


class Keyed(Protocol):
    """A computed trait or audience resource: its ``key`` output is what ``trait()`` reads."""

    @property
    def key(self) -> pulumi.Output[str]: ...


def pending_key(value: object) -> tuple[str, Pending] | None:
    """A placeholder and its Output for a key given as an Output or a keyed resource; None for
    anything else (the caller checks plain keys)."""
    import pulumi

    output = getattr(value, "key", None) if isinstance(value, pulumi.Resource) else value
    if not isinstance(output, pulumi.Output):
        return None
    # Unique while the Output lives, which the condition holding it guarantees.
    placeholder = f"pending_trait_{id(output):x}"
    return placeholder, ((placeholder, output),)


def merge(*pendings: Pending) -> Pending:
    merged: dict[str, Any] = {}
    for pending in pendings:
        merged.update(pending)
    return tuple(merged.items())


def substitute(node: Any, keys: Mapping[str, str]) -> Any:
    """``node`` with every placeholder trait key replaced by its resolved key."""
    if isinstance(node, Trait):
        return dataclasses.replace(node, key=keys.get(node.key, node.key))
    if isinstance(node, tuple):
        return tuple(substitute(item, keys) for item in node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {
            f.name: substitute(getattr(node, f.name), keys)
            for f in dataclasses.fields(node)
            if f.init
        }
        return dataclasses.replace(node, **changes)
    return node


def resolved(pending: Pending, make: Any) -> pulumi.Output[Any]:
    """``make(keys)`` once every pending key is known (``keys``: placeholder -> key)."""
    import pulumi

    placeholders = [placeholder for placeholder, _ in pending]
    outputs = [output for _, output in pending]
    return pulumi.Output.all(*outputs).apply(
        lambda values: make(dict(zip(placeholders, values, strict=True)))
    )
