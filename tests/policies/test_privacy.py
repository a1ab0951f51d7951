"""no-personal-data-in-definitions, through the analyzer servicer, and its name matching."""

from __future__ import annotations

import pytest

from segment_unify.policies.rules.privacy import DEFAULT_PERSONAL_DATA, personal_term
from tests.policies.analyzer import Analyzer
from tests.policies.helpers import audience, reported, trait

PRIVACY = "no-personal-data-in-definitions"


def test_passes_if_flex_traits_read_interaction_properties(default_config: Analyzer) -> None:
    last_agent = trait(
        "last-agent",
        name="Last Known Agent",
        query="event('Flex - Engagement Initiated').last(property('lastKnownAgentWorkerSid'))",
    )

    assert reported(default_config, PRIVACY, trait()) == []
    assert reported(default_config, PRIVACY, last_agent) == []


def test_fails_if_a_computed_trait_reads_an_email_property(default_config: Analyzer) -> None:
    last_email = trait(
        "last-email",
        name="Last Email",
        query="event('Order Completed').last(property('customerEmail'))",
    )

    assert reported(default_config, PRIVACY, last_email) == [
        'Computed trait "last-email" reads the property "customerEmail", which looks like '
        'personal data ("email"); build the definition on a non-personal field, or add '
        '"customerEmail" to allowedNames in this policy\'s config if it holds none.'
    ]


def test_fails_if_an_audience_compares_a_phone_trait(default_config: Analyzer) -> None:
    by_phone = audience(
        "uk-callers", name="UK Callers", query="trait('phone_number').starts_with('+44')"
    )

    (message,) = reported(default_config, PRIVACY, by_phone)

    assert message.startswith(
        'Audience "uk-callers" reads the trait "phone_number", which looks like personal data '
        '("phone")'
    )


def test_fails_if_a_definition_reads_an_address_from_context(default_config: Analyzer) -> None:
    by_street = trait(
        "last-street",
        name="Last Street",
        query="event('Page Viewed').last(context('traits.address.street'))",
    )

    (message,) = reported(default_config, PRIVACY, by_street)

    assert 'reads the context field "traits.address.street"' in message


def test_passes_if_the_name_is_on_the_allow_list(analyzer: Analyzer) -> None:
    analyzer.configure({PRIVACY: {"allowedNames": ["email_opt_in"]}})
    opted_in = audience("opted-in", name="Opted In", query="trait('email_opt_in') = 'true'")

    assert reported(analyzer, PRIVACY, opted_in) == []


def test_fails_if_a_configured_term_matches(analyzer: Analyzer) -> None:
    analyzer.configure({PRIVACY: {"personalDataNames": ["agent"]}})
    last_agent = trait(
        "last-agent",
        name="Last Known Agent",
        query="event('Flex - Engagement Initiated').last(property('lastKnownAgentWorkerSid'))",
    )

    (message,) = reported(analyzer, PRIVACY, last_agent)

    assert '"lastKnownAgentWorkerSid", which looks like personal data ("agent")' in message


@pytest.mark.parametrize(
    ("name", "term"),
    [
        ("email", "email"),
        ("phoneNumber", "phone"),
        ("context.traits.email", "email"),
        ("billing_address", "address"),
        ("DateOfBirth", "date of birth"),
        ("emailed", None),
        ("telephone_queue", None),
        ("channelType", None),
        ("codes.topic", None),
    ],
)
def test_personal_term_matches_whole_words(name: str, term: str | None) -> None:
    assert personal_term(name, DEFAULT_PERSONAL_DATA) == term
