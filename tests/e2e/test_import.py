"""Bringing an object made in Segment's app under a stack: the `import_` resource option.

`pulumi import <type> <name> <id>` cannot serve dynamic resources: the engine reads the object
with no inputs, and Pulumi's dynamic provider needs the program's serialized provider (an input)
to know which resource it reads. The test shows the error a user meets, and the README points to
`import_`, which works.
"""

from __future__ import annotations

import pytest

from segment_unify.pulumi_cli import LocalBackend

from .harness import example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

PROGRAM = __import__("pathlib").Path(__file__).parent / "programs" / "import-trait"
QUERY = "event('Flex - Engagement Initiated').count()"


def test_import_option_brings_an_app_made_trait_under_the_stack(backend: LocalBackend) -> None:
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

        up = stack.pulumi("up", "--yes")
        assert "imported" in up.stdout, up.stdout
        assert stack.outputs()["traitId"] == trait["id"]
        stack.pulumi("up", "--yes", "--expect-no-changes")
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
