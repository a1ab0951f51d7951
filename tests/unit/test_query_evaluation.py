"""evaluate(): hand-worked values of definitions over one profile's events.

The stream, seen at AT (2026-06-30 12:00 UTC), days before AT in brackets:
  Initiated E1 [40] Inbound  voice duration 100 agent WK1
  Initiated E2 [20] Inbound  sms   duration  50 agent WK2
  Initiated E3 [10] Outbound voice duration  30 agent WK3
  Initiated E4 [5]  Inbound  voice duration  70 agent WK2
  Initiated E5 [-1 hour, after AT: not yet happened]
  Completed C1 [10] negative (topic billing)
  Completed C2 [5]  positive (topic refunds)
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from segment_unify.components.flex_traits import FLEX_TRAITS
from segment_unify.query import event_counter, prop
from segment_unify.query.evaluation import QueryEvaluationError, evaluate, event_name

AT = datetime(2026, 6, 30, 12, tzinfo=timezone.utc)
INITIATED = "Flex - Engagement Initiated"
COMPLETED = "Flex - Engagement Completed"
EI = f"event('{INITIATED}')"
EC = f"event('{COMPLETED}')"
INBOUND = "where(property('direction') = 'Inbound')"


def _track(name: str, before: timedelta, **properties: Any) -> dict[str, Any]:
    stamp = (AT - before).isoformat().replace("+00:00", "Z")
    return {"type": "track", "event": name, "timestamp": stamp, "properties": properties}


def _initiated(days: float, direction: str, channel: str, duration: int, agent: str) -> Any:
    return _track(
        INITIATED,
        timedelta(days=days),
        direction=direction,
        channelType=channel,
        duration=duration,
        lastKnownAgentWorkerSid=agent,
    )


EVENTS = [
    _initiated(40, "Inbound", "voice", 100, "WK1"),
    _initiated(20, "Inbound", "sms", 50, "WK2"),
    _initiated(10, "Outbound", "voice", 30, "WK3"),
    _initiated(5, "Inbound", "voice", 70, "WK2"),
    _track(INITIATED, timedelta(hours=-1), direction="Inbound", channelType="chat"),
    _track(COMPLETED, timedelta(days=10), sentiment="negative", codes={"topic": "billing"}),
    _track(COMPLETED, timedelta(days=5), sentiment="positive", codes={"topic": "refunds"}),
]


def value(query: str, **traits: Any) -> Any:
    return evaluate(query, EVENTS, AT, traits)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"{EI}.count()", 4),  # E5 lies after AT
        (f"{EI}.{INBOUND}.count()", 3),
        (
            f"{EI}.{INBOUND}.within(30 days).count()",
            2,
        ),
        (f"{EI}.within(20 days).count()", 3),  # E2 on the edge is inside
        (f"{EI}.within(19 days).count()", 2),
        (f"{EI}.within(120 hours).count()", 1),
        (f"{EI}.between(7 days, 25 days).count()", 2),  # E2, E3
        (f"{EI}.between(25 days, 7 days).count()", 2),
        ("event('Never Sent').count()", 0),
        (f"{EI}.where(property('duration') > 60).count()", 2),
        (f"{EI}.where(property('duration') >= '70').count()", 2),  # text as number
        (f"{EI}.where(property('channelType').one_of('sms', 'chat')).count()", 1),
        (f"{EI}.where(property('channelType').none_of('sms')).count()", 3),
        (
            f"{EI}.where(property('lastKnownAgentWorkerSid').starts_with('WK')).count()",
            4,
        ),
        (f"{EI}.where(property('channelType').contains('oi', 'm')).count()", 4),
        (f"{EI}.where(property('channelType').omits('oi')).count()", 1),
        (f"{EC}.where(property('codes.topic') = 'refunds').count()", 1),
        (f"{EC}.where(property('missing').absent()).count()", 2),
        (
            f"{EC}.where(property('missing') != 'x').count()",
            0,
        ),  # null differs: false
        (f"{EI}.where(NOT property('direction') = 'Inbound').count()", 1),
        (
            f"{EI}.where(property('direction') = 'Outbound' OR property('duration') < 60).count()",
            2,
        ),
    ],
)
def test_counters(query: str, expected: int) -> None:
    assert value(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"{EI}.sum(property('duration'))", 250),
        (f"{EI}.within(30 days).sum(property('duration'))", 150),
        (f"{EI}.avg(property('duration'))", 62.5),
        (f"{EI}.min(property('duration'))", 30),
        (f"{EI}.max(property('duration'))", 100),
        (f"{EI}.max(property('lastKnownAgentWorkerSid') as string)", "WK3"),
        (f"{EC}.sum(property('duration'))", None),  # no value at all
        (
            f"{EI}.{INBOUND}.mode(property('channelType'), 2)",
            "voice",
        ),
        (f"{EI}.mode(property('channelType'), 4)", None),  # voice seen 3 times
        (
            f"{EI}.within(25 days).{INBOUND}.mode(property('channelType'), 1)",
            "sms",
        ),  # tie: alphabetically first
        (f"{EI}.first(property('lastKnownAgentWorkerSid'))", "WK1"),
        (f"{EI}.last(property('lastKnownAgentWorkerSid'))", "WK2"),
        (f"{EC}.last(property('codes.topic'))", "refunds"),
        (
            f"{EI}.unique(property('lastKnownAgentWorkerSid'))",
            ["WK1", "WK2", "WK3"],
        ),
        (f"{EI}.unique(property('lastKnownAgentWorkerSid')).count()", 3),
    ],
)
def test_reducers(query: str, expected: Any) -> None:
    assert value(query) == expected


def test_audiences_and_traits() -> None:
    recent = f"{EI}.within(7 days).count() >= 1"
    assert value(f"{recent} AND trait('plan') = 'pro'", plan="pro") is True
    assert value(f"{recent} AND trait('plan') = 'pro'", plan="free") is False
    assert value(f"NOT ({recent})") is False
    assert value(f"trait('total_inbounds') > 2 OR {recent}", total_inbounds=1) is True
    assert value("trait('plan').exists()") is False
    assert value(f"{EI}.count() > trait('threshold')", threshold=3) is True


def test_funnel_windows_read_from_the_parent_event() -> None:
    # E3 and E4 were each completed (C1, C2) within a day after they started.
    query = f"{EI}.where(event('{COMPLETED}').within(parent: 1 day).count() >= 1).count()"
    assert value(query) == 2
    # Completed events after an initiated one of at least 60 s: C2 after E4, both after E1.
    after_long = (
        f"{EC}.where(event('{INITIATED}').where(property('duration') >= 60).count() >= 1).count()"
    )
    assert value(after_long) == 2


def test_date_comparators() -> None:
    signed_up = (AT - timedelta(days=3)).isoformat()
    assert value("trait('signup').within_last(7 days)", signup=signed_up) is True
    assert value("trait('signup').before_last(7 days)", signup=signed_up) is False
    assert value("trait('signup').after_date(2026-06-01)", signup=signed_up) is True
    assert value("trait('signup').before_date('2026-06-01T00:00:00Z')", signup=signed_up) is False
    renewal = (AT + timedelta(days=10)).isoformat()
    assert value("trait('renewal').within_next(7 days)", renewal=renewal) is False
    assert value("trait('renewal').after_next(7 days)", renewal=renewal) is True


def test_the_six_flex_traits_over_a_flex_stream() -> None:
    values = {spec.key: evaluate(str(spec.definition), EVENTS, AT) for spec in FLEX_TRAITS}
    assert values == {
        "total_inbounds": 3,
        "frequent_inbound_channel": "voice",
        "total_outbounds": 1,
        "last_known_service_agent": "WK2",
        "last_interaction_duration": 70,
        "sentiment_in_last_interaction": "positive",
    }


def test_builders_evaluate_like_their_text() -> None:
    built = event_counter(INITIATED).where(prop("direction") == "Inbound").within(days=30)
    assert evaluate(str(built), EVENTS, AT) == 2


def test_value_changes_as_time_passes() -> None:
    query = f"{EI}.within(7 days).count()"
    assert evaluate(query, EVENTS, AT) == 1  # E4
    assert evaluate(query, EVENTS, AT + timedelta(days=1)) == 2  # E4, and E5 has happened
    assert evaluate(query, EVENTS, AT + timedelta(days=3)) == 1  # E4 has left the window
    assert evaluate(query, EVENTS, AT - timedelta(days=31)) == 0


def test_event_names_of_other_calls() -> None:
    assert event_name({"type": "page", "name": "Pricing"}) == "Pricing"
    assert event_name({"type": "screen"}) == "Screen Viewed"
    assert event_name({"type": "identify"}) == "Identify"
    pages = [{"type": "page", "name": "Pricing", "timestamp": "2026-06-29T00:00:00Z"}]
    assert evaluate("event('Pricing').count()", pages, AT) == 1


def test_constructs_that_need_more_than_events_say_what() -> None:
    with pytest.raises(QueryEvaluationError, match="users="):
        value(f"ANY {EI}.count() >= 1")
    with pytest.raises(QueryEvaluationError, match="no time"):
        evaluate("entity('orders').within(7 days).count() >= 1", [], AT, entities={"orders": [{}]})


def test_check_definition_reports_every_failing_case() -> None:
    from segment_unify.query import check_definition

    inbound = event_counter(INITIATED).where(prop("direction") == "Inbound")
    check_definition(inbound, {"the stream": (EVENTS, 3), "no events": ([], 0)}, at=AT)
    with pytest.raises(AssertionError) as failed:
        check_definition(inbound, {"wrong": (EVENTS, 4), "right": ([], 0)}, at=AT)
    assert "wrong: expected 4, computed 3" in str(failed.value)
    assert "right" not in str(failed.value)
