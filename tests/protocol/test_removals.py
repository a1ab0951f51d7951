"""Removing a field Segment cannot clear is refused at preview, naming the field and why.

Segment's update models type a computed trait's and an audience's ``description`` and a
source's ``name`` as plain strings (not nullable, in its SDK), and Segment documents no way to
clear them: a program that drops one gets a ``CheckFailure`` on that field, and nothing is
sent to Segment. Through the provider process over gRPC, against the emulator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.localrun.engine import Engine
from segment_unify.localrun.program import destroy_all, run_program
from segment_unify.provider.resources import (
    Audience,
    AudienceArgs,
    ComputedTrait,
    ComputedTraitArgs,
    Source,
    SourceArgs,
    UnifySpace,
    UnifySpaceArgs,
)
from tests.protocol.cases import props_of

pytestmark = pytest.mark.timeout(120)


def _trait(description: str | None) -> Callable[[], None]:
    def program() -> None:
        space = UnifySpace("space", UnifySpaceArgs(slug="unified-profiles-dev"))
        query = "event('Flex - Engagement Initiated').count()"
        args = ComputedTraitArgs(
            space_id=space.space_id, name="Inbounds", description=description, definition=query
        )
        ComputedTrait("trait", args)

    return program


def _audience(description: str | None) -> Callable[[], None]:
    def program() -> None:
        space = UnifySpace("space", UnifySpaceArgs(slug="unified-profiles-dev"))
        args = AudienceArgs(
            space_id=space.space_id,
            name="Likely churners",
            description=description,
            definition="trait('likelihood_to_churn') > 0.5",
        )
        Audience("audience", args)

    return program


def _source(name: str | None) -> Callable[[], None]:
    def program() -> None:
        Source("site", SourceArgs(catalog_slug="javascript", name=name))

    return program


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (_trait, "description", "Inbound Flex engagements"),
        (_audience, "description", "Churn over one half"),
        (_source, "name", "Website"),
    ],
    ids=["trait-description", "audience-description", "source-name"],
)
def test_removing_a_field_segment_cannot_clear_fails_at_preview_naming_it(
    engine: Engine,
    emulator: InProcessEmulator,
    make: Callable[[str | None], Callable[[], None]],
    field: str,
    value: str,
) -> None:
    run_program(make(value), engine, project="removals")
    mark = len(emulator.request_log())
    try:
        with pytest.raises(Exception, match=f"{field}: .*cannot be removed") as refused:
            run_program(make(None), engine, project="removals")
        assert "not null" in str(refused.value)
        writes: list[dict[str, Any]] = [
            e for e in emulator.request_log()[mark:] if e["method"] in ("PATCH", "POST")
        ]
        assert writes == []
    finally:
        destroy_all(engine)


def test_a_salesforce_environment_segment_does_not_offer_fails_at_preview(
    engine: Engine,
) -> None:
    """``salesforce-environment`` is ``production`` or ``sandbox``: anything else is refused
    on ``settings`` before anything is made."""
    settings = {"salesforce-environment": "staging"}
    props = props_of(Source, "crm", catalog_slug="salesforce", settings=settings)
    urn = engine.urn(Source.type_token(), "crm")
    _, failures = engine.provider.check(urn, {}, props)
    [(field, reason)] = failures
    assert field == "settings"
    assert "'production' or 'sandbox'" in reason and "'staging'" in reason


@pytest.mark.parametrize(
    "make", [_trait, _audience, _source], ids=["trait", "audience", "source-name"]
)
def test_a_field_the_program_never_gave_is_no_removal_after_a_refresh(
    engine: Engine, make: Callable[[str | None], Callable[[], None]]
) -> None:
    """A refresh fills the inputs with what Segment holds (a source's name defaults to its
    slug): the next preview of a program that never declared the field is no removal."""
    run_program(make(None), engine, project="removals")
    try:
        engine.refresh_all()
        mark = len(engine.steps)
        run_program(make(None), engine, project="removals")
        assert {kind for kind, _ in engine.steps[mark:]} == {"same"}
    finally:
        destroy_all(engine)
