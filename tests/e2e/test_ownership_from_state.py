"""A stack only ever changes or deletes what its own state proves it made, under the real engine.

- Two stacks with the same project and stack names on one workspace (two backends: two
  developers, or a laptop and CI; with records of creates in separate folders, and in one, as on
  one machine) never touch each other's objects, and each one's `destroy` leaves the other's.
- Mappings someone else made on the stack's destination, under the declared name or a name
  shaped like an autoname, survive the stack's create of its own.
- A resource renamed in the program: with `aliases`, nothing changes in Segment (names
  included); without, `up` refuses, and following each piece of advice it prints loses nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from segment_unify import demo
from segment_unify.provider.catalog import SEND_IDENTIFY_ACTION
from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import STACK_MADE, Stack, example_stack, init_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

EXAMPLE = demo.ROOT / "examples" / demo.PROJECT
PROGRAM = Path(__file__).parent / "programs" / "ownership"
SPACE = "unified-profiles-dev"


def _held(stack: Stack) -> dict[str, set[str]]:
    """The Segment ids each kind of the stack's state holds (a nested id's last part)."""
    types = {
        "source": "Source",
        "warehouse": "Warehouse",
        "reverse_etl_model": "ReverseEtlModel",
        "destination": "Destination",
        "subscription": "DestinationSubscription",
        "profiles_warehouse": "ProfilesWarehouse",
        "computed_trait": "ComputedTrait",
        "audience": "Audience",
    }
    return {kind: set(stack.state_ids(f":{suffix}")) for kind, suffix in types.items()}


def _present(stack: Stack, held: dict[str, set[str]]) -> dict[str, set[str]]:
    return {kind: ids & stack.ids(kind) for kind, ids in held.items()}


@contextmanager
def _second_stack(first: Stack, work: Path, *, records: Path | None) -> Iterator[Stack]:
    """A stack named as ``first`` (project and stack) on another backend, same workspace."""
    env = {"SEGMENT_UNIFY_STATE_DIR": str(records)} if records is not None else None
    backend = LocalBackend(first.backend.pulumi, work, env=env)
    yield init_stack(backend, EXAMPLE, first.name, first.emulator)


@pytest.mark.parametrize("records", ["separate", "shared"])
def test_two_stacks_with_the_same_names_never_touch_each_others_objects(
    backend: LocalBackend, tmp_path: Path, records: str
) -> None:
    with example_stack(backend, EXAMPLE, "dev") as first:
        first.remember_baseline(STACK_MADE)
        first.pulumi("up", "--yes")
        mine = _held(first)
        assert sum(len(ids) for ids in mine.values()) >= 14
        shared = Path(first.backend.env["SEGMENT_UNIFY_STATE_DIR"])
        with _second_stack(
            first, tmp_path / "second", records=shared if records == "shared" else None
        ) as second:
            # The six Flex traits hold keys the first stack's traits hold: refused, not taken.
            refused = second.pulumi("up", "--yes", check=False)
            theirs = _held(second)
            assert all(not (theirs[kind] & mine[kind]) for kind in mine), (theirs, mine)
            assert _present(first, mine) == mine
            assert refused.returncode != 0
            assert "that this stack has no record of making" in refused.stdout + refused.stderr

            second.pulumi("destroy", "--yes")
            assert _present(first, mine) == mine
            first.pulumi("preview", "--refresh", "--expect-no-changes")

            made_by_second = {k: ids for k, ids in theirs.items() if ids}
            assert made_by_second, "the second stack made objects of its own"
            second.pulumi("up", "--yes", check=False)
            theirs = _held(second)
            first.pulumi("destroy", "--yes")
            assert _present(second, theirs) == theirs
            second.pulumi("destroy", "--yes")


def _subscription(http: Any, destination: str, model: str, name: str) -> str:
    made = http.post(
        f"/destinations/{destination}/subscriptions",
        json={
            "name": name,
            "actionId": SEND_IDENTIFY_ACTION,
            "trigger": 'type = "identify"',
            "enabled": True,
            "modelId": model,
        },
    )
    assert made.status_code == 200, made.text
    return str(made.json()["data"]["destinationSubscription"]["id"])


def test_mappings_someone_else_made_survive_the_stacks_create_of_its_own(
    backend: LocalBackend,
) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("ownership:spaceSlug", SPACE)
        stack.set_config("ownership:mappingName", "Accounts to profiles")
        stack.pulumi("up", "--yes")
        [destination] = stack.state_ids(":Destination")
        [model] = stack.state_ids(":ReverseEtlModel")
        with stack.emulator.client() as http:
            # Half-made as a POST without its PATCH would leave them: no schedule.
            foreign = {
                _subscription(http, destination, model, "Accounts to profiles"),
                _subscription(http, destination, model, "auto-k3j9x2a"),
            }

        stack.set_config("ownership:withMappings", "true")
        stack.pulumi("up", "--yes")

        assert foreign <= stack.ids("subscription")
        ours = set(stack.state_ids(":DestinationSubscription"))
        assert len(ours) == 2 and not ours & foreign
        # (The destination is the stack's: its destroy takes every mapping on it, as in Segment.)
        stack.pulumi("destroy", "--yes")


def test_a_rename_with_aliases_changes_nothing_in_segment(backend: LocalBackend) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("ownership:spaceSlug", SPACE)
        stack.pulumi("up", "--yes")
        before = stack.outputs()
        sources, traits = stack.ids("source"), stack.ids("computed_trait")

        stack.set_config("ownership:names", "new")
        stack.set_config("ownership:aliases", "true")
        stack.pulumi("up", "--yes")

        assert stack.outputs() == before
        assert stack.ids("source") == sources and stack.ids("computed_trait") == traits
        stack.pulumi("preview", "--refresh", "--expect-no-changes")
        stack.pulumi("destroy", "--yes")


def _refusal(stack: Stack) -> str:
    done = stack.pulumi("up", "--yes", check=False)
    assert done.returncode != 0
    return done.stdout + done.stderr


def _alias_advised(message: str) -> str:
    found = re.search(r"aliases=\[pulumi\.Alias\(name='([^'<]+)'\)\]", message)
    assert found, message
    return found.group(1)


@pytest.mark.parametrize("machine", ["same", "another"])
def test_a_rename_without_aliases_following_the_advice_loses_nothing(
    backend: LocalBackend, machine: str, tmp_path: Path
) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("ownership:spaceSlug", SPACE)
        stack.pulumi("up", "--yes")
        trait = stack.outputs()["traitId"]
        if machine == "another":
            # A CI runner with the same state backend but no records of this machine's creates.
            stack.backend.env["SEGMENT_UNIFY_STATE_DIR"] = str(tmp_path / "other-records")

        stack.set_config("ownership:names", "new")
        message = _refusal(stack)
        assert trait in message
        if machine == "same":
            # The record names the old resource: its alias is the advice, and the only one.
            assert "adopt_id" not in message
            assert _alias_advised(message) == "fav-channel"
            stack.set_config("ownership:aliases", "true")
        else:
            # No record here: the advice is an alias to the old name, or adopt_id. Follow the
            # one that could delete, were anything to go wrong: adopt_id.
            adopt = re.search(r"adopt_id='([^']+)'", message)
            assert adopt, message
            stack.set_config("ownership:traitAdoptId", adopt.group(1))
        stack.pulumi("up", "--yes")

        assert trait in stack.ids("computed_trait")
        assert stack.outputs()["traitId"] == trait
        stack.pulumi("up", "--yes", "--expect-no-changes")
        assert trait in stack.ids("computed_trait")
        if machine == "another":
            assert "pulumi.Alias(name='<the old name>')" in message
        stack.pulumi("destroy", "--yes")
        assert trait not in stack.ids("computed_trait")


def test_adopting_what_another_resource_holds_is_refused_and_the_advice_loses_nothing(
    backend: LocalBackend,
) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("ownership:spaceSlug", SPACE)
        stack.pulumi("up", "--yes")
        trait = stack.outputs()["traitId"]
        before = stack.ids("computed_trait")

        # A second resource declared with the first's object as its adopt_id: two resources
        # would manage one object, and either's delete would remove it.
        stack.set_config("ownership:copyAdoptId", trait)
        message = _refusal(stack)
        assert "fav-channel" in message and "holds that object already" in message, message
        assert "else remove `adopt_id`" in message
        assert stack.ids("computed_trait") == before

        # The program kept both resources, so the advice is to remove adopt_id: the copy is
        # made as an object of its own and the first's is untouched.
        stack.pulumi("config", "rm", "ownership:copyAdoptId")
        stack.set_config("ownership:copy", "true")
        stack.pulumi("up", "--yes")
        made = stack.ids("computed_trait") - before
        assert trait in stack.ids("computed_trait") and len(made) == 1
        assert stack.outputs()["traitId"] == trait
        stack.pulumi("destroy", "--yes")
        assert trait not in stack.ids("computed_trait") and not made & stack.ids("computed_trait")


# A create held this long by Segment before it applies it, past the client's look for it
# (SEGMENT_UNIFY_ADVERSARIAL_HOLD_SECONDS=150 runs the case as reported; CI holds it less).
HOLD = float(os.environ.get("SEGMENT_UNIFY_ADVERSARIAL_HOLD_SECONDS", "20"))


def test_a_create_that_reaches_segment_late_leaves_no_duplicate_after_the_next_up(
    backend: LocalBackend,
) -> None:
    kinds = {"reverse_etl_model": ":ReverseEtlModel", "destination": ":Destination"}
    backend.env["SEGMENT_UNIFY_LIST_WAIT_SECONDS"] = "3"
    backend.env["SEGMENT_UNIFY_LATE_WRITE_SECONDS"] = str(HOLD + 20)
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("ownership:spaceSlug", SPACE)
        stack.remember_baseline(tuple(kinds))
        held = {"kind": "late_commit", "method": "POST", "hold_ms": int(HOLD * 1000)}
        stack.emulator.set_faults(
            [
                {**held, "path": "^/reverse-etl-models$", "max_count": 1},
                {**held, "path": "^/destinations$", "max_count": 1},
            ]
        )
        first_sent = time.monotonic()
        assert stack.pulumi("up", "--yes", check=False).returncode != 0
        stack.pulumi("up", "--yes")  # at once, as a user re-runs it

        deadline = first_sent + HOLD + 60
        while any(len(stack.made(kind)) < 2 for kind in kinds):
            assert time.monotonic() < deadline, "the held creates never landed"
            time.sleep(2)
        stack.pulumi("up", "--yes")

        for kind, suffix in kinds.items():
            assert stack.made(kind) == set(stack.state_ids(suffix)), kind
        # Past the bound (counted from when the first create went out, after the CLI started).
        time.sleep(max(0.0, first_sent + HOLD + 35 - time.monotonic()))
        stack.pulumi("up", "--yes")
        stack.pulumi("up", "--yes", "--expect-no-changes")
        stack.pulumi("destroy", "--yes")
        assert all(not stack.made(kind) for kind in kinds)


def _as_made_before_identities(exported: str, project: str, stack: str) -> str:
    """The state as the version before stack identities left it: no StackIdentity, and each
    resource's seed derived from the project, stack, type and resource name."""
    doc = json.loads(exported)
    resources = doc["deployment"]["resources"]
    identity = [r["urn"] for r in resources if r["type"].endswith(":StackIdentity")]
    kept = []
    for r in resources:
        if r["urn"] in identity:
            continue
        r["dependencies"] = [d for d in r.get("dependencies") or [] if d not in identity]
        for key, deps in list((r.get("propertyDependencies") or {}).items()):
            r["propertyDependencies"][key] = [d for d in deps if d not in identity]
        r.get("propertyDependencies", {}).pop("stack_identity", None)
        for props in (r.get("inputs") or {}, r.get("outputs") or {}):
            props.pop("stack_identity", None)
            if "autoname_seed" in props:
                token = r["type"]
                name = r["urn"].rsplit("::", 1)[-1]
                joined = "\0".join((project, stack, f"pulumi-python:{token}", name))
                props["autoname_seed"] = hashlib.sha256(joined.encode()).hexdigest()[:24]
        kept.append(r)
    doc["deployment"]["resources"] = kept
    return json.dumps(doc)


def test_a_stack_made_before_stack_identities_migrates_changing_nothing_in_segment(
    backend: LocalBackend, tmp_path: Path
) -> None:
    with example_stack(backend, EXAMPLE, "dev") as stack:
        stack.pulumi("up", "--yes")
        old = _as_made_before_identities(stack.export(), demo.PROJECT, "dev")
        state_file = tmp_path / "old-state.json"
        state_file.write_text(old)
        stack.pulumi("stack", "import", "--file", str(state_file))
        before = {kind: stack.ids(kind) for kind in STACK_MADE}
        seen = len(stack.emulator.request_log())

        done = stack.pulumi("up", "--yes")

        writes = [
            (r["method"], r["path"])
            for r in stack.emulator.request_log()[seen:]
            if r["method"] != "GET"
        ]
        assert writes == [], writes
        assert "+ 1 created" in done.stdout and "updated" not in done.stdout, done.stdout
        assert {kind: stack.ids(kind) for kind in STACK_MADE} == before
        stack.pulumi("up", "--yes", "--expect-no-changes")
        stack.pulumi("destroy", "--yes")
