"""An audience reading a computed trait of the same program, under the real engine.

With a key string (``trait('inbound_calls_30d') >= 3``) the audience neither waited for the
trait (its first `up` failed unless ``depends_on`` was added) nor followed a rename (the trait
was replaced under a new key, the audience kept the old one). Given the trait resource, or an
Output of its key, the definition is resolved at `up` from the trait's key: the audience
depends on the trait, and a rename updates it in the same `up`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import Stack, example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

PROGRAM = Path(__file__).parent / "programs" / "audience-reads-trait"


def audience_query(stack: Stack) -> str:
    [audience] = [a for a in stack.objects("audience") if a["name"] == "Frequent callers"]
    return str(audience["definition"]["query"])


@pytest.mark.parametrize("how", ["resource", "apply"])
def test_the_audience_waits_for_the_trait_and_follows_its_rename(
    backend: LocalBackend, how: str
) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("audience-reads-trait:how", how)
        stack.set_config("audience-reads-trait:spaceSlug", "unified-profiles-dev")
        stack.set_config("audience-reads-trait:traitName", "Inbound calls (30d)")

        stack.pulumi("up", "--yes")
        assert stack.outputs()["traitKey"] == "inbound_calls_30d"
        assert audience_query(stack) == "trait('inbound_calls_30d') >= 3"

        stack.set_config("audience-reads-trait:traitName", "Inbound calls (last 30d)")
        stack.pulumi("up", "--yes")
        assert stack.outputs()["traitKey"] == "inbound_calls_last_30d"
        assert audience_query(stack) == "trait('inbound_calls_last_30d') >= 3"
        stack.pulumi("up", "--yes", "--expect-no-changes")
        stack.pulumi("destroy", "--yes")
