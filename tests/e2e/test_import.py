"""Bringing an object made in Segment's app under a stack, under the real engine.

Neither `import_` nor `pulumi import` can serve Pulumi's Python dynamic providers: the engine's
import step reads the object with no inputs and no state, and `python -m pulumi.dynamic` finds
the provider to call only in the serialized provider those carry (`KeyError: '__provider'`,
before any code of ours runs). These tests pin that down, so that the day Pulumi's engine or
SDK changes it, they fail and say so; the README shows the way that works instead.
"""

from __future__ import annotations

import pytest

from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

PROGRAM = __import__("pathlib").Path(__file__).parent / "programs" / "import-trait"
QUERY = "event('Flex - Engagement Initiated').count()"


def test_import_option_cannot_serve_a_dynamic_resource(backend: LocalBackend) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        [space] = [s for s in stack.objects("space") if s["slug"] == "unified-profiles-dev"]
        with stack.emulator.client() as http:
            made = http.post(
                f"/spaces/{space['id']}/computed-traits",
                json={"name": "Inbound count", "definition": {"type": "USERS", "query": QUERY}},
            )
            made.raise_for_status()
        trait = made.json()["data"]["computedTrait"]
        stack.set_config("import-trait:spaceSlug", "unified-profiles-dev")
        stack.set_config("import-trait:name", "Inbound count")
        stack.set_config("import-trait:query", QUERY)
        stack.set_config("import-trait:importId", f"{space['id']}/{trait['id']}")

        up = stack.pulumi("up", "--yes", check=False)
        assert up.returncode != 0
        assert "KeyError: '__provider'" in up.stdout, up.stdout
        [kept] = [t for t in stack.objects("computed_trait") if t["id"] == trait["id"]]
        assert kept["name"] == "Inbound count"


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
