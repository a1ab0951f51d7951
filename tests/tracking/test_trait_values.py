"""Computed trait values and audience membership follow the events a profile receives and the
definitions made or changed through the Public API, as the Profile API shows them."""

from __future__ import annotations

import time
from typing import Any

import httpx

from segment_unify.emulator.testing import InProcessEmulator
from tests.tracking.helpers import DEV_SPACE, Feed

INITIATED = "Flex - Engagement Initiated"


def _traits(feed: Feed, emulator: InProcessEmulator, user: str) -> dict[str, Any]:
    path = f"/v1/spaces/{feed.space_id}/collections/users/profiles/user_id:{user}/traits"
    with emulator.profile_client(DEV_SPACE) as profiles:
        response = profiles.get(path, params={"limit": 200})
    response.raise_for_status()
    traits: dict[str, Any] = response.json()["traits"]
    return traits


def _call(feed: Feed, direction: str, channel: str = "voice") -> None:
    properties = {"direction": direction, "channelType": channel}
    sent = feed.send("track", {"userId": "caller", "event": INITIATED, "properties": properties})
    assert sent.status_code == 200


def test_trait_value_follows_events_and_definition(feed: Feed, emulator: InProcessEmulator) -> None:
    inbound = f"event('{INITIATED}').where(property('direction') = 'Inbound').count()"
    with emulator.client() as api:
        created = api.post(
            f"/spaces/{feed.space_id}/computed-traits",
            json={"name": "Total calls", "definition": {"type": "USERS", "query": inbound}},
        )
        assert created.status_code == 200, created.text
        trait_id = created.json()["data"]["computedTrait"]["id"]
        path = f"/spaces/{feed.space_id}/computed-traits/{trait_id}"

        _call(feed, "Inbound")
        assert _traits(feed, emulator, "caller")["total_calls"] == 1
        _call(feed, "Inbound", "sms")
        _call(feed, "Outbound")
        assert _traits(feed, emulator, "caller")["total_calls"] == 2

        outbound = inbound.replace("Inbound", "Outbound")
        patched = api.patch(path, json={"definition": {"type": "USERS", "query": outbound}})
        assert patched.status_code == 200, patched.text
        assert _traits(feed, emulator, "caller")["total_calls"] == 1

        # Segment locks a trait while it incorporates an update; wait that out as a client must.
        assert _patch_when_unlocked(api, path, {"enabled": False}).status_code == 200
        assert "total_calls" not in _traits(feed, emulator, "caller")


def test_audience_membership_follows_events(feed: Feed, emulator: InProcessEmulator) -> None:
    frequent = f"event('{INITIATED}').within(30 days).count() >= 2"
    with emulator.client() as api:
        created = api.post(
            f"/spaces/{feed.space_id}/audiences",
            json={
                "name": "Frequent callers",
                "audienceType": "USERS",
                "definition": {"query": frequent},
            },
        )
        assert created.status_code == 200, created.text
    _call(feed, "Inbound")
    assert "frequent_callers" not in _traits(feed, emulator, "caller")
    _call(feed, "Inbound")
    assert _traits(feed, emulator, "caller")["frequent_callers"] is True
    explorer = feed.admin("GET", f"/spaces/{feed.space_id}/profiles")["profiles"]
    (caller,) = [p for p in explorer if {"type": "user_id", "id": "caller"} in p["externalIds"]]
    assert caller["traits"]["frequent_callers"] is True


def test_traits_and_audiences_read_the_current_values_of_those_they_reference(
    feed: Feed, emulator: InProcessEmulator
) -> None:
    # Each reader is made before what it reads, so only evaluation in dependency order gives
    # the values worked out below.
    calls = f"event('{INITIATED}')"
    definitions = [
        (
            "computed-traits",
            "Long calls",
            f"{calls}.where(property('duration') > trait('average_duration')).count()",
        ),
        ("computed-traits", "Average duration", f"{calls}.avg(property('duration'))"),
        ("audiences", "Engaged", "trait('frequent') = 'true' AND trait('long_calls') >= 1"),
        ("audiences", "Frequent", f"{calls}.count() >= 2"),
    ]
    with emulator.client() as api:
        for kind, name, query in definitions:
            body: dict[str, Any] = {"name": name, "definition": {"type": "USERS", "query": query}}
            if kind == "audiences":
                body = {"name": name, "audienceType": "USERS", "definition": {"query": query}}
            created = api.post(f"/spaces/{feed.space_id}/{kind}", json=body)
            assert created.status_code == 200, created.text
    for duration in (10, 50):
        properties = {"direction": "Inbound", "duration": duration}
        sent = feed.send(
            "track", {"userId": "caller", "event": INITIATED, "properties": properties}
        )
        assert sent.status_code == 200
    traits = _traits(feed, emulator, "caller")
    assert traits["average_duration"] == 30
    assert traits["long_calls"] == 1  # the 50-second call, above the average of 30
    assert traits["frequent"] is True
    assert traits["engaged"] is True


def _patch_when_unlocked(api: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    deadline = time.monotonic() + 10
    while True:
        answer = api.patch(path, json=body)
        if answer.status_code != 422 or "locked" not in answer.text or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)
