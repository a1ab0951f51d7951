"""The six recommended Flex computed traits: keys, queries, options and the key lookup."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from segment_unify.components import flex_traits as flex_traits_module
from segment_unify.components.flex_traits import (
    ENGAGEMENT_COMPLETED,
    ENGAGEMENT_INITIATED,
    FLEX_TRAITS,
    TraitSpec,
    flex_traits,
)
from segment_unify.components.unified_profiles_config import query_of
from segment_unify.provider import ComputedTrait, ComputedTraitArgs
from segment_unify.provider.resources._declare import to_segment
from segment_unify.query import ResultKind, events_used, parse, reducers, validate

# Section 3 of the query-language reference, one query per recommended trait.
REFERENCE_QUERIES = {
    "total_inbounds": (
        "event('Flex - Engagement Initiated').where(property('direction') = 'Inbound').count()"
    ),
    "frequent_inbound_channel": (
        "event('Flex - Engagement Initiated').where(property('direction') = 'Inbound')"
        ".mode(property('channelType'), 2)"
    ),
    "total_outbounds": (
        "event('Flex - Engagement Initiated').where(property('direction') = 'Outbound').count()"
    ),
    "last_known_service_agent": (
        "event('Flex - Engagement Initiated').last(property('lastKnownAgentWorkerSid'))"
    ),
    "last_interaction_duration": "event('Flex - Engagement Initiated').last(property('duration'))",
    "sentiment_in_last_interaction": (
        "event('Flex - Engagement Completed').last(property('sentiment'))"
    ),
}

NAMES = [
    "Total inbounds",
    "Frequent inbound channel",
    "Total outbounds",
    "Last known service agent",
    "Last interaction duration",
    "Sentiment in last interaction",
]


def test_there_are_the_six_recommended_traits_in_guide_order() -> None:
    assert [spec.name for spec in FLEX_TRAITS] == NAMES


@pytest.mark.parametrize("spec", FLEX_TRAITS, ids=lambda spec: spec.key)
def test_key_is_the_snake_cased_name(spec: TraitSpec) -> None:
    assert spec.key == re.sub(r"\W+", "_", spec.name.lower())


@pytest.mark.parametrize("spec", FLEX_TRAITS, ids=lambda spec: spec.key)
def test_query_is_the_reference_query(spec: TraitSpec) -> None:
    assert query_of(spec.definition) == REFERENCE_QUERIES[spec.key]


@pytest.mark.parametrize("spec", FLEX_TRAITS, ids=lambda spec: spec.key)
def test_query_is_a_valid_scalar_users_definition(spec: TraitSpec) -> None:
    parsed = validate(query_of(spec.definition), expect=ResultKind.SCALAR, definition_type="USERS")
    assert parsed.kind is ResultKind.SCALAR


@pytest.mark.parametrize("spec", FLEX_TRAITS, ids=lambda spec: spec.key)
def test_traits_read_only_the_two_flex_events(spec: TraitSpec) -> None:
    assert events_used(parse(query_of(spec.definition))) <= {
        ENGAGEMENT_INITIATED,
        ENGAGEMENT_COMPLETED,
    }


def test_frequent_inbound_channel_needs_a_value_seen_twice() -> None:
    (mode,) = reducers(parse(query_of(flex_traits("frequent_inbound_channel")[0].definition)))
    assert (mode.function, mode.property, mode.min_frequency) == ("mode", "channelType", 2)


def test_api_body_has_name_description_definition_and_options() -> None:
    # The body the provider sends, from the resource's own declaration.
    (spec,) = flex_traits("total_inbounds")
    props = ComputedTrait.build_props("total-inbounds", spec)
    assert to_segment(ComputedTraitArgs, props, step="create") == {
        "name": "Total inbounds",
        "description": spec.description,
        "enabled": True,
        "definition": {"type": "USERS", "query": REFERENCE_QUERIES["total_inbounds"]},
        "options": {"includeHistoricalData": True},
    }


def test_a_trait_spec_is_the_resources_args() -> None:
    # One declaration: a field ComputedTrait gains is the component's too.
    assert TraitSpec is ComputedTraitArgs
    assert all(isinstance(spec, ComputedTraitArgs) for spec in FLEX_TRAITS)


def test_no_keys_gives_all_six() -> None:
    assert flex_traits() == FLEX_TRAITS


def test_keys_are_returned_in_the_order_asked() -> None:
    chosen = flex_traits("total_outbounds", "total_inbounds")
    assert [spec.key for spec in chosen] == ["total_outbounds", "total_inbounds"]


def test_a_key_asked_twice_is_returned_once() -> None:
    assert len(flex_traits("total_inbounds", "total_inbounds")) == 1


def test_unknown_keys_are_named_with_the_valid_ones() -> None:
    with pytest.raises(KeyError) as caught:
        flex_traits("total_inbounds", "topic", "Total outbounds")
    assert caught.value.args[0] == (
        "unknown Flex trait key(s): 'topic', 'Total outbounds'; valid keys are total_inbounds, "
        "frequent_inbound_channel, total_outbounds, last_known_service_agent, "
        "last_interaction_duration, sentiment_in_last_interaction"
    )


def test_module_has_no_pulumi_import() -> None:
    tree = ast.parse(Path(flex_traits_module.__file__).read_text("utf-8"))
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [name for name in imported if name.split(".")[0].startswith("pulumi")]
