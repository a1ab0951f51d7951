"""The Profile API over profiles built from events, as Segment documents it: `traits` with
`class` and `verbose`, `external_ids` with `include`, `events` with `start`/`end`/`sort` and
paging, `links` between users and the accounts their group calls name."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from tests.tracking.helpers import DEV_SPACE, Feed

CALL = "Flex - Engagement Initiated"


@pytest.fixture
def caller(feed: Feed, emulator: InProcessEmulator) -> Feed:
    """`ada`: an identify with traits, a group call to account `acme`, three calls."""
    with emulator.client() as api:
        for kind, body in [
            (
                "computed-traits",
                {
                    "name": "Total calls",
                    "definition": {"type": "USERS", "query": f"event('{CALL}').count()"},
                },
            ),
            (
                "audiences",
                {
                    "name": "Callers",
                    "audienceType": "USERS",
                    "definition": {"query": f"event('{CALL}').count() >= 1"},
                },
            ),
        ]:
            assert api.post(f"/spaces/{feed.space_id}/{kind}", json=body).status_code == 200
    sends: list[tuple[str, dict[str, Any]]] = [
        ("identify", {"userId": "ada", "traits": {"email": "ada@calls.test", "plan": "pro"}}),
        ("group", {"userId": "ada", "groupId": "acme", "traits": {"name": "Acme"}}),
    ]
    for day in (1, 2, 3):
        stamp = f"2026-06-0{day}T10:00:00Z"
        sends.append(("track", {"userId": "ada", "event": CALL, "timestamp": stamp}))
    for kind, body in sends:
        assert feed.send(kind, body).status_code == 200
    return feed


def _get(feed: Feed, emulator: InProcessEmulator, tail: str, **params: Any) -> httpx.Response:
    path = f"/v1/spaces/{feed.space_id}/collections/{tail}"
    with emulator.profile_client(DEV_SPACE) as profiles:
        return profiles.get(path, params=params)


def test_traits__class_filters_audiences_or_computed_traits(
    caller: Feed, emulator: InProcessEmulator
) -> None:
    traits = "users/profiles/user_id:ada/traits"
    assert _get(caller, emulator, traits, **{"class": "computed_trait"}).json()["traits"] == {
        "total_calls": 3
    }
    assert _get(caller, emulator, traits, **{"class": "audience"}).json()["traits"] == {
        "callers": True
    }
    everything = _get(caller, emulator, traits, limit=200).json()["traits"]
    assert {"email", "plan", "total_calls", "callers"} <= set(everything)
    wrong = _get(caller, emulator, traits, **{"class": "prediction"})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "validation_error"


def test_traits__verbose_gives_value_source_and_time(
    caller: Feed, emulator: InProcessEmulator
) -> None:
    body = _get(caller, emulator, "users/profiles/user_id:ada/traits", verbose="true", limit=200)
    traits = body.json()["traits"]
    assert traits["plan"]["value"] == "pro"
    assert traits["plan"]["source_id"] == caller.source_id
    identify = next(
        m
        for m in caller.admin("GET", f"/sources/{caller.source_id}/messages")["messages"]
        if m["type"] == "identify"
    )
    assert traits["plan"]["updated_at"] == identify["receivedAt"]
    assert traits["total_calls"]["value"] == 3
    assert set(traits["total_calls"]) == {"value", "source_id", "updated_at"}


def test_external_ids__include_keeps_the_named_types(
    caller: Feed, emulator: InProcessEmulator
) -> None:
    rows = _get(caller, emulator, "users/profiles/user_id:ada/external_ids", include="email")
    assert [(row["type"], row["id"]) for row in rows.json()["data"]] == [
        ("email", "ada@calls.test")
    ]


def test_events__sort_time_range_and_paging(caller: Feed, emulator: InProcessEmulator) -> None:
    events = "users/profiles/user_id:ada/events"
    newest = _get(caller, emulator, events, include=CALL).json()["data"]
    assert [e["timestamp"][:10] for e in newest] == ["2026-06-03", "2026-06-02", "2026-06-01"]
    oldest = _get(caller, emulator, events, include=CALL, sort="asc", limit=2).json()
    assert [e["timestamp"][:10] for e in oldest["data"]] == ["2026-06-01", "2026-06-02"]
    assert oldest["cursor"]["has_more"] is True
    rest = _get(
        caller, emulator, events, include=CALL, sort="asc", limit=2, next=oldest["cursor"]["next"]
    ).json()
    assert [e["timestamp"][:10] for e in rest["data"]] == ["2026-06-03"]
    assert rest["cursor"]["has_more"] is False
    middle = _get(caller, emulator, events, start="2026-06-01T12:00:00Z", end="2026-06-03")
    assert [e["timestamp"][:10] for e in middle.json()["data"]] == ["2026-06-02"]
    assert _get(caller, emulator, events, sort="sideways").status_code == 400
    assert _get(caller, emulator, events, start="yesterday").status_code == 400


def test_links__a_user_and_the_account_its_group_call_names(
    caller: Feed, emulator: InProcessEmulator
) -> None:
    user = _get(caller, emulator, "users/profiles/user_id:ada/links").json()["data"]
    assert [link["to_collection"] for link in user] == ["accounts"]
    assert [(e["type"], e["id"]) for e in user[0]["external_ids"]] == [("group_id", "acme")]

    # A second user of the same account: the account lists both.
    assert caller.send("group", {"userId": "bob", "groupId": "acme"}).status_code == 200
    account = _get(caller, emulator, "accounts/profiles/group_id:acme/links").json()["data"]
    assert [link["to_collection"] for link in account] == ["users", "users"]
    linked = {(e["type"], e["id"]) for link in account for e in link["external_ids"]}
    assert {("user_id", "ada"), ("user_id", "bob")} <= linked

    missing = _get(caller, emulator, "accounts/profiles/group_id:nobody/links")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    too_many = _get(caller, emulator, "users/profiles/user_id:ada/links", limit=21)
    assert too_many.status_code == 400
