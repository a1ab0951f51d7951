"""The latency floor keeps the measured program's graph: its depth, each resource's dependencies
and, per kind, the fewest round trips any resource of that kind took (a resource that waited for
one of the provider's workers took more)."""

from __future__ import annotations

from benchmarks import critical_path as cp
from benchmarks import latency_floor
from segment_unify.localrun.program import Registration


def _registration(name: str, kind: str, *after: str) -> Registration:
    return Registration(
        urn=f"urn:{name}",
        type=kind,
        name=name,
        custom=True,
        parent="",
        dependencies=[f"urn:{a}" for a in after],
        protect=False,
        secret_outputs=[],
    )


def test_the_floor_keeps_the_graph_and_the_fewest_rounds_per_kind() -> None:
    registrations = [
        _registration("space", "space"),
        _registration("source", "source", "space"),
        _registration("trait-a", "trait", "source"),
        _registration("trait-b", "trait", "source"),
        _registration("prediction", "prediction", "trait-a", "trait-b"),
    ]
    measured = {"space": 1, "source": 2, "trait-a": 1, "trait-b": 2, "prediction": 0}
    graph = latency_floor.spec(registrations, lambda r: measured[r.name])
    assert graph == [
        ("space", 1, []),
        ("source", 2, ["space"]),
        ("trait-a", 1, ["source"]),
        ("trait-b", 1, ["source"]),  # its second round was a wait, not a call
        ("prediction", 0, ["trait-a", "trait-b"]),
    ]
    assert latency_floor.depth(graph) == cp.depth(registrations)[0] == 4
