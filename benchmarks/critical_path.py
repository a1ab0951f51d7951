"""The dependency graph of a program's registrations, and its longest paths.

Nodes are custom resources that call Segment (components, and the stack's identity, which
lives in state only, make no calls); an edge runs from each dependency a
registration names to it. ``depth`` counts resources on the longest chain; ``heaviest`` is the
chain with the largest sum of a weight per resource (say, the sequential calls each makes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from segment_unify.localrun.program import Registration

IDENTITY = ":StackIdentity"


def graph(registrations: Sequence[Registration]) -> dict[str, list[str]]:
    custom = {r.urn for r in registrations if r.custom and not r.type.endswith(IDENTITY)}
    return {
        r.urn: [d for d in dict.fromkeys(r.dependencies) if d in custom]
        for r in registrations
        if r.urn in custom
    }


def heaviest(
    registrations: Sequence[Registration], weight: Callable[[Registration], float]
) -> tuple[float, list[Registration]]:
    """The largest total weight of a dependency chain, and that chain (first resource first)."""
    edges = graph(registrations)
    by_urn = {r.urn: r for r in registrations}
    best: dict[str, tuple[float, list[Registration]]] = {}

    def visit(urn: str) -> tuple[float, list[Registration]]:
        if urn not in best:
            before = [visit(d) for d in edges[urn]]
            total, chain = max(before, key=lambda b: b[0], default=(0.0, []))
            best[urn] = (total + weight(by_urn[urn]), [*chain, by_urn[urn]])
        return best[urn]

    return max((visit(urn) for urn in edges), key=lambda b: b[0], default=(0.0, []))


def depth(registrations: Sequence[Registration]) -> tuple[int, list[Registration]]:
    """How many resources the longest dependency chain holds, and that chain."""
    length, chain = heaviest(registrations, lambda _: 1.0)
    return int(length), chain
