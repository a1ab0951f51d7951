"""Fault soak: the example stack against an emulator that fails a share of the calls it gets.

Per trial (seeded by its number) and fault rate R (20%, 40% and 60% by default): a fresh
in-memory emulator with four fault rules, one per kind at R / 4 each of all calls (429, 503, a
dropped connection, and a lost response: the write is committed, then the connection drops),
and list lag: every object a POST makes is left out of list answers for ``LIST_LAG_SECONDS``
of Segment's time (``--list-lag``; 0 turns it off); a fresh provider process; ``pulumi up``
through localrun, repeated on the same state until a run finishes without an error (at most
``MAX_RUNS``). Then Segment's objects are compared with the engine's state
(``segment_objects``), and one more run without faults must change nothing. Reported per rate:
runs needed (a histogram), duplicates, orphans, API calls (the emulator's request log, faulted
calls included), faults met, and the errors of the runs that failed.

A failing trial can be run alone: ``trial(seed, rate, lag)`` with the seed the table names.
The faults a request meets are drawn in the order requests arrive, and the provider runs calls
side by side, so a re-run meets the same faults only as far as the order repeats.

The emulator's clock runs 60 times faster (and the provider paces and waits for lists to
match: its 30 s list wait is half a second), so an injected 429's ``msBeforeNext`` is at most a
second and a 10 s list lag lasts a sixth of one; the provider's own retry backoff is not
shortened.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from benchmarks import segment_objects as so
from benchmarks.stack import SEED, WORKSPACE, provider_for, run_example, steps_since, window_env
from benchmarks.table import Row
from segment_unify.emulator.testing import running_emulator
from segment_unify.localrun.engine import Engine

FAULT_KINDS = ("rate_limit", "server_error", "drop", "lost_response")
TOTAL_FAULT_RATE = 0.20
RATES = (0.20, 0.40, 0.60)
LIST_LAG_SECONDS = 10.0
TIME_SCALE = 60.0
MAX_RUNS = 8
TARGET_RUNS = 3
TRIALS = 20
QUICK_TRIALS = 1


def fault_rules(total: float = TOTAL_FAULT_RATE, lag: float = 0.0) -> list[dict[str, object]]:
    """One rule per kind, each firing on ``total / 4`` of all calls; with ``lag``, what every
    POST makes is missing from lists for that many of Segment's seconds.

    The emulator tries rules in order and stops at the first terminal fault, so each later rule's
    probability is its share of the calls the earlier rules let through.
    """
    share = total / len(FAULT_KINDS)
    rules: list[dict[str, object]] = [
        {"kind": kind, "probability": share / (1 - index * share)}
        for index, kind in enumerate(FAULT_KINDS)
    ]
    if lag:
        rules.append({"kind": "list_lag", "lag_seconds": lag})
    return rules


def label(rate: float, lag: float) -> str:
    return f"{rate:.0%} faults" + (f", list lag {lag:g} s" if lag else "")


@dataclass
class Trial:
    seed: int
    runs: int | None = None
    calls: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    orphans: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    settled: bool = False
    errors: list[str] = field(default_factory=list)


def trial(seed: int, rate: float = TOTAL_FAULT_RATE, lag: float = 0.0) -> Trial:
    result = Trial(seed)
    rules = fault_rules(rate, lag)
    with running_emulator(
        seed=SEED, time_scale=TIME_SCALE, faults=rules, fault_seed=seed
    ) as emulator:
        seeded = so.object_ids(so.stored(emulator.state(), WORKSPACE))
        with provider_for(emulator, env=window_env(TIME_SCALE)) as provider:
            engine = Engine(provider)
            for attempt in range(1, MAX_RUNS + 1):
                try:
                    run_example(engine)
                except Exception as exc:
                    result.errors.append(_summary(exc))
                    continue
                result.runs = attempt
                break
            result.calls = len(emulator.request_log())
            result.faults = emulator.fault_counts()
            owned = so.owned_objects(so.stored(emulator.state(), WORKSPACE), seeded)
            result.duplicates = so.duplicates(owned)
            result.orphans = so.orphans(owned, engine.state)
            result.missing = so.missing(owned, engine.state)
            if result.runs is not None:
                emulator.clear_faults()
                mark = len(engine.steps)
                try:
                    run_example(engine)
                    result.settled = set(steps_since(engine, mark)) == {"same"}
                except Exception as exc:
                    result.errors.append(f"fault-free re-run: {exc}"[:160])
    return result


def run(
    quick: bool = False,
    trials: int | None = None,
    rates: tuple[float, ...] = RATES,
    lag: float = LIST_LAG_SECONDS,
) -> list[Row]:
    count = trials or (QUICK_TRIALS if quick else TRIALS)
    rows: list[Row] = []
    for rate in rates[:1] if quick else rates:
        done = [trial(seed, rate, lag) for seed in range(count)]
        rows += rows_for(done, label(rate, lag))
    return rows


def convergence(converged: list[int], trials: int) -> tuple[str, bool]:
    """A "runs to converge" row's value and whether it meets TARGET_RUNS, from the runs each
    converged trial took: the most (">MAX_RUNS" if a trial never converged), then how many
    trials took each number of runs."""
    worst = max(converged) if len(converged) == trials else None
    histogram = ", ".join(f"{n} run(s): {converged.count(n)}" for n in sorted(set(converged)))
    not_converged = trials - len(converged)
    value = (
        f"max {worst if worst is not None else f'>{MAX_RUNS}'} ({histogram}"
        + (f"; {not_converged} not converged in {MAX_RUNS}" if not_converged else "")
        + ")"
    )
    return value, worst is not None and worst <= TARGET_RUNS


def rows_for(done: list[Trial], conditions: str) -> list[Row]:
    converged = [t.runs for t in done if t.runs is not None]
    runs_to_converge, converges = convergence(converged, len(done))
    calls = [t.calls for t in done]
    faults = [sum(t.faults.get(k, 0) for k in FAULT_KINDS) for t in done]
    kinds = {k: sum(t.faults.get(k, 0) for t in done) for k in FAULT_KINDS}
    dupes = sum(t.duplicates for t in done)
    orphaned = sum(len(t.orphans) for t in done)
    gone = sum(len(t.missing) for t in done)
    settled = sum(t.settled for t in done)
    fault_mix = ", ".join(f"{k} {v}" for k, v in kinds.items())
    causes = Counter(_cause(error) for t in done for error in t.errors)
    failed_runs = ", ".join(f"{n} x {cause}" for cause, n in causes.most_common()) or "none"
    return [
        Row(
            f"Fault soak: runs of `up` to converge ({len(done)} trials, {conditions})",
            runs_to_converge,
            f"<= {TARGET_RUNS}",
            converges,
            f"then a fault-free `up` changed nothing in {settled}/{len(converged)} converged "
            "trials",
        ),
        Row(
            f"Fault soak: duplicates / orphans in Segment afterwards ({conditions})",
            f"{dupes} / {orphaned}",
            "0 / 0",
            dupes == 0 and orphaned == 0 and gone == 0 and settled == len(converged),
            f"state entries missing in Segment: {gone}; " + _first_problem(done),
        ),
        Row(
            f"Fault soak: API calls and faults met per trial ({conditions})",
            f"calls median {statistics.median(calls):.0f} (max {max(calls)}); "
            f"faults median {statistics.median(faults):.0f} (max {max(faults)})",
            "report",
            None,
            f"faults met in all trials: {fault_mix}; runs that failed, by cause: {failed_runs}",
        ),
    ]


def _summary(exc: BaseException) -> str:
    """The last line of an error (a provider's error arrives as its whole traceback)."""
    details = getattr(exc, "details", None)
    text = str(details() if callable(details) else exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else repr(exc))[:300]


def _cause(error: str) -> str:
    """An error without its exception class, details and quoted names: what kind of failure."""
    text = error.split("Error: ", 1)[-1]
    text = re.sub(r"'[^']*'", "…", text)
    text = re.sub(r"\([^)]*\)", "(…)", text)
    return text.split(":", 1)[0][:80]


def _first_problem(done: list[Trial]) -> str:
    for t in done:
        if t.orphans or t.duplicates or t.missing or (t.runs is not None and not t.settled):
            detail = t.orphans[:2] + t.missing[:2] + t.errors[-1:]
            return f"first problem: trial {t.seed}: " + "; ".join(detail)
    return "none in any trial"
