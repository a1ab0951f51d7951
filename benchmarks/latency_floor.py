"""The floor under the full-stack latency row: the example's dependency graph, each resource a
dynamic resource whose create only waits its k round trips, through the same engine and the
same ``python -m pulumi.dynamic`` process (Pulumi's four gRPC workers included).

No Segment, no emulator and no provider work: what is left is the graph (k per resource, the
widest level against four workers) and the dynamic provider's own machinery (pickled provider,
one gRPC call per check and create). A provider can only be slower than this floor, so a
floor over the target says the target is out of reach for any provider of this graph.

k per resource kind is the fewest round trips any resource of that kind took in the measured
runs: a resource that waited for a worker shows one more, and the floor's own run will wait
where the graph makes it.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from benchmarks import critical_path as cp
from benchmarks.timed_engine import TimedEngine
from segment_unify.localrun.engine import ProviderProcess
from segment_unify.localrun.program import Registration, run_program


class Waiter(pulumi.dynamic.ResourceProvider):
    """Creates nothing: waits ``k`` x ``latency`` seconds, as ``k`` sequential calls would."""

    def create(self, props: Any) -> pulumi.dynamic.CreateResult:
        time.sleep(float(props["k"]) * float(props["latency"]))
        return pulumi.dynamic.CreateResult(id_=uuid.uuid4().hex, outs=dict(props))


class Waiting(pulumi.dynamic.Resource):
    def __init__(
        self, name: str, k: float, latency: float, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(Waiter(), name, {"k": k, "latency": latency}, opts)


Spec = list[tuple[str, float, list[str]]]
"""Each resource of the graph, dependencies first: its name, k and the names it depends on."""


def spec(registrations: Sequence[Registration], rounds: Callable[[Registration], float]) -> Spec:
    """The example's custom resources that call Segment, each with the fewest round trips a
    resource of its kind took, and the dependencies it registered."""
    edges = cp.graph(registrations)
    by_urn = {r.urn: r for r in registrations if r.urn in edges}
    fewest: dict[str, float] = {}
    for registration in by_urn.values():
        k = rounds(registration)
        fewest[registration.type] = min(fewest.get(registration.type, k), k)
    ordered: Spec = []
    placed: set[str] = set()

    def place(urn: str) -> None:
        if urn not in placed:
            for dependency in edges[urn]:
                place(dependency)
            placed.add(urn)
            registration = by_urn[urn]
            names = [by_urn[d].name for d in edges[urn]]
            ordered.append((registration.name, fewest[registration.type], names))

    for urn in by_urn:
        place(urn)
    return ordered


def depth(graph: Spec) -> int:
    """How many resources the longest chain of ``graph`` holds."""
    longest: dict[str, int] = {}
    for name, _, dependencies in graph:
        longest[name] = 1 + max((longest[d] for d in dependencies), default=0)
    return max(longest.values(), default=0)


def declare(graph: Spec, latency: float) -> None:
    """``graph`` as ``Waiting`` resources, in a Pulumi program."""
    made: dict[str, Waiting] = {}
    for name, k, dependencies in graph:
        after = [made[d] for d in dependencies]
        made[name] = Waiting(name, k, latency, pulumi.ResourceOptions(depends_on=after))


def measure(
    registrations: Sequence[Registration],
    rounds: Callable[[Registration], float],
    latency: float,
    runs: int,
) -> tuple[float, list[float]]:
    """The median of ``runs`` warm ``up`` runs of the floor program, and each run's time."""
    graph = spec(registrations, rounds)

    def program() -> None:
        declare(graph, latency)

    totals: list[float] = []
    with ProviderProcess() as provider:
        provider.configure({})
        run_program(program, TimedEngine(provider))  # cold: the process's imports
        for _ in range(runs):
            started = time.monotonic()
            run_program(program, TimedEngine(provider))
            totals.append(time.monotonic() - started)
    return statistics.median(totals), totals
