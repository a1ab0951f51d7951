"""Bringing an object made in Segment's app under a stack, under the real engine.

Neither `import_` nor `pulumi import` can serve Pulumi's Python dynamic providers: the engine's
import step reads the object with no inputs and no state, and `python -m pulumi.dynamic` finds
the provider to call only in the serialized provider those carry (`KeyError: '__provider'`,
before any code of ours runs). The `import_` option is refused by the program itself, naming
`adopt_id`; `pulumi import` (no program) is pinned down, so that the day Pulumi's engine or SDK
changes it, the test fails and says so. The way that works, this package's `adopt_id` argument,
is tested beside them.
"""

from __future__ import annotations

from typing import Any

import pytest

from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import Stack, example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

PROGRAM = __import__("pathlib").Path(__file__).parent / "programs" / "import-trait"
QUERY = "event('Flex - Engagement Initiated').count()"


def _app_made_trait(stack: Stack, how: str, name: str) -> dict[str, Any]:
    """A trait made through the Public API (as Segment's app would), and the program set to it."""
    [space] = [s for s in stack.objects("space") if s["slug"] == "unified-profiles-dev"]
    with stack.emulator.client() as http:
        made = http.post(
            f"/spaces/{space['id']}/computed-traits",
            json={"name": "Inbound count", "definition": {"type": "USERS", "query": QUERY}},
        )
        made.raise_for_status()
    trait: dict[str, Any] = made.json()["data"]["computedTrait"]
    stack.set_config("import-trait:how", how)
    stack.set_config("import-trait:spaceSlug", "unified-profiles-dev")
    stack.set_config("import-trait:name", name)
    stack.set_config("import-trait:query", QUERY)
    stack.set_config("import-trait:existingId", f"{space['id']}/{trait['id']}")
    return trait


def test_adopt_id_brings_an_app_made_trait_under_the_stack(backend: LocalBackend) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        trait = _app_made_trait(stack, "adopt_id", "Inbound count")
        stack.pulumi("up", "--yes")
        assert stack.outputs()["traitId"] == trait["id"]
        stack.pulumi("up", "--yes", "--expect-no-changes")
        traits = stack.objects("computed_trait")
        assert [t["id"] for t in traits if t["name"] == "Inbound count"] == [trait["id"]]
        # Managed from now on: destroy removes it, as after an import.
        stack.pulumi("destroy", "--yes")
        assert trait["id"] not in stack.ids("computed_trait")


def test_adopt_id_applies_what_the_program_declares_differently(backend: LocalBackend) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        trait = _app_made_trait(stack, "adopt_id", "Inbound count")
        stack.set_config("import-trait:description", "Inbound calls, all time")
        stack.pulumi("up", "--yes")
        [kept] = [t for t in stack.objects("computed_trait") if t["id"] == trait["id"]]
        assert kept["description"] == "Inbound calls, all time"
        stack.pulumi("up", "--yes", "--expect-no-changes")


def test_adopt_id_of_a_missing_object_fails_saying_so(backend: LocalBackend) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        _app_made_trait(stack, "adopt_id", "Inbound count")
        stack.set_config("import-trait:existingId", "spa_nowhere/no-such-trait")
        up = stack.pulumi("up", "--yes", check=False)
        assert up.returncode != 0
        assert "Segment has no such object" in up.stdout, up.stdout


def test_the_import_option_is_refused_naming_adopt_id_and_following_it_works(
    backend: LocalBackend,
) -> None:
    # The engine's import would stop at a raw KeyError: '__provider' (Pulumi's dynamic host,
    # before this package runs); the program refuses import_ first and names adopt_id.
    with example_stack(backend, PROGRAM, "dev") as stack:
        trait = _app_made_trait(stack, "import_", "Inbound count")
        up = stack.pulumi("up", "--yes", check=False)
        assert up.returncode != 0
        shown = " ".join(up.stdout.split())
        existing = f"{trait['id']}"
        assert "ComputedTrait 'adopted': Pulumi's import_ option" in shown, up.stdout
        assert "adopt_id=" in shown and existing in shown, up.stdout
        [kept] = [t for t in stack.objects("computed_trait") if t["id"] == trait["id"]]
        assert kept["name"] == "Inbound count"

        stack.set_config("import-trait:how", "adopt_id")
        stack.pulumi("up", "--yes")
        assert stack.outputs()["traitId"] == trait["id"]


def test_pulumi_import_command_cannot_serve_dynamic_resources(backend: LocalBackend) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        done = stack.pulumi(
            "import",
            "pulumi-python:dynamic/segment:ComputedTrait",
            "adopted",
            "some-space/some-trait",
            "--yes",
            check=False,
        )
        assert done.returncode != 0
        assert "__provider" in done.stdout + done.stderr, done.stdout + done.stderr
