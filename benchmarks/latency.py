"""Full stack: creating the example stack with 100 ms of emulated latency on every call.

Two bounds from the program's own registrations (their dependencies, custom resources only):

- the issue's: dependency depth x latency (the longest chain of resources, one call each);
- the honest one: each resource makes k sequential calls (a Send Identify mapping two: its
  POST, then the PATCH of its model and schedule), and k is measured: a registration's step
  takes (its step at 100 ms minus the same step with no latency) / 100 ms round trips,
  including any wait for one of the provider process's four workers. The heaviest chain by
  that sum is the critical path.

One emulator and one provider process. A first (cold) ``up`` pays the process's imports, the
query parser and the connections. Then timed (warm) ``up`` runs on the same process, as every
``up`` after the first does in a long-lived engine, alternating between no latency and 100 ms
(an emulator latency rule, switched between runs), the emulator reset (reseeded: a fresh
Segment) before each; the medians of the runs are reported (this machine is noisy), and the
target is held against the warm median. The emulator answers each call 100 ms after it
arrived, its own handling included. Its clock is scaled (and the provider paces to match) only
so one run's trait creates have left the 10-per-minute window before the next; no step of a
timed run waits for pacing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks import critical_path as cp
from benchmarks import latency_floor
from benchmarks import request_log as rl
from benchmarks.stack import SEED, provider_for, run_example, window_env
from benchmarks.table import Row, seconds
from benchmarks.timed_engine import TimedEngine
from segment_unify.emulator.ratelimits import WINDOW_SECONDS
from segment_unify.emulator.testing import EmulatorHandle, spawn_emulator
from segment_unify.localrun.engine import ProviderProcess
from segment_unify.localrun.program import Registration, RunResult

LATENCY_MS = 100
QUICK_LATENCY_MS = 20
TARGET_RATIO = 1.3  # issue #22: at most 1.3x the depth bound, warm
TIME_SCALE = 60.0
RUNS = 5
QUICK_RUNS = 1


@dataclass
class Measured:
    """Timed ``up`` runs at one latency: totals, and each step's duration per run."""

    totals: list[float] = field(default_factory=list)
    steps: dict[str, list[float]] = field(default_factory=dict)
    result: RunResult | None = None
    calls: int = 0
    in_flight: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.totals)

    def step(self, urn: str) -> float:
        return statistics.median(self.steps[urn])


def timed_up(
    emulator: EmulatorHandle, provider: ProviderProcess, latency_ms: int, into: Measured
) -> None:
    emulator.reset()
    emulator.set_faults([{"kind": "latency", "latency_ms": latency_ms}] if latency_ms else [])
    emulator.clear_request_log()
    time.sleep(WINDOW_SECONDS / TIME_SCALE * 1.1)
    engine = TimedEngine(provider)
    started = time.monotonic()
    into.result = run_example(engine)
    into.totals.append(time.monotonic() - started)
    for urn in engine.spans:
        into.steps.setdefault(urn, []).append(engine.duration(urn))
    entries = emulator.request_log()
    into.calls, into.in_flight = len(entries), rl.max_in_flight(entries)


def measure(latency_ms: int, runs: int) -> tuple[float, Measured, Measured]:
    """The cold ``up``'s time, then warm runs without latency and with ``latency_ms``."""
    base, slow = Measured(), Measured()
    with (
        spawn_emulator(seed=SEED, time_scale=TIME_SCALE) as emulator,
        provider_for(emulator, env=window_env(TIME_SCALE)) as provider,
    ):
        emulator.set_faults([{"kind": "latency", "latency_ms": latency_ms}])
        started = time.monotonic()
        run_example(TimedEngine(provider))
        cold = time.monotonic() - started
        for _ in range(runs):
            timed_up(emulator, provider, 0, base)
            timed_up(emulator, provider, latency_ms, slow)
    return cold, base, slow


def critical_path(
    base: Measured, slow: Measured, latency: float
) -> tuple[float, list[Registration], Callable[[Registration], float]]:
    """The sequential calls on the heaviest chain, that chain, and each resource's k: a step's
    time at ``latency`` less its time with none, in round trips."""
    assert slow.result is not None

    def rounds(registration: Registration) -> float:
        urn = TimedEngine.urn(registration.type, registration.name)
        extra = slow.step(urn) - base.step(urn)
        return float(max(0, round(extra / latency)))

    calls_on_path, path = cp.heaviest(slow.result.registrations, rounds)
    return calls_on_path, path, rounds


def run(quick: bool = False) -> list[Row]:
    latency_ms = QUICK_LATENCY_MS if quick else LATENCY_MS
    latency = latency_ms / 1000
    runs = QUICK_RUNS if quick else RUNS
    cold, base, slow = measure(latency_ms, runs)
    assert slow.result is not None
    depth, _ = cp.depth(slow.result.registrations)
    calls_on_path, path, rounds = critical_path(base, slow, latency)
    depth_bound = depth * latency
    calls_bound = calls_on_path * latency
    target = TARGET_RATIO * depth_bound
    per_resource = ", ".join(f"{r.name} {rounds(r):.0f}" for r in path)
    floor, floor_runs = latency_floor.measure(slow.result.registrations, rounds, latency, runs)
    return [
        Row(
            f"Full stack: `up` of the example at {latency_ms} ms per call (warm process)",
            f"{seconds(slow.median)} = {slow.median / depth_bound:.2f}x depth bound",
            f"<= {TARGET_RATIO}x depth x latency = {seconds(target)}",
            slow.median <= target,
            f"median of {runs} runs ({', '.join(seconds(t) for t in slow.totals)}); depth "
            f"{depth} resources x {latency_ms} ms = {seconds(depth_bound)}; cold process (first "
            f"`up`): {seconds(cold)}; the same runs with no latency: median "
            f"{seconds(base.median)}",
        ),
        Row(
            f"Full stack: sequential calls on the critical path at {latency_ms} ms",
            f"{calls_on_path:.0f} calls = {seconds(calls_bound)}; measured "
            f"{slow.median / calls_bound:.2f}x",
            "report",
            None,
            f"k per resource: {per_resource}; {slow.calls} calls in all, at most "
            f"{slow.in_flight} in flight at once",
        ),
        Row(
            f"Floor: the example's graph, each create only waiting its k x {latency_ms} ms "
            "(no Segment, no provider work; same engine, same dynamic provider process)",
            f"{seconds(floor)} = {floor / depth_bound:.2f}x depth bound; the example "
            f"{slow.median / floor:.2f}x the floor",
            "report",
            None,
            f"median of {runs} runs ({', '.join(seconds(t) for t in floor_runs)}); what no "
            "provider of this graph can beat: k per kind (the fewest round trips any resource "
            "of the kind took) and Pulumi's four gRPC workers",
        ),
    ]
