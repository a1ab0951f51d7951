"""Two stacks with the same project and stack names on one workspace, under the real CLI.

Two developers' local backends (or a laptop and CI) each hold a ``unified-profiles/dev`` stack
of the example on one Segment workspace. Per way of keeping the provider's records of creates
in flight (a folder each, as on two machines; one folder, as on one machine), on a fresh
emulator: the first stack's ``up``; the second's ``up`` (its traits meet the first's keys and
are refused), its ``destroy``, its ``up`` again; the first's ``destroy``; the second's
``destroy``. Every object each stack's state held is compared, whole, before and after each of
the other's commands: an object of one that the other changed or deleted is "touched". Objects
made in Segment's app that both adopt (the space, its token, predictions) are not counted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.stack import SEED, WORKSPACE, window_env
from benchmarks.table import Row
from segment_unify import demo
from segment_unify.emulator.testing import EmulatorHandle, spawn_emulator
from segment_unify.pulumi_cli import LocalBackend, locate, why_missing
from segment_unify.pulumi_stack import STACK_MADE, Stack, init_stack

TIME_SCALE = 60.0
RECORDS = ("a folder each", "one folder")

Objects = dict[tuple[str, str], dict[str, Any]]


def _objects(emulator: EmulatorHandle) -> Objects:
    return {
        (kind, str(o["id"])): o for kind in STACK_MADE for o in emulator.objects(WORKSPACE, kind)
    }


def _held(stack: Stack, everything: Objects) -> Objects:
    """The objects ``stack``'s state holds (by the last part of each id)."""
    ids = {str(r["id"]).rsplit("/", 1)[-1] for r in stack.resources() if r.get("id")}
    ids |= {str(r["id"]) for r in stack.resources() if r.get("id")}
    return {key: o for key, o in everything.items() if key[1] in ids}


def _touched(before: Mapping[tuple[str, str], Any], after: Objects) -> list[str]:
    return [f"{kind} {id_}" for (kind, id_), o in before.items() if after.get((kind, id_)) != o]


def _pair(pulumi: Path, work: Path, records: str) -> tuple[int, int, int, list[str]]:
    """Objects of the first, of the second, and those touched by the other (count, names)."""
    env = window_env(TIME_SCALE)
    with spawn_emulator(seed=SEED, time_scale=TIME_SCALE) as emulator:
        first_backend = LocalBackend(pulumi, work / "first", env=env)
        first_backend.install(demo.EXAMPLE)
        first = init_stack(first_backend, demo.EXAMPLE, "dev", emulator)
        first.pulumi("up", "--yes")
        firsts = _held(first, _objects(emulator))

        second_env = dict(env)
        if records == "one folder":
            second_env["SEGMENT_UNIFY_STATE_DIR"] = first_backend.env["SEGMENT_UNIFY_STATE_DIR"]
        second = init_stack(
            LocalBackend(pulumi, work / "second", env=second_env), demo.EXAMPLE, "dev", emulator
        )
        touched: list[str] = []
        for command in (("up", "--yes"), ("destroy", "--yes"), ("up", "--yes")):
            second.pulumi(*command, check=False)
            touched += _touched(firsts, _objects(emulator))
        seconds = _held(second, _objects(emulator))
        first.pulumi("destroy", "--yes")
        touched += _touched(seconds, _objects(emulator))
        second.pulumi("destroy", "--yes", check=False)
    return len(firsts), len(seconds), len(set(touched)), sorted(set(touched))


def run(quick: bool = False) -> list[Row]:
    pulumi = locate()
    if pulumi is None:
        return [Row("CLI: two same-named stacks", "not measured", "0", None, why_missing())]
    results = []
    for records in RECORDS[:1] if quick else RECORDS:
        with tempfile.TemporaryDirectory() as tmp:
            results.append((records, *_pair(pulumi, Path(tmp), records)))
    touched = sum(r[3] for r in results)
    notes = "; ".join(
        f"records in {records}: {firsts} objects of the first stack, {seconds} of the second, "
        f"{count} touched{' (' + ', '.join(names[:5]) + ')' if names else ''}"
        for records, firsts, seconds, count, names in results
    )
    return [
        Row(
            "CLI: two stacks with the same project and stack names on one workspace, objects of "
            "one touched (changed or deleted) by the other's `up` and `destroy`",
            str(touched),
            "0",
            touched == 0,
            notes + "; the second's traits hold the first's keys: its `up` refuses them",
        )
    ]
