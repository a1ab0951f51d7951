"""`examples/computed-traits-only` under the real CLI: traits in an existing space, nothing else."""

from __future__ import annotations

import pytest

from segment_unify.pulumi_cli import LocalBackend

from .harness import EXAMPLES, example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]


def test_up_no_changes_destroy(backend: LocalBackend) -> None:
    project = EXAMPLES / "computed-traits-only"
    config = {"computed-traits-only:spaceSlug": "unified-profiles-dev"}
    with example_stack(backend, project, "dev", config=config) as stack:
        stack.remember_baseline(("computed_trait",))
        stack.set_object("computed-traits-only:traits", ["total_inbounds", "last_known_service_agent"])
        stack.pulumi("up", "--yes")
        made = stack.made("computed_trait")
        assert len(made) == 2
        outputs = stack.outputs()
        assert {str(outputs["total_inbounds"]), str(outputs["last_known_service_agent"])} == made
        stack.pulumi("up", "--yes", "--expect-no-changes")
        stack.pulumi("destroy", "--yes")
        assert stack.made("computed_trait") == set()
        assert stack.objects("space")
