"""`examples/unified-profiles`, prod stack: protected resources and what `destroy` does to them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from segment_unify.pulumi_stack import STACK_MADE, Stack, example_up

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]


@pytest.fixture(scope="module")
def prod(
    pulumi_bin: Path, examples_installed: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    with example_up(pulumi_bin, tmp_path_factory.mktemp("prod"), "prod") as stack:
        yield stack


def test_prod_up_then_no_changes_and_the_sheet(prod: Stack) -> None:
    assert len(prod.made("computed_trait")) == 6
    prod.pulumi("up", "--yes", "--expect-no-changes")
    shown = prod.outputs()
    assert shown["spaceSlug"] == "unified-profiles-prod"
    assert shown["profileApiToken"] == "[secret]"
    state = prod.export()
    assert prod.emulator.profile_tokens["unified-profiles-prod"] not in state
    assert "emulator-only-password" not in state


def test_destroy_refuses_what_protect_covers(prod: Stack) -> None:
    made_before = {kind: prod.made(kind) for kind in STACK_MADE}
    refused = prod.pulumi("destroy", "--yes", check=False)
    text = refused.stdout + refused.stderr
    assert refused.returncode != 0, text
    assert "protected" in text, text
    # Nothing that holds data went: the traits, sources and warehouse are all still there.
    for kind in ("computed_trait", "source", "warehouse"):
        assert prod.made(kind) == made_before[kind], kind


def test_after_unprotect_destroy_removes_what_the_stack_made(prod: Stack) -> None:
    spaces = prod.objects("space")
    prod.pulumi("state", "unprotect", "--all", "--yes")
    prod.pulumi("destroy", "--yes")
    for kind in STACK_MADE:
        assert prod.made(kind) == set(), kind
    assert prod.objects("space") == spaces
