"""kill -9 of the dynamic provider process, or of `pulumi up`, at every write of the example stack.

Under the real CLI the provider is a process of its own (``pulumi-resource-pulumi-python``, a
shell script that runs ``python -m pulumi.dynamic``). Per point N, on a new stack and a new
emulator: the emulator holds the answer to the Nth write (POST or PATCH) that reaches it, after
handling it (a ``latency`` rule with ``after=N-1, max_count=1``), so the kill lands while Segment
has applied a write whose answer nobody read; once that write has arrived the provider process
is sent SIGKILL (or the CLI is, and what it started a moment later: ``kill_at_write``). Then
what a user does: ``pulumi cancel`` where the state is still locked,
``pulumi refresh --clear-pending-creates``, ``pulumi up``; afterwards Segment's objects are
compared with the state (duplicates, orphans: ``segment_objects``) and ``pulumi up
--expect-no-changes`` must pass.

Target "other-machine" kills the provider as "provider" does, then recovers with the
provider's records of pending creates (``$SEGMENT_UNIFY_STATE_DIR``) emptied, as on another
machine or CI runner sharing the state backend. There an object whose key the program declares
(a trait's name) cannot be told from one someone else made, so the ``up`` refuses it, naming
its id, the resource and the ``adopt_id`` that brings it in. Such a refusal is counted, and its
advice followed as a user of the example would: the named ids go into the stack's ``adoptIds``
config, then ``pulumi up`` again; the census and ``--expect-no-changes`` come after that.

``points()`` counts the writes of a fault-free ``up`` of the example (on its own stack), so
"every step" follows the example as it changes. The e2e tier (``tests/e2e/test_crash.py``) runs
a spread of points; ``run()`` runs every one and reports it as a benchmark row.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from benchmarks import segment_objects as so
from benchmarks.table import Row, seconds
from segment_unify import demo
from segment_unify.pulumi_cli import LocalBackend, locate, why_missing
from segment_unify.pulumi_stack import WORKSPACE, Stack, example_stack

EXAMPLE = demo.EXAMPLE
WRITE_METHODS = ("POST", "PATCH")
WRITES = "|".join(WRITE_METHODS)
# How long the emulator holds the Nth write's answer: far longer than it takes to kill.
HOLD_MS = 30_000
# A killed CLI's provider reads the answer this much later (it outlives the CLI).
CLI_HOLD_MS = 2_000
OTHER_MACHINE = "other-machine"
TARGETS = ("provider", "cli", OTHER_MACHINE)
# How a refusal names the object it leaves out of the stack (``_ownership.taken_message``).
ADOPT_ADVICE = re.compile(r"`adopt_id='([^']+)'` to resource '([^']+)'")
QUICK_POINTS = 2


def writes(stack: Stack) -> int:
    return sum(1 for entry in stack.emulator.request_log() if entry["method"] in WRITE_METHODS)


def provider_pids(session: int) -> list[int]:
    """The ``python -m pulumi.dynamic`` processes of one session (the CLI's, started with a
    session of its own), read from /proc: only what that ``pulumi up`` started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        # Fields after the command name, which sits in parentheses and may hold spaces.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == session and b"pulumi.dynamic" in cmdline:
            found.append(int(entry.name))
    return found


@dataclass
class Kill:
    """What one kill did: whether the Nth write arrived and the provider was killed, and the
    tail of what the killed ``up`` printed."""

    point: int
    killed: bool
    output: str


def kill_at_write(
    stack: Stack, point: int, *, target: str = "provider", timeout: float = 600
) -> Kill:
    """``pulumi up`` killed once the ``point``-th write has reached the emulator (handled, its
    answer held). ``target`` "provider": the provider process is killed and never reads the
    answer; the CLI sees it die and fails the ``up``. "cli": the CLI is killed; the answer comes
    2 s later to the provider, which outlives the CLI, then everything the ``up`` started is
    killed too (its lock and pending operations stay in the state). ``killed`` is False when
    the ``up`` ended first (the stack has fewer writes)."""
    hold_ms = HOLD_MS if target == "provider" else CLI_HOLD_MS
    stack.emulator.set_faults(
        [
            {
                "kind": "latency",
                "method": WRITES,
                "latency_ms": hold_ms,
                "after": point - 1,
                "max_count": 1,
            }
        ]
    )
    process = stack.backend.popen("up", "--yes", "--stack", stack.name, cwd=stack.project)
    deadline = time.monotonic() + timeout
    killed = False
    output = ""
    try:
        while not stack.emulator.fault_counts().get("latency"):
            if process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        else:
            # The write is handled as it arrives (only its answer waits); give the handler a
            # moment to commit before the process that sent it goes.
            time.sleep(0.2)
            victims = provider_pids(process.pid) if target == "provider" else [process.pid]
            for pid in victims:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed = True
            if target == "cli":
                # What the CLI left running reads the held answer, then goes as well.
                time.sleep(hold_ms / 1000 + 2)
                stack.backend.kill_all(process)
        output, _ = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        stack.backend.kill_all(process)
        stack.emulator.clear_faults()
    return Kill(point, killed, (output or "")[-2000:])


@dataclass
class Recovery:
    point: int
    killed: bool
    duplicates: int = 0
    orphans: list[str] = field(default_factory=list)
    settled: bool = False
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # What the recovery refused to take over: resource name -> the ``adopt_id`` it named.
    refused: dict[str, str] = field(default_factory=dict)


def recover(stack: Stack) -> tuple[list[str], str]:
    """What a user runs after the crash; returns the errors of the commands that failed and
    everything they printed."""
    errors, printed = [], []
    # The CLI outlived its provider, so it normally released the lock; `cancel` is a no-op then.
    stack.pulumi("cancel", "--yes", check=False)
    for command in (("refresh", "--yes", "--clear-pending-creates"), ("up", "--yes")):
        done = stack.pulumi(*command, check=False)
        printed.append(done.stdout + done.stderr)
        if done.returncode != 0:
            errors.append(f"{' '.join(command[:1])}: {_last_error(done.stdout + done.stderr)}")
    return errors, "\n".join(printed)


def forget_pending_creates(stack: Stack) -> None:
    """The provider's records of its creates gone, as on a machine that never ran this stack."""
    shutil.rmtree(stack.backend.env["SEGMENT_UNIFY_STATE_DIR"], ignore_errors=True)


def refusals(printed: str) -> dict[str, str]:
    """Resource name -> the ``adopt_id`` the ``up``'s refusals named (read unwrapped)."""
    return {name: id_ for id_, name in ADOPT_ADVICE.findall(" ".join(printed.split()))}


def follow_advice(stack: Stack, refused: dict[str, str]) -> list[str]:
    """What the refusals say to do, through the example's config: ``adoptIds``, then ``up``."""
    stack.set_object(f"{stack.project.name}:adoptIds", refused)
    done = stack.pulumi("up", "--yes", check=False)
    if done.returncode != 0:
        return [f"up with adoptIds: {_last_error(done.stdout + done.stderr)}"]
    return []


def census(stack: Stack, seeded: set[tuple[str, str]]) -> tuple[int, list[str]]:
    """Duplicates and orphans in Segment against the stack's state."""
    owned = so.owned_objects(so.stored(stack.emulator.state(), WORKSPACE), seeded)
    state: dict[str, Any] = {
        r["urn"]: SimpleNamespace(id=str(r["id"])) for r in stack.resources() if r.get("id")
    }
    return so.duplicates(owned), so.orphans(owned, state)


def seeded_ids(stack: Stack) -> set[tuple[str, str]]:
    return so.object_ids(so.stored(stack.emulator.state(), WORKSPACE))


def crash_and_recover(backend: LocalBackend, point: int, target: str = "provider") -> Recovery:
    """One point, on a new stack and emulator: kill, recover, count, ``--expect-no-changes``."""
    started = time.monotonic()
    with example_stack(backend, EXAMPLE, "dev") as stack:
        seeded = seeded_ids(stack)
        kill = kill_at_write(stack, point, target="provider" if target == OTHER_MACHINE else target)
        result = Recovery(point, kill.killed)
        if not kill.killed:
            result.errors.append(f"the up ended before write {point}: {_last_error(kill.output)}")
        if target == OTHER_MACHINE:
            forget_pending_creates(stack)
        errors, printed = recover(stack)
        if target == OTHER_MACHINE:
            result.refused = refusals(printed)
            if result.refused:
                # The refusal is the designed answer to a declared key met without a record.
                errors = [e for e in errors if not e.startswith("up:")]
                errors += follow_advice(stack, result.refused)
        result.errors += errors
        result.duplicates, result.orphans = census(stack, seeded)
        again = stack.pulumi("up", "--yes", "--expect-no-changes", check=False)
        result.settled = again.returncode == 0
        if not result.settled:
            result.errors.append(f"expect-no-changes: {_last_error(again.stdout + again.stderr)}")
    result.seconds = time.monotonic() - started
    return result


def points(backend: LocalBackend) -> int:
    """The writes (POST, PATCH) of one fault-free ``up`` of the example on a new stack."""
    return len(write_log(backend))


def write_log(backend: LocalBackend) -> list[tuple[str, str]]:
    """Method and path of each write of one fault-free ``up`` of the example on a new stack,
    in the order they reach Segment: write N is ``write_log(...)[N - 1]``."""
    with example_stack(backend, EXAMPLE, "dev") as stack:
        stack.emulator.clear_request_log()
        stack.pulumi("up", "--yes")
        return [
            (entry["method"], entry["path"])
            for entry in stack.emulator.request_log()
            if entry["method"] in WRITE_METHODS
        ]


def _last_error(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if "error" in line.lower()]
    return (lines[-1] if lines else "exit non-zero")[:200]


@contextmanager
def _backend() -> Iterator[LocalBackend]:
    pulumi = locate()
    assert pulumi is not None
    with tempfile.TemporaryDirectory() as tmp:
        backend = LocalBackend(pulumi, Path(tmp))
        backend.install(EXAMPLE)
        yield backend


def run(
    quick: bool = False, targets: tuple[str, ...] = TARGETS, only: tuple[int, ...] | None = None
) -> list[Row]:
    """Rows per target; ``only`` picks the writes to kill at (default every one)."""
    if locate() is None:
        return [Row("CLI: kill -9 at each write", "not measured", "report", None, why_missing())]
    with _backend() as backend:
        total = points(backend)
    chosen = list(range(1, total + 1))
    if only:
        chosen = [point for point in only if point <= total]
    elif quick:
        chosen = chosen[:: max(1, total // QUICK_POINTS)][:QUICK_POINTS]
    rows = []
    for target in targets[:1] if quick else targets:
        done = []
        for point in chosen:
            with _backend() as fresh:
                done.append(crash_and_recover(fresh, point, target))
        rows.append(_row(target, done, total))
    return rows


def _tally(done: list[Recovery]) -> tuple[int, int, int, int, float, Recovery | None]:
    """Points killed, duplicates, orphans, points settled, median seconds, first failure."""
    failed = [r for r in done if r.errors or r.duplicates or r.orphans or not r.settled]
    return (
        sum(r.killed for r in done),
        sum(r.duplicates for r in done),
        sum(len(r.orphans) for r in done),
        sum(r.settled for r in done),
        statistics.median(r.seconds for r in done),
        failed[0] if failed else None,
    )


def _problem(first: Recovery | None) -> str:
    if first is None:
        return ""
    return f"first problem: point {first.point}: " + "; ".join(first.orphans[:2] + first.errors[:2])


def _row(target: str, done: list[Recovery], total: int) -> Row:
    if target == OTHER_MACHINE:
        return _other_machine_row(done, total)
    killed, dupes, orphaned, settled, per_point, first = _tally(done)
    detail = _problem(first) or "every recovery command exited 0"
    what = "the provider process" if target == "provider" else "`pulumi up` (the CLI)"
    when = (
        "after its Nth POST/PATCH was applied and before its answer"
        if target == "provider"
        else "once its Nth POST/PATCH was applied; its provider read the answer 2 s later, "
        "then every process of the `up` was killed"
    )
    return Row(
        f"CLI: kill -9 of {what} at each write of the example ({len(done)} of {total})",
        f"duplicates {dupes}, orphans {orphaned}; `up --expect-no-changes` passed "
        f"{settled}/{len(done)}",
        "0 / 0, all pass",
        dupes == 0 and orphaned == 0 and settled == len(done) and killed == len(done),
        f"killed at {killed}/{len(done)} points, {when}; recovery: cancel, refresh "
        f"--clear-pending-creates, up; median {seconds(per_point)} per point; {detail}",
    )


def _other_machine_row(done: list[Recovery], total: int) -> Row:
    killed, dupes, orphaned, settled, per_point, first = _tally(done)
    refused = [r for r in done if r.refused]
    detail = _problem(first) or "every recovery command exited 0 (the refused `up` aside)"
    at = ", ".join(str(r.point) for r in refused) or "none"
    return Row(
        "CLI: kill -9 of the provider process at each write of the example, recovered on "
        f"another machine (no records of pending creates; {len(done)} of {total})",
        f"duplicates {dupes}, orphans {orphaned}; declared-key objects refused with their "
        f"adopt_id {sum(len(r.refused) for r in refused)} (points {at}); "
        f"`up --expect-no-changes` passed {settled}/{len(done)}",
        "0 / 0, all pass",
        dupes == 0 and orphaned == 0 and settled == len(done) and killed == len(done),
        f"killed at {killed}/{len(done)} points, after the Nth POST/PATCH was applied and "
        "before its answer; records of pending creates emptied, then cancel, refresh "
        "--clear-pending-creates, up; where that `up` refused an object naming its adopt_id, "
        "the ids went into the example's `adoptIds` config and `up` ran again; median "
        f"{seconds(per_point)} per point; {detail}",
    )
