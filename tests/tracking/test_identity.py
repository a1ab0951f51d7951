"""Identity resolution with Segment's default rules, seen through the control plane and the
Profile API (hand-worked cases from Segment's identity resolution guide)."""

from __future__ import annotations

from typing import Any

from segment_unify.emulator.testing import InProcessEmulator
from tests.tracking.helpers import DEV_SPACE, Feed


def _ids(profile: dict[str, Any], id_type: str) -> set[str]:
    return {e["id"] for e in profile["externalIds"] if e["type"] == id_type}


def test_anonymous_activity_joins_the_profile_once_identified(feed: Feed) -> None:
    feed.send("page", {"anonymousId": "anon-1", "name": "Pricing"})
    feed.send("identify", {"anonymousId": "anon-1", "userId": "u-1", "traits": {"plan": "pro"}})
    feed.send("track", {"userId": "u-1", "event": "Callback Requested"})
    profile = feed.profile_of("user_id", "u-1")
    assert _ids(profile, "anonymous_id") == {"anon-1"}
    assert profile["traits"] == {"plan": "pro"}


def test_two_profiles_are_merged_by_a_message_naming_both(feed: Feed) -> None:
    feed.send("track", {"anonymousId": "phone-anon", "event": "App Opened"})
    feed.send("identify", {"userId": "u-2", "traits": {"email": "kim@example.com"}})
    older = feed.profile_of("anonymous_id", "phone-anon")["segmentId"]
    newer = feed.profile_of("user_id", "u-2")["segmentId"]
    assert older != newer

    feed.send("alias", {"userId": "u-2", "previousId": "phone-anon"})

    merged = feed.profile_of("user_id", "u-2")
    assert merged["segmentId"] == older  # the older profile survives
    assert _ids(merged, "anonymous_id") == {"phone-anon"}
    assert _ids(merged, "email") == {"kim@example.com"}
    merges = feed.admin("GET", f"/spaces/{feed.space_id}/merges")["merges"]
    assert [(m["mergedId"], m["segmentId"]) for m in merges] == [(newer, older)]


def test_a_second_user_id_demotes_the_shared_email_and_makes_a_new_profile(feed: Feed) -> None:
    # Segment's own example: user_id may hold 1 value, so email (priority 2) is demoted.
    feed.send("identify", {"userId": "abc123", "traits": {"email": "jane@example1.com"}})
    feed.send("identify", {"userId": "abc456", "traits": {"email": "jane@example1.com"}})
    first = feed.profile_of("user_id", "abc123")
    second = feed.profile_of("user_id", "abc456")
    assert first["segmentId"] != second["segmentId"]
    assert _ids(first, "email") == {"jane@example1.com"}
    assert _ids(second, "email") == set()


def test_anonymous_ids_are_limited_to_five_a_week(feed: Feed) -> None:
    for index in range(6):
        feed.send("track", {"userId": "u-3", "anonymousId": f"a-{index}", "event": "Visit"})
    profile = feed.profile_of("user_id", "u-3")
    assert _ids(profile, "anonymous_id") == {f"a-{index}" for index in range(5)}
    assert len(feed.profiles()) == 2 + 1  # the two seeded profiles and this one


def test_devices_and_custom_external_ids_are_identifiers(feed: Feed) -> None:
    context = {
        "device": {
            "type": "ios",
            "id": "dev-1",
            "advertisingId": "ad-1",
            "adTrackingEnabled": True,
        },
        "externalIds": [{"id": "+15550100", "type": "Phone", "collection": "users"}],
    }
    feed.send("track", {"userId": "u-4", "event": "App Opened", "context": context})
    profile = feed.profile_of("user_id", "u-4")
    assert _ids(profile, "ios.id") == {"dev-1"}
    assert _ids(profile, "ios.idfa") == {"ad-1"}
    assert _ids(profile, "phone") == {"+15550100"}


def test_profile_api_serves_external_ids_and_events_of_a_seeded_profile(
    feed: Feed, emulator: InProcessEmulator
) -> None:
    # cust-1001 is seeded (Ada); a new anonymous id and two events join her profile.
    feed.send("identify", {"userId": "cust-1001", "anonymousId": "web-9", "traits": {"vip": True}})
    feed.send("track", {"anonymousId": "web-9", "event": "Flex - Engagement Initiated"})
    feed.send("track", {"userId": "cust-1001", "event": "Flex - Engagement Completed"})
    base = f"/v1/spaces/{feed.space_id}/collections/users/profiles"
    with emulator.profile_client(DEV_SPACE) as profiles:
        ids = profiles.get(f"{base}/anonymous_id:web-9/external_ids").json()["data"]
        events = profiles.get(f"{base}/user_id:cust-1001/events", params={"limit": 2}).json()
        only = profiles.get(
            f"{base}/email:ada@example.com/events", params={"include": "Identify"}
        ).json()
        traits = profiles.get(f"{base}/user_id:cust-1001/traits").json()["traits"]
        bad_limit = profiles.get(f"{base}/user_id:cust-1001/events", params={"limit": 101})
        metadata = profiles.get(f"{base}/user_id:cust-1001/metadata").json()["metadata"]
    added = next(row for row in ids if row["type"] == "anonymous_id")
    assert added["id"] == "web-9"
    assert added["source_id"] == feed.source_id
    assert added["first_message_id"].startswith("api-")
    assert {row["type"] for row in ids} == {"user_id", "email", "phone", "anonymous_id"}
    assert [e["event"] for e in events["data"]] == [
        "Flex - Engagement Completed",
        "Flex - Engagement Initiated",
    ]
    assert events["cursor"]["has_more"] is True
    assert events["data"][0]["source_id"] == feed.source_id
    assert {"collection", "type", "id", "encoding"} <= set(events["data"][0]["external_ids"][0])
    assert [e["type"] for e in only["data"]] == ["identify"]
    assert only["data"][0]["traits"] == {"vip": True}
    assert traits["vip"] is True
    assert traits["first_name"] == "Ada"
    assert bad_limit.status_code == 400
    assert metadata["last_message_id"] == events["data"][0]["message_id"]
    assert metadata["last_source_id"] == feed.source_id


def test_identify_traits_are_seen_with_sample_values(
    feed: Feed, emulator: InProcessEmulator
) -> None:
    for index in range(7):
        feed.send("identify", {"userId": f"s-{index}", "traits": {"tier": f"t{index}"}})
    with emulator.client() as api:
        traits = api.get(f"/spaces/{feed.space_id}/traits", params={"search": "tier"}).json()
    (tier,) = traits["data"]["traits"]
    assert tier["type"] == "CUSTOM"
    assert tier["samples"] == ["t0", "t1", "t2", "t3", "t4"]
