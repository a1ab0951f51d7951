"""definition-valid and most-frequent-minimum-frequency, through the analyzer servicer."""

from __future__ import annotations

from segment_unify.provider import ComputedTrait
from segment_unify.query import most_frequent
from tests.policies.analyzer import Analyzer
from tests.policies.helpers import SPACE_ID, audience, only, reported, trait

VALID = "definition-valid"
FREQUENCY = "most-frequent-minimum-frequency"


def test_passes_if_a_computed_trait_definition_produces_a_value(default_config: Analyzer) -> None:
    assert reported(default_config, VALID, trait()) == []


def test_fails_if_a_computed_trait_definition_does_not_parse(default_config: Analyzer) -> None:
    broken = trait("broken", name="Broken", query="event('Order Completed').count(")

    (message,) = reported(default_config, VALID, broken)

    assert message.startswith('Computed trait "broken" has a definition that does not parse (')
    assert "line 1, column 32" in message
    assert message.endswith("; correct the query text.")


def test_fails_if_a_computed_trait_definition_produces_true_or_false(
    default_config: Analyzer,
) -> None:
    boolean = trait("calls-twice", name="Calls Twice", query="event('Call').count() >= 2")

    assert reported(default_config, VALID, boolean) == [
        'Computed trait "calls-twice" has a definition that produces true or false, but a '
        "computed trait needs a value: end the query in a reducer such as count() or "
        "last(property('...')) instead of a comparison."
    ]


def test_passes_if_an_audience_definition_produces_true_or_false(
    default_config: Analyzer,
) -> None:
    assert reported(default_config, VALID, audience()) == []


def test_fails_if_an_audience_definition_produces_a_value(default_config: Analyzer) -> None:
    counted = audience("call-count", name="Call Count", query="event('Call').count()")

    assert reported(default_config, VALID, counted) == [
        'Audience "call-count" has a definition that produces a value, but an audience needs '
        "true or false: compare the value, for example event('Order Completed').count() >= 1."
    ]


def test_fails_if_a_users_audience_uses_all(default_config: Analyzer) -> None:
    every_user = audience("all-called", name="All Called", query="ALL event('Call').count() >= 1")

    assert reported(default_config, VALID, every_user) == [
        'Audience "all-called" has a definition Segment would reject: line 1, column 1: ALL '
        "only applies to ACCOUNTS definitions, not USERS."
    ]


def test_passes_if_an_accounts_audience_uses_all(default_config: Analyzer) -> None:
    every_user = audience(
        "all-called",
        name="All Called",
        query="ALL event('Call').count() >= 1",
        audience_type="ACCOUNTS",
    )

    assert reported(default_config, VALID, every_user) == []


def test_passes_if_a_most_frequent_trait_needs_two_sightings(default_config: Analyzer) -> None:
    channel = only(
        lambda: ComputedTrait(
            "frequent-channel",
            space_id=SPACE_ID,
            name="Frequent Inbound Channel",
            definition=most_frequent("Flex - Engagement Initiated", "channelType"),
        )
    )

    assert reported(default_config, FREQUENCY, channel) == []


def test_fails_if_a_most_frequent_trait_takes_a_single_sighting(
    default_config: Analyzer,
) -> None:
    channel = trait(
        "frequent-channel",
        name="Frequent Inbound Channel",
        query="event('Flex - Engagement Initiated').mode(property('channelType'), 1)",
    )

    assert reported(default_config, FREQUENCY, channel) == [
        'Computed trait "frequent-channel" takes the most frequent "channelType" of '
        '"Flex - Engagement Initiated" with a minimum frequency of 1; set it to at least 2 '
        "(mode(property('channelType'), 2)) so that a single event does not decide the value."
    ]


def test_fails_if_a_most_frequent_trait_is_below_the_configured_minimum(
    analyzer: Analyzer,
) -> None:
    analyzer.configure({FREQUENCY: {"minimumFrequency": 3}})
    channel = trait(
        "frequent-channel",
        name="Frequent Inbound Channel",
        query="event('Flex - Engagement Initiated').mode(property('channelType'), 2)",
    )

    (message,) = reported(analyzer, FREQUENCY, channel)

    assert "with a minimum frequency of 2; set it to at least 3" in message
