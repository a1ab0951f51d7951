"""Query definitions of computed traits and audiences: builders, query text, preview checks.

Builders become the definition Segment stores when the program registers the resource; query
text is parsed by the provider's ``check`` (over gRPC, as the engine calls it), also at a
preview where the space id is still unknown, so a bad query never waits for ``up``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime import rpc

from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait, TraitOptions
from segment_unify.query import event_counter, prop
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, space_id
from tests.support.engine import Engine, ProviderProcess
from tests.support.provider import configured_provider

pytestmark = pytest.mark.timeout(120)

INBOUND = event_counter("Flex - Engagement Initiated").where(prop("direction") == "Inbound")


@pytest.fixture
def process(emulator: Any) -> Iterator[ProviderProcess]:
    with configured_provider(emulator) as proc:
        yield proc


def check(process: ProviderProcess, cls: Any, **kwargs: Any) -> tuple[dict[str, Any], list[Any]]:
    urn = Engine.urn(cls.type_token(), "q")
    return process.check(urn, {}, props_of(cls, "q", **kwargs))


def test_computed_trait__a_builder_registers_its_definition_and_options() -> None:
    built = INBOUND.with_options(include_historical_data=True, backfill_days=30)

    props = ComputedTrait.build_props("inbounds", space_id="s", name="Inbounds", definition=built)

    assert props["definition"] == {"type": "USERS", "query": built.query}
    assert props["options"] == {
        "include_historical_data": True,
        "include_anonymous_users": None,
        "backfill_duration_days": 30,
    }


def test_computed_trait__explicit_options_win_over_the_builders() -> None:
    built = INBOUND.with_options(include_historical_data=True)
    options = TraitOptions(include_anonymous_users=True)

    props = ComputedTrait.build_props(
        "i", space_id="s", name="I", definition=built, options=options
    )

    assert props["options"]["include_anonymous_users"] is True
    assert props["options"]["include_historical_data"] is None


def test_audience__a_condition_registers_its_query() -> None:
    condition = INBOUND.within(days=30).at_least(3)

    props = Audience.build_props("callers", space_id="s", name="Callers", definition=condition)

    assert props["definition"] == {"query": condition.query}


def test_computed_trait__query_text_is_a_users_definition(process: ProviderProcess) -> None:
    inputs, failures = check(process, ComputedTrait, space_id="s1", name="N", definition="last(x")

    assert [path for path, _ in failures] == ["definition.query"]
    inputs, failures = check(
        process, ComputedTrait, space_id="s1", name="N", definition=INBOUND.query
    )
    assert failures == []
    assert inputs["definition"] == {"type": "USERS", "query": INBOUND.query}
    assert inputs["options"] == {}


def test_computed_trait__a_bad_query_fails_at_preview_while_the_space_is_unknown(
    process: ProviderProcess,
) -> None:
    _, failures = check(
        process,
        ComputedTrait,
        space_id=rpc.UNKNOWN,
        name="Inbounds",
        definition="event('Flex - Engagement Initiated').count(",
    )

    assert len(failures) == 1
    path, reason = failures[0]
    assert path == "definition.query"
    assert reason.startswith("ComputedTrait 'q': line 1, column ")  # the resource, then where


def test_computed_trait__a_boolean_query_fails_at_preview_while_the_space_is_unknown(
    process: ProviderProcess,
) -> None:
    _, failures = check(
        process,
        ComputedTrait,
        space_id=rpc.UNKNOWN,
        name="Inbounds",
        definition=INBOUND.query + " >= 1",
    )

    assert [path for path, _ in failures] == ["definition.query"]
    assert "scalar" in failures[0][1]


def test_audience__a_value_query_fails_at_preview_while_space_and_type_are_unknown(
    process: ProviderProcess,
) -> None:
    _, failures = check(
        process,
        Audience,
        space_id=rpc.UNKNOWN,
        name="Callers",
        audience_type=rpc.UNKNOWN,
        definition=INBOUND.query,
    )

    assert [path for path, _ in failures] == ["definition.query"]
    assert "boolean" in failures[0][1]


def test_computed_trait__a_builder_definition_is_created_as_built(
    process: ProviderProcess, emulator: Any
) -> None:
    engine = Engine(process)
    space = space_id(engine, DEV.slug)
    props = props_of(ComputedTrait, "inbounds", space_id=space, name="Inbounds", definition=INBOUND)

    trait = engine.up(ComputedTrait.type_token(), "inbounds", props)

    stored = emulator.objects("acme-contact-center", "computed_trait")
    assert [t["definition"] for t in stored] == [{"type": "USERS", "query": INBOUND.query}]
    assert trait.outputs["key"] == "inbounds"
    assert trait.id == f"{space}/{trait.outputs['computed_trait_id']}"


def test_computed_trait__a_good_query_passes_the_preview_while_the_space_is_unknown(
    process: ProviderProcess,
) -> None:
    inputs, failures = check(
        process, ComputedTrait, space_id=rpc.UNKNOWN, name="Inbounds", definition=INBOUND.query
    )

    assert failures == []
    assert isinstance(inputs["space_id"], Unknown)
