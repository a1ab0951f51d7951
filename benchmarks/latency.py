"""Full stack: creating the example stack with 100 ms of emulated latency on every call.

Two bounds from the program's own registrations (their dependencies, custom resources only):

- the issue's: dependency depth x latency (the longest chain of resources, one call each);
- the honest one: each resource makes k sequential calls (the space four, a Send Identify
  mapping three...), and k is measured: a registration's step takes (its step at 100 ms minus
  the same step with no latency) / 100 ms round trips, including any wait for one of the
  provider process's four workers. The heaviest chain by that sum is the critical path.

Per latency, one emulator and one provider process: a first (cold) ``up`` pays the process's
imports, the query parser and the connections; the emulator is then reset (reseeded: a fresh
Segment) and the timed (warm) ``up`` runs on the same process, as every ``up`` after the first
does in a long-lived engine. Both are reported; the target is held against the warm one. The
emulator's clock is scaled (and the provider paces to match) only so the first run's trait
creates have left the 10-per-minute window before the timed run; no step of the timed run waits
for pacing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from benchmarks import critical_path as cp
from benchmarks import request_log as rl
from benchmarks.stack import SEED, provider_for, run_example, window_env
from benchmarks.table import Row, seconds
from benchmarks.timed_engine import TimedEngine
from segment_unify.emulator.ratelimits import WINDOW_SECONDS
from segment_unify.emulator.testing import spawn_emulator
from segment_unify.localrun.program import Registration, RunResult

LATENCY_MS = 100
QUICK_LATENCY_MS = 20
TARGET_RATIO = 1.5
TIME_SCALE = 60.0


@dataclass
class Measured:
    cold: float
    warm: float
    engine: TimedEngine
    result: RunResult
    calls: int
    in_flight: int


def measure(latency_ms: int) -> Measured:
    window = WINDOW_SECONDS / TIME_SCALE
    with (
        spawn_emulator(seed=SEED, latency_ms=latency_ms, time_scale=TIME_SCALE) as emulator,
        provider_for(emulator, env=window_env(TIME_SCALE)) as provider,
    ):
        started = time.monotonic()
        run_example(TimedEngine(provider))
        cold = time.monotonic() - started
        emulator.reset()
        emulator.clear_request_log()
        time.sleep(window * 1.1)
        engine = TimedEngine(provider)
        started = time.monotonic()
        result = run_example(engine)
        warm = time.monotonic() - started
        entries = emulator.request_log()
    return Measured(cold, warm, engine, result, len(entries), rl.max_in_flight(entries))


def run(quick: bool = False) -> list[Row]:
    latency_ms = QUICK_LATENCY_MS if quick else LATENCY_MS
    latency = latency_ms / 1000
    base = measure(0)
    slow = measure(latency_ms)
    registrations = slow.result.registrations

    def rounds(registration: Registration) -> float:
        urn = slow.engine.urn(registration.type, registration.name)
        extra = slow.engine.duration(urn) - base.engine.duration(urn)
        return float(max(0, round(extra / latency)))

    depth, _ = cp.depth(registrations)
    calls_on_path, path = cp.heaviest(registrations, rounds)
    depth_bound = depth * latency
    calls_bound = calls_on_path * latency
    target = TARGET_RATIO * depth_bound
    per_resource = ", ".join(f"{r.name} {rounds(r):.0f}" for r in path)
    return [
        Row(
            f"Full stack: `up` of the example at {latency_ms} ms per call (warm process)",
            f"{seconds(slow.warm)} = {slow.warm / depth_bound:.2f}x depth bound",
            f"<= {TARGET_RATIO}x depth x latency = {seconds(target)}",
            slow.warm <= target,
            f"depth {depth} resources x {latency_ms} ms = {seconds(depth_bound)}; "
            f"cold process (first `up`): {seconds(slow.cold)}; "
            f"same run with no latency: {seconds(base.warm)} (cold {seconds(base.cold)})",
        ),
        Row(
            f"Full stack: sequential calls on the critical path at {latency_ms} ms",
            f"{calls_on_path:.0f} calls = {seconds(calls_bound)}; measured "
            f"{slow.warm / calls_bound:.2f}x",
            "report",
            None,
            f"k per resource: {per_resource}; {slow.calls} calls in all, at most "
            f"{slow.in_flight} in flight at once",
        ),
    ]
