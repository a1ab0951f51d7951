"""The space-intake check compares Segment's times as times, not as text.

Event volume comes in whole-hour buckets (``2026-12-07T13:00:00Z``) and a space event's
``lastSeenAt`` carries milliseconds (``2026-12-07T13:00:00.934Z``). Compared as strings, "."
sorts before "Z", so an event the space saw in the first second of an hour read as unheard and
doctor failed a healthy setup (seen once in CI, when the demo ran at 13:00:00).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from segment_unify.cli.doctor_checks_flow import space_intake
from segment_unify.cli.doctor_read import Facts

SOURCE = {"id": "src_flex", "slug": "flex", "name": "flex", "enabled": True, "metadata": {}}


def _facts(bucket: str, last_seen: str) -> Facts:
    return Facts(
        now=datetime(2026, 12, 7, 13, 0, 1, tzinfo=timezone.utc),
        sources=[SOURCE],
        volume=[
            {
                "source": {"id": "src_flex"},
                "eventName": "Flex - Engagement Initiated",
                "total": 3,
                "series": [{"time": bucket, "count": 3}],
            }
        ],
        space_events=[{"name": "Flex - Engagement Initiated", "lastSeenAt": last_seen}],
    )


@pytest.mark.parametrize(
    "last_seen",
    ["2026-12-07T13:00:00.934Z", "2026-12-07T13:00:00Z", "2026-12-07T12:30:00-01:00"],
)
def test_an_event_seen_in_the_first_second_of_its_hour_is_heard(last_seen: str) -> None:
    checks = {c.id: c for c in space_intake(_facts("2026-12-07T13:00:00Z", last_seen))}
    assert checks["space-source:flex"].status == "PASS", checks["space-source:flex"].seen


def test_an_event_last_seen_before_the_hour_it_was_sent_in_is_unheard() -> None:
    checks = {
        c.id: c for c in space_intake(_facts("2026-12-07T13:00:00Z", "2026-12-07T12:59:59.999Z"))
    }
    assert checks["space-source:flex"].status == "FAIL"
    assert "Flex - Engagement Initiated" in checks["space-source:flex"].seen


def test_an_event_the_space_never_saw_is_unheard() -> None:
    facts = _facts("2026-12-07T13:00:00Z", "")
    facts.space_events = []
    checks = {c.id: c for c in space_intake(facts)}
    assert checks["space-source:flex"].status == "FAIL"
