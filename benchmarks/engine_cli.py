"""The engine-path figures again, under the real Pulumi CLI, beside localrun's rows in one run.

The CLI is the one ``segment_unify.pulumi_cli.locate`` finds (built from Pulumi's Go modules
where ``go`` exists); every stack runs on a local file backend against a spawned emulator
(``segment_unify.pulumi_stack``). What each row measures:

- **CLI start-up**: medians of ``pulumi version`` (the binary alone), ``pulumi preview`` of a
  program with no resources (the CLI, the language host, Python and the SDK) and the no-op
  ``pulumi preview`` of the example stack after ``up``, whose API calls are counted too.
- **Refresh at scale**: a program of N computed traits made by ``pulumi up`` (on an emulator
  clock 6,000 times Segment's), then, with the emulator restarted on the same file at 60 times
  Segment's clock (the provider paces to match), ``pulumi refresh`` with the read cache and with
  ``SEGMENT_UNIFY_READ_CACHE=0``: API calls in the emulator's log and wall time.
- **Full stack at 100 ms**: ``pulumi up`` of the example on a new stack, alternating runs with no
  latency and with every call answered 100 ms after it arrived, the emulator reseeded before
  each; medians. The CLI's own work (start-up, plugins, the program, state writes) is in both, so
  the latency's cost is their difference, held against the dependency depth (read from the
  state's ``dependencies``) x 100 ms.
- **Fault soak** (``soak_run``, its own benchmark ``cli_soak``): per trial and fault rate R
  (20%, 40%, 60%) a fresh emulator whose calls fail R of the time (R / 4 each of 429, 503, a
  dropped connection and a lost response, seeded by the trial's number) and whose lists leave
  out what a POST made for 10 s of Segment's time (as ``soak``), ``pulumi up`` repeated until
  one exits 0 (at most ``soak.MAX_RUNS``), then Segment's objects against the state
  (duplicates, orphans), and a fault-free ``pulumi up --expect-no-changes``.
"""

from __future__ import annotations

import functools
import json
import socket
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchmarks import latency as localrun_latency
from benchmarks import latency_floor
from benchmarks import segment_objects as so
from benchmarks.soak import (
    LIST_LAG_SECONDS,
    MAX_RUNS,
    RATES,
    TARGET_RUNS,
    convergence,
    fault_rules,
    label,
)
from benchmarks.stack import SEED, SPACE_SLUG, WORKSPACE, window_env
from benchmarks.table import Row, seconds
from segment_unify import demo
from segment_unify.components.space_readiness import READ_AGENT
from segment_unify.emulator.testing import EmulatorHandle, spawn_emulator
from segment_unify.pulumi_cli import LocalBackend, locate, why_missing
from segment_unify.pulumi_stack import Stack, init_stack

ROOT = Path(__file__).resolve().parents[1]
PROGRAMS = ROOT / "benchmarks" / "programs"
EXAMPLE = demo.EXAMPLE
LATENCY_MS = 100
TIME_SCALE = 60.0
SETUP_TIME_SCALE = 6000.0
TRAITS, QUICK_TRAITS = 1000, 20
RUNS, QUICK_RUNS = 3, 1
TRIALS, QUICK_TRIALS = 20, 1
STARTUP_RUNS = 5
TARGET_LATENCY_RATIO = 1.3  # issue #22: at most 1.3x the depth bound
TARGET_REFRESH_CALLS = 5


@functools.cache
def _pulumi() -> Path | None:
    return locate()


@contextmanager
def _backend(env: dict[str, str] | None = None) -> Iterator[LocalBackend]:
    pulumi = _pulumi()
    assert pulumi is not None
    with tempfile.TemporaryDirectory() as tmp:
        yield LocalBackend(pulumi, Path(tmp), env=env)


def _timed(action: Callable[[], object]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def _median_of(runs: int, action: Callable[[], object]) -> float:
    return statistics.median(_timed(action) for _ in range(runs))


def _api_calls(emulator: EmulatorHandle) -> int:
    return len(emulator.request_log())


def _provider_calls(emulator: EmulatorHandle) -> tuple[int, int]:
    """Calls of the provider, and of the stack component's read of the space (which, like a
    data source, runs at preview too: ``segment_unify/components/space_readiness.py``)."""
    log = emulator.request_log()
    read = [e for e in log if READ_AGENT in str((e.get("headers") or {}).get("user-agent"))]
    return len(log) - len(read), len(read)


def startup_rows(quick: bool) -> list[Row]:
    runs = 2 if quick else STARTUP_RUNS
    with _backend(window_env(TIME_SCALE)) as backend:
        version = _median_of(runs, lambda: backend.run("version", cwd=backend.work))
        with spawn_emulator(seed=SEED, time_scale=TIME_SCALE) as emulator:
            empty = init_stack(backend, PROGRAMS / "empty", "dev", emulator)
            empty_preview = _median_of(runs, lambda: empty.pulumi("preview"))
            stack = init_stack(backend, EXAMPLE, "dev", emulator)
            backend.install(EXAMPLE)
            stack.pulumi("up", "--yes")
            emulator.clear_request_log()
            noop = _median_of(runs, lambda: stack.pulumi("preview", "--expect-no-changes"))
            calls, read = _provider_calls(emulator)
    return [
        Row(
            "CLI: no-op `pulumi preview` of the example stack, API calls",
            str(calls),
            "0",
            calls == 0,
            f"{runs} previews after `up`, median {seconds(noop)}; the provider's calls (the "
            f"stack component's read of the space, a data source: {read} GETs besides); "
            "localrun's row above counts the same calls without the engine",
        ),
        Row(
            "CLI: start-up per command",
            f"`pulumi version` {seconds(version)}; `preview` of an empty program "
            f"{seconds(empty_preview)}; no-op `preview` of the example {seconds(noop)}",
            "report",
            None,
            f"medians of {runs}; the empty program's preview is the CLI, its Python language "
            "host, Python and the Pulumi SDK with no provider; the rest of the example's is "
            "its provider process and 21 checks and diffs",
        ),
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def refresh_rows(quick: bool) -> list[Row]:
    count = QUICK_TRAITS if quick else TRAITS
    # `refresh` configures the provider from the state, not from the stack's config, so the
    # emulator comes back on the same port.
    same_port = ["--port", str(_free_port())]
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "segment.db")
        with _backend(window_env(SETUP_TIME_SCALE)) as backend:
            with spawn_emulator(
                seed=SEED, db=db, time_scale=SETUP_TIME_SCALE, extra_args=same_port
            ) as emulator:
                stack = init_stack(backend, PROGRAMS / "many-traits", "dev", emulator)
                stack.set_config("many-traits:spaceSlug", SPACE_SLUG)
                stack.set_config("many-traits:count", str(count))
                made = _timed(lambda: stack.pulumi("up", "--yes", "--parallel", "16"))
            figures = {}
            for label, cache, flags in (
                ("cached", "1", ["--skip-preview"]),
                ("cached, with preview", "1", []),
                ("uncached", "0", ["--skip-preview"]),
            ):
                backend.env.update(window_env(TIME_SCALE))
                backend.env["SEGMENT_UNIFY_READ_CACHE"] = cache
                with spawn_emulator(
                    seed=SEED, db=db, time_scale=TIME_SCALE, extra_args=same_port
                ) as emulator:
                    stack.emulator = emulator
                    emulator.clear_request_log()
                    elapsed = _timed(
                        lambda f=flags: stack.pulumi("refresh", "--yes", "--parallel", "16", *f)
                    )
                    log = [str(e["path"]) for e in emulator.request_log()]
                    traits = {str(t["name"]) for t in emulator.objects(WORKSPACE, "computed_trait")}
                    figures[label] = _Refresh(elapsed, log, traits)
            changed = stack.pulumi("preview", "--expect-no-changes", check=False).returncode
    cached = figures["cached"]
    kept = sum(1 for n in range(count) if f"Trait {n}" in cached.traits)
    with_preview, uncached = figures["cached, with preview"], figures["uncached"]
    return [
        Row(
            f"CLI: `pulumi refresh` of {count} computed traits, calls for the traits (read cache)",
            f"{cached.trait_calls} calls in {seconds(cached.seconds)}",
            f"<= {TARGET_REFRESH_CALLS} calls",
            cached.trait_calls <= TARGET_REFRESH_CALLS and kept == count and changed == 0,
            f"`refresh --skip-preview`; all calls {len(cached.paths)} (the adopted space's own "
            f"reads too); plain `refresh --yes` reads twice (its preview, then the refresh): "
            f"{with_preview.trait_calls} trait calls, {len(with_preview.paths)} in all, "
            f"{seconds(with_preview.seconds)}; one GET per trait (SEGMENT_UNIFY_READ_CACHE=0): "
            f"{uncached.trait_calls} trait calls in {seconds(uncached.seconds)}; clock 60x "
            f"Segment's; the {count} traits made by `pulumi up` in {seconds(made)}; preview "
            "after refresh " + ("changed nothing" if changed == 0 else "showed changes"),
        )
    ]


@dataclass
class _Refresh:
    seconds: float
    paths: list[str]
    traits: set[str]

    @property
    def trait_calls(self) -> int:
        return sum(1 for p in self.paths if "/computed-traits" in p)


def _depth(stack: Stack) -> int:
    """The longest chain of custom resources that call Segment (not the stack's identity)
    through the state's recorded dependencies."""
    resources = {r["urn"]: r for r in stack.resources()}
    memo: dict[str, int] = {}

    def depth(urn: str) -> int:
        if urn not in memo:
            r = resources[urn]
            below = [depth(d) for d in r.get("dependencies") or [] if d in resources]
            calls = r.get("custom") and not r["type"].endswith(":StackIdentity")
            memo[urn] = max(below, default=0) + (1 if calls else 0)
        return memo[urn]

    return max((depth(u) for u, r in resources.items() if r.get("custom")), default=0)


def latency_rows(quick: bool) -> list[Row]:
    runs = QUICK_RUNS if quick else RUNS
    timings: dict[int, list[float]] = {0: [], LATENCY_MS: []}
    depth = 0
    with spawn_emulator(seed=SEED, time_scale=TIME_SCALE) as emulator:
        for _ in range(runs):
            for latency in (0, LATENCY_MS):
                emulator.reset()
                emulator.set_faults([{"kind": "latency", "latency_ms": latency}] if latency else [])
                with _backend(window_env(TIME_SCALE)) as backend:
                    backend.install(EXAMPLE)
                    stack = init_stack(backend, EXAMPLE, "dev", emulator)
                    timings[latency].append(_timed(lambda s=stack: s.pulumi("up", "--yes")))
                    depth = _depth(stack)
        emulator.clear_faults()
    slow = statistics.median(timings[LATENCY_MS])
    fast = statistics.median(timings[0])
    cost = slow - fast
    bound = depth * LATENCY_MS / 1000
    ratio = cost / bound if bound else float("inf")
    floor, floor_depth = _floor_cost(runs)
    return [
        Row(
            f"CLI: full stack `pulumi up` at {LATENCY_MS} ms per call, latency's cost",
            f"{seconds(cost)} = {ratio:.2f}x depth bound",
            f"<= {TARGET_LATENCY_RATIO}x depth x latency = {seconds(bound)}",
            ratio <= TARGET_LATENCY_RATIO,
            f"medians of {runs}: {seconds(slow)} at {LATENCY_MS} ms, {seconds(fast)} with none "
            f"(the CLI's own work is in both); depth {depth} custom resources from the state's "
            "dependencies",
        ),
        Row(
            "CLI floor: the example's graph, each create only waiting its k x "
            f"{LATENCY_MS} ms (no Segment, no provider work), latency's cost",
            f"{seconds(floor)} = {floor / (floor_depth * LATENCY_MS / 1000):.2f}x depth bound; "
            f"the example {cost / floor:.2f}x the floor",
            "report",
            None,
            f"medians of {runs}, depth {floor_depth}; k per kind from a localrun run of the "
            "example (the fewest round trips any resource of the kind took); what no provider "
            "of this graph can beat under the CLI",
        ),
    ]


def _floor_cost(runs: int) -> tuple[float, int]:
    """The floor program's latency's cost under the CLI (its ``up`` with every create waiting
    its k round trips, less the same with none), and its depth."""
    _, base, slow = localrun_latency.measure(LATENCY_MS, 1)
    assert slow.result is not None
    _, _, rounds = localrun_latency.critical_path(base, slow, LATENCY_MS / 1000)
    graph = latency_floor.spec(slow.result.registrations, rounds)
    timings: dict[float, list[float]] = {0.0: [], LATENCY_MS / 1000: []}
    # The program and its provider import the floor's resource from this checkout.
    with _backend({"PYTHONPATH": str(ROOT)}) as backend:
        project = backend.project(PROGRAMS / "floor")
        for _ in range(runs):
            for latency, times in timings.items():
                name = f"floor-{len(times)}-{int(latency * 1000)}"
                backend.run("stack", "init", name, cwd=project)
                for key, value in (("graph", json.dumps(graph)), ("latency", repr(latency))):
                    backend.run("config", "set", key, value, "--stack", name, cwd=project)
                times.append(
                    _timed(lambda n=name: backend.run("up", "--yes", "--stack", n, cwd=project))
                )
    fast_up, slow_up = (statistics.median(timings[latency]) for latency in timings)
    return slow_up - fast_up, latency_floor.depth(graph)


@dataclass
class Trial:
    seed: int
    runs: int | None = None
    duplicates: int = 0
    orphans: list[str] = field(default_factory=list)
    settled: bool = False
    calls: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _trial(seed: int, rate: float, lag: float) -> Trial:
    result = Trial(seed)
    with (
        _backend(window_env(TIME_SCALE)) as backend,
        spawn_emulator(seed=SEED, time_scale=TIME_SCALE) as emulator,
    ):
        backend.install(EXAMPLE)
        seeded = so.object_ids(so.stored(emulator.state(), WORKSPACE))
        stack = init_stack(backend, EXAMPLE, "dev", emulator)
        emulator.set_faults(fault_rules(rate, lag), seed=seed)
        for attempt in range(1, MAX_RUNS + 1):
            done = stack.pulumi("up", "--yes", check=False)
            if done.returncode == 0:
                result.runs = attempt
                break
            result.errors.append(_last_error(done.stdout + done.stderr))
        result.calls = _api_calls(emulator)
        result.faults = emulator.fault_counts()
        emulator.clear_faults()
        owned = so.owned_objects(so.stored(emulator.state(), WORKSPACE), seeded)
        state: dict[str, Any] = {
            r["urn"]: SimpleNamespace(id=str(r["id"])) for r in stack.resources() if r.get("id")
        }
        result.duplicates = so.duplicates(owned)
        result.orphans = so.orphans(owned, state)
        if result.runs is not None:
            again = stack.pulumi("up", "--yes", "--expect-no-changes", check=False)
            result.settled = again.returncode == 0
    return result


# What the CLI prints after the provider's own error, which says nothing of the cause.
_GENERIC = ("Resource monitor has terminated", "update failed", "Traceback")


def _last_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if "error:" in line]
    telling = [line for line in lines if not any(g in line for g in _GENERIC)]
    found = telling or lines
    return (found[-1] if found else "exit non-zero")[:200]


def soak_rows(
    quick: bool,
    trials: int | None = None,
    rate: float = RATES[0],
    lag: float = LIST_LAG_SECONDS,
) -> list[Row]:
    count = trials or (QUICK_TRIALS if quick else TRIALS)
    conditions = label(rate, lag)
    done = [_trial(seed, rate, lag) for seed in range(count)]
    converged = [t.runs for t in done if t.runs is not None]
    runs_to_converge, converges = convergence(converged, count)
    dupes = sum(t.duplicates for t in done)
    orphaned = sum(len(t.orphans) for t in done)
    settled = sum(t.settled for t in done)
    causes = Counter(error for t in done for error in t.errors)
    first = next(
        (t for t in done if t.orphans or t.duplicates or (t.runs is not None and not t.settled)),
        None,
    )
    return [
        Row(
            f"CLI: fault soak, runs of `pulumi up` to converge ({count} trials, {conditions})",
            runs_to_converge,
            f"<= {TARGET_RUNS}",
            converges,
            f"then `up --expect-no-changes` passed in {settled}/{len(converged)} converged "
            f"trials; calls per trial median {statistics.median(t.calls for t in done):.0f}",
        ),
        Row(
            f"CLI: fault soak, duplicates / orphans in Segment afterwards ({conditions})",
            f"{dupes} / {orphaned}",
            "0 / 0",
            dupes == 0 and orphaned == 0 and settled == len(converged),
            "failed runs by last error: "
            + ("; ".join(f"{n} x {c}" for c, n in causes.most_common(3)) or "none")
            + (
                f"; first problem: trial {first.seed}: {first.orphans[:2]}"
                if first is not None
                else ""
            ),
        ),
    ]


def soak_run(
    quick: bool = False,
    trials: int | None = None,
    rates: tuple[float, ...] = RATES,
    lag: float = LIST_LAG_SECONDS,
) -> list[Row]:
    """The CLI fault soak at each rate (the first only, quick)."""
    if _pulumi() is None:
        return [Row("CLI: fault soak", "not measured", "report", None, why_missing())]
    rows: list[Row] = []
    for rate in rates[:1] if quick else rates:
        rows += soak_rows(quick, trials, rate, lag)
    return rows


def run(quick: bool = False) -> list[Row]:
    if _pulumi() is None:
        return [Row("CLI rows", "not measured", "report", None, why_missing())]
    rows = startup_rows(quick)
    rows += refresh_rows(quick)
    rows += latency_rows(quick)
    return rows
