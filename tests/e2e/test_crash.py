"""A `pulumi up` killed (SIGKILL), or its provider process killed, while creates are in flight,
then what a user does next.

Killing the CLI leaves the engine's pending operations in the state and, possibly, objects
Segment made whose answers nobody read (the provider process outlives the CLI and finishes what
it sent). The file backend's lock stays too. Killing the provider process (``python -m
pulumi.dynamic``) instead leaves a write Segment applied and nobody read, and an ``up`` that
fails. Either way a user then runs `pulumi cancel` (the lock), `pulumi refresh
--clear-pending-creates` (what the CLI asks about pending creates when it can ask) and `pulumi up`
(README, "After a crash"). Afterwards Segment holds every object of the stack once and nothing
the state does not know, and `pulumi up --expect-no-changes` passes.

The provider is killed here at a spread of the example's writes (``PROVIDER_KILL_WRITES``);
``python -m benchmarks --only crash`` kills it at every one (README).
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from benchmarks import crash
from benchmarks.segment_objects import duplicates, orphans, owned_objects, stored
from segment_unify.pulumi_cli import LocalBackend, session_members
from segment_unify.pulumi_stack import EXAMPLES, WORKSPACE, Stack, example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

PROJECT = EXAMPLES / "unified-profiles"


def _posts(stack: Stack) -> int:
    return sum(1 for r in stack.emulator.request_log() if r.get("method") == "POST")


def _kill_up_after(stack: Stack, posts: int) -> str:
    process = stack.backend.popen("up", "--yes", "--stack", stack.name, cwd=stack.project)
    deadline = time.monotonic() + 600
    try:
        while _posts(stack) < posts:
            assert process.poll() is None, f"up ended before {posts} creates: {process.stdout}"
            assert time.monotonic() < deadline, "no creates"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        # The provider and program outlive the CLI; let them finish what they sent, then go.
        time.sleep(3)
    finally:
        stack.backend.kill_all(process)
    assert session_members(process.pid) == [], "the CLI's plugins outlived the test"
    assert process.stdout is not None
    return process.stdout.read()


def _census(stack: Stack, seeded: set[tuple[str, str]]) -> tuple[int, list[str]]:
    objects = stored(stack.emulator.state(), WORKSPACE)
    owned = owned_objects(objects, seeded)
    state: dict[str, Any] = {
        r["urn"]: SimpleNamespace(id=str(r["id"])) for r in stack.resources() if r.get("id")
    }
    return duplicates(owned), orphans(owned, state)


@pytest.mark.parametrize("posts", [2, 6, 12])
def test_kill_up_mid_create_then_refresh_and_up_leave_no_duplicate_or_orphan(
    backend: LocalBackend, posts: int
) -> None:
    with example_stack(backend, PROJECT, "dev") as stack:
        objects = stored(stack.emulator.state(), WORKSPACE)
        seeded = {(kind, str(o["id"])) for kind, items in objects.items() for o in items}
        # Slow creates, so that several are in flight when the CLI dies.
        stack.emulator.set_faults([{"kind": "latency", "method": "POST", "latency_ms": 400}])
        _kill_up_after(stack, posts)
        stack.emulator.clear_faults()

        stack.pulumi("cancel", "--yes")
        stack.pulumi("refresh", "--yes", "--clear-pending-creates")
        stack.pulumi("up", "--yes")
        stack.pulumi("up", "--yes", "--expect-no-changes")
        extra, left = _census(stack, seeded)
        assert (extra, left) == (0, [])


# Writes of the example (POST or PATCH), found by kind in a fault-free ``up``'s log rather than
# by number (a write added before them, such as the warehouse's Test Connection, moves them): a
# source's POST (Segment makes it; the PATCH that names it never goes), the Send Identify
# mapping's POST (an autonamed object Segment would take twice) and its PATCH (model and
# schedule), a computed trait's POST (a declared name: the provider's record of its creates).
# Every write is in the crash benchmark.
PROVIDER_KILL_WRITES = {
    "source": ("POST", r"^/sources$"),
    "mapping": ("POST", r"^/destinations/[^/]+/subscriptions$"),
    "mapping-patch": ("PATCH", r"^/destinations/[^/]+/subscriptions/[^/]+$"),
    "trait": ("POST", r"^/spaces/[^/]+/computed-traits$"),
}


def _point(writes: list[tuple[str, str]], method: str, path: str) -> int:
    """The write number (from 1) of the first write of this kind."""
    return 1 + next(
        index
        for index, (sent, where) in enumerate(writes)
        if sent == method and re.search(path, where)
    )


@pytest.mark.parametrize("write", list(PROVIDER_KILL_WRITES))
def test_kill_provider_at_a_write_then_recover_leaves_no_duplicate_or_orphan(
    backend: LocalBackend, example_writes: list[tuple[str, str]], write: str
) -> None:
    result = crash.crash_and_recover(backend, _point(example_writes, *PROVIDER_KILL_WRITES[write]))
    assert result.killed, result.errors
    assert (result.duplicates, result.orphans, result.errors) == (0, [], [])
    assert result.settled


@pytest.fixture(scope="module")
def example_writes(
    pulumi_bin: Path, examples_installed: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[str, str]]:
    """Method and path of each write of a fault-free ``up`` of the example, in order."""
    return crash.write_log(LocalBackend(pulumi_bin, tmp_path_factory.mktemp("writes")))


# On another machine there is no record of the cut-off create: the mapping (autonamed, a name
# Segment would take twice) is found by its name; the trait (a declared name) is refused,
# naming the adopt_id that the example's ``adoptIds`` config then gives it.
OTHER_MACHINE_WRITES = {
    "mapping": ("POST", r"^/destinations/[^/]+/subscriptions$"),
    "trait": ("POST", r"^/spaces/[^/]+/computed-traits$"),
}


@pytest.mark.parametrize("write", list(OTHER_MACHINE_WRITES))
def test_kill_provider_then_recover_on_another_machine_leaves_no_duplicate_or_orphan(
    backend: LocalBackend, example_writes: list[tuple[str, str]], write: str
) -> None:
    point = _point(example_writes, *OTHER_MACHINE_WRITES[write])
    result = crash.crash_and_recover(backend, point, crash.OTHER_MACHINE)
    assert result.killed, result.errors
    assert (result.duplicates, result.orphans, result.errors) == (0, [], [])
    assert bool(result.refused) == (write == "trait"), result.refused
    assert result.settled
