"""One program gives the same trait and audience keys in every stack, whatever each stack's past.

Segment derives a computed trait's or audience's ``key`` from its name when it is made and never
changes it (its API takes no key). So ``key`` is an input whose default is the key Segment
derives from ``name``, shown as an output; a rename that would change the key is a replacement,
listed by ``diff`` under ``key`` at preview, and a declared ``key`` the name cannot give is a
check failure saying which name gives it. A dev stack that renamed a trait and a prod stack made
fresh from the renamed program end with the same key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, FREQUENT_CALLERS, INBOUND_COUNT, PROD, space_id
from tests.support.engine import CheckFailedError, Engine, ProviderProcess
from tests.support.provider import configured_provider

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def process(emulator: Any) -> Iterator[ProviderProcess]:
    with configured_provider(emulator) as proc:
        yield proc


def _trait(engine: Engine, slug: str, name: str, **kwargs: Any) -> dict[str, Any]:
    args = {"space_id": space_id(engine, slug), "name": name, "definition": INBOUND_COUNT}
    return props_of(ComputedTrait, "inbound", **args, **kwargs)


def test_a_renamed_stack_and_a_fresh_one_get_the_same_trait_key(process: ProviderProcess) -> None:
    dev, prod = Engine(process), Engine(process)
    type_ = ComputedTrait.type_token()
    made = dev.up(type_, "inbound", _trait(dev, DEV.slug, "Total Inbounds"))
    assert made.outputs["key"] == made.inputs["key"] == "total_inbounds"

    diff = process.diff(
        made.urn,
        made.id,
        made.outputs,
        dev.preview(type_, "inbound", _trait(dev, DEV.slug, "Inbound Engagements")).inputs,
    )
    renamed = dev.up(type_, "inbound", _trait(dev, DEV.slug, "Inbound Engagements"))
    fresh = prod.up(type_, "inbound", _trait(prod, PROD.slug, "Inbound Engagements"))

    assert "key" in diff.replaces
    assert dev.steps[-2:] == [("replace", renamed.urn), ("delete-replaced", renamed.urn)]
    assert renamed.outputs["key"] == fresh.outputs["key"] == "inbound_engagements"


def test_a_rename_that_keeps_the_key_is_an_update(process: ProviderProcess) -> None:
    engine = Engine(process)
    type_ = ComputedTrait.type_token()
    made = engine.up(type_, "inbound", _trait(engine, DEV.slug, "Total Inbounds"))

    renamed = engine.up(type_, "inbound", _trait(engine, DEV.slug, "Total inbounds"))

    assert engine.steps[-1] == ("update", made.urn)
    assert renamed.id == made.id
    assert renamed.outputs["key"] == "total_inbounds"


def test_a_trait_renamed_in_segments_app_keeps_its_key_and_gets_its_name_back(
    process: ProviderProcess, emulator: Any
) -> None:
    engine = Engine(process)
    type_ = ComputedTrait.type_token()
    made = engine.up(type_, "inbound", _trait(engine, DEV.slug, "Total Inbounds"))
    space, trait_id = made.id.split("/")
    with emulator.client() as segment:
        segment.patch(f"/spaces/{space}/computed-traits/{trait_id}", json={"name": "Calls In"})
    engine.refresh(made.urn)

    again = engine.up(type_, "inbound", _trait(engine, DEV.slug, "Total Inbounds"))

    # Segment kept the key, which the program's name still gives: the name is set back.
    assert engine.steps[-1] == ("update", made.urn)
    assert again.id == made.id
    assert again.outputs["key"] == "total_inbounds"
    assert again.outputs["name"] == "Total Inbounds"


def test_a_declared_key_the_name_cannot_give_fails_at_check(process: ProviderProcess) -> None:
    engine = Engine(process)

    with pytest.raises(CheckFailedError) as failed:
        engine.preview(
            ComputedTrait.type_token(),
            "inbound",
            _trait(engine, DEV.slug, "Inbound Engagements", key="total_inbounds"),
        )

    [(field, reason)] = failed.value.failures
    assert field == "key"
    assert "'inbound_engagements'" in reason
    assert "'Total inbounds'" in reason  # a name that gives the declared key


def test_a_declared_key_matching_the_name_is_the_output(process: ProviderProcess) -> None:
    engine = Engine(process)
    made = engine.up(
        ComputedTrait.type_token(),
        "inbound",
        _trait(engine, DEV.slug, "Total Inbounds", key="total_inbounds"),
    )
    assert made.outputs["key"] == "total_inbounds"


def test_renaming_an_audience_replaces_it_so_its_key_follows(process: ProviderProcess) -> None:
    dev, prod = Engine(process), Engine(process)
    type_ = Audience.type_token()

    def args(engine: Engine, slug: str, name: str) -> dict[str, Any]:
        return props_of(
            Audience,
            "callers",
            space_id=space_id(engine, slug),
            name=name,
            definition=FREQUENT_CALLERS,
        )

    dev.up(type_, "callers", args(dev, DEV.slug, "Frequent Callers"))
    renamed = dev.up(type_, "callers", args(dev, DEV.slug, "Regular Callers"))
    fresh = prod.up(type_, "callers", args(prod, PROD.slug, "Regular Callers"))

    assert dev.steps[-2][0] == "replace"
    assert renamed.outputs["key"] == fresh.outputs["key"] == "regular_callers"
