"""time-window-maximum and expression-count-limit, through the analyzer servicer."""

from __future__ import annotations

from tests.policies.analyzer import Analyzer
from tests.policies.helpers import audience, reported, trait

WINDOW = "time-window-maximum"
EXPRESSIONS = "expression-count-limit"


def _calls_within(window: str) -> str:
    return f"event('Flex - Engagement Initiated').within({window}).count()"


def _any_of(count: int) -> str:
    """An audience query with ``count`` primary expressions."""
    return " OR ".join(f"trait('score_{i}') > 1" for i in range(count))


def test_passes_if_a_window_is_within_the_maximum(default_config: Analyzer) -> None:
    assert reported(default_config, WINDOW, trait(query=_calls_within("365 days"))) == []


def test_fails_if_a_window_is_longer_than_the_maximum(default_config: Analyzer) -> None:
    long_window = trait("calls-ever", name="Calls Ever", query=_calls_within("400 days"))

    assert reported(default_config, WINDOW, long_window) == [
        'Computed trait "calls-ever" looks back 400 days over "Flex - Engagement Initiated" '
        "events (within), more than the maximum of 365 days; shorten the window, or leave it "
        "out to use all of the history Segment keeps."
    ]


def test_fails_if_a_window_is_longer_than_the_configured_maximum(analyzer: Analyzer) -> None:
    analyzer.configure({WINDOW: {"maxWindowDays": 30}})
    between = audience(
        "lapsed",
        name="Lapsed",
        query="event('Flex - Engagement Initiated').between(7 days, 60 days).count() >= 1",
    )

    (message,) = reported(analyzer, WINDOW, between)

    assert message.startswith('Audience "lapsed" looks back 60 days')
    assert "more than the maximum of 30 days" in message


def test_passes_if_a_definition_has_fifty_primary_expressions(default_config: Analyzer) -> None:
    wide = audience("wide", name="Wide", query=_any_of(50))

    assert reported(default_config, EXPRESSIONS, wide) == []


def test_fails_if_a_definition_has_more_than_fifty_primary_expressions(
    default_config: Analyzer,
) -> None:
    too_wide = audience("too-wide", name="Too Wide", query=_any_of(51))

    diagnostics = default_config.analyze(too_wide)

    assert [(d.policy, d.detail) for d in diagnostics] == [
        (
            EXPRESSIONS,
            'Audience "too-wide" has 51 primary expressions in its definition, more than the '
            "limit of 50; split it into smaller computed traits or audiences and refer to "
            "them with trait('<key>').",
        )
    ]


def test_fails_if_a_definition_exceeds_the_configured_expression_budget(
    analyzer: Analyzer,
) -> None:
    analyzer.configure({EXPRESSIONS: {"maxPrimaryExpressions": 3}})

    (message,) = reported(analyzer, EXPRESSIONS, audience(query=_any_of(4)))

    assert "has 4 primary expressions in its definition, more than the limit of 3" in message
