"""The HTTP Tracking API as Segment documents it, over loopback HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx

from segment_unify.emulator.testing import InProcessEmulator
from tests.tracking.helpers import Feed, basic, new_feed, send


def _stored(feed: Feed) -> list[dict[str, object]]:
    messages: list[dict[str, object]] = feed.admin("GET", f"/sources/{feed.source_id}/messages")[
        "messages"
    ]
    return messages


def test_each_call_is_answered_success_and_stored_enriched(feed: Feed) -> None:
    calls = {
        "track": {"userId": "u1", "event": "Flex - Engagement Initiated", "properties": {"a": 1}},
        "identify": {"userId": "u1", "traits": {"plan": "pro"}},
        "page": {"anonymousId": "a1", "name": "Pricing"},
        "screen": {"anonymousId": "a1"},
        "group": {"userId": "u1", "groupId": "g1"},
        "alias": {"userId": "u1", "previousId": "a1"},
    }
    for kind, body in calls.items():
        response = feed.send(kind, body)
        assert response.status_code == 200
        assert response.json() == {"success": True}
    stored = _stored(feed)
    assert [m["type"] for m in stored] == list(calls)
    for message in stored:
        assert str(message["messageId"]).startswith("api-")
        assert message["timestamp"] == message["receivedAt"]
        assert "writeKey" not in message
    assert feed.events_seen() == {
        "Flex - Engagement Initiated": "TRACK",
        "Flex - Engagement Completed": "TRACK",  # seeded
        "Identify": "IDENTIFY",
        "Pricing": "PAGE",
        "Screen Viewed": "SCREEN",
        "Group": "GROUP",
        "Alias": "ALIAS",
    }


def test_write_key_in_the_body_and_gzip_bodies(feed: Feed, emulator: InProcessEmulator) -> None:
    body = {"writeKey": feed.write_key, "userId": "u2", "event": "Order Completed"}
    assert send(emulator, "track", body, write_key=None).status_code == 200
    batch = {
        "writeKey": feed.write_key,
        "batch": [{"type": "track", "userId": "u2", "event": "Zipped"}],
    }
    response = send(emulator, "batch", batch, write_key=None, compress=True)
    assert response.status_code == 200
    assert [m.get("event") for m in _stored(feed)] == ["Order Completed", "Zipped"]


def test_message_id_deduplicates_and_batch_context_applies(feed: Feed) -> None:
    batch = {
        "context": {"library": {"name": "test"}},
        "batch": [
            {"type": "track", "messageId": "m-1", "userId": "u3", "event": "Once"},
            {"type": "track", "messageId": "m-1", "userId": "u3", "event": "Once"},
            {"type": "identify", "messageId": "m-2", "userId": "u3", "context": {"ip": "::1"}},
        ],
    }
    assert feed.send("batch", batch).status_code == 200
    assert feed.send("track", batch["batch"][0]).status_code == 200  # type: ignore[index]
    stored = _stored(feed)
    assert [m["messageId"] for m in stored] == ["m-1", "m-2"]
    assert stored[0]["context"] == {"library": {"name": "test"}}
    assert stored[1]["context"] == {"ip": "::1"}  # the message's own context wins


def test_timestamp_is_corrected_for_client_clock_skew(feed: Feed) -> None:
    # The client's clock is an hour ahead: it stamped the event 10 s before sending it.
    body = {
        "userId": "u4",
        "event": "Skewed",
        "timestamp": "2030-01-01T01:00:00.000Z",
        "sentAt": "2030-01-01T01:00:10.000Z",
    }
    assert feed.send("track", body).status_code == 200
    (message,) = _stored(feed)
    received = datetime.fromisoformat(str(message["receivedAt"]).replace("Z", "+00:00"))
    corrected = datetime.fromisoformat(str(message["timestamp"]).replace("Z", "+00:00"))
    assert (received - corrected).total_seconds() == 10
    assert message["originalTimestamp"] == "2030-01-01T01:00:00.000Z"
    assert message["sentAt"] == "2030-01-01T01:00:10.000Z"
    # Without sentAt (a historical import), the timestamp is kept as given.
    feed.send("track", {"userId": "u4", "event": "Old", "timestamp": "2020-05-01T00:00:00Z"})
    assert _stored(feed)[1]["timestamp"] == "2020-05-01T00:00:00.000Z"


def test_unknown_write_key_is_answered_200_and_dropped(feed: Feed) -> None:
    response = feed.send("track", {"userId": "u5", "event": "Lost"}, write_key="x" * 32)
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert _stored(feed) == []
    dropped = feed.admin("GET", "/tracking/dropped")["dropped"]
    assert [(d["reason"], d["sourceId"]) for d in dropped] == [("unknown write key", None)]


def test_missing_write_key_is_a_400(emulator: InProcessEmulator) -> None:
    response = send(emulator, "track", {"userId": "u", "event": "E"}, write_key=None)
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert set(response.json()) == {"success", "code", "message"}


def test_messages_segment_does_not_accept_are_dropped_after_a_200(feed: Feed) -> None:
    assert feed.send("track", {"event": "No identity"}).status_code == 200
    assert feed.send("track", {"userId": "u6"}).status_code == 200
    assert feed.send("identify", {"userId": "  ", "traits": {"a": 1}}).status_code == 200
    assert _stored(feed) == []
    reasons = [d["reason"] for d in feed.admin("GET", "/tracking/dropped")["dropped"]]
    missing = "a userId or an anonymousId is required"
    assert reasons == [missing, "a track call needs an event", missing]


def test_size_limits_and_bad_bodies_are_400(feed: Feed, emulator: InProcessEmulator) -> None:
    just_under = {"userId": "u7", "event": "Big", "properties": {"p": "x" * 31_000}}
    assert feed.send("track", just_under).status_code == 200
    over = {"userId": "u7", "event": "Big", "properties": {"p": "x" * 33_000}}
    assert feed.send("track", over).status_code == 400
    assert feed.send("track", over, compress=True).status_code == 400  # limits apply unzipped
    big_message_batch = {"batch": [{"type": "track", **over}]}
    assert feed.send("batch", big_message_batch).status_code == 400
    many = [{"type": "track", **just_under} for _ in range(17)]  # 17 x 31 KB > 500 KB
    assert feed.send("batch", {"batch": many}).status_code == 400
    assert feed.send("batch", {"batch": many[:15]}).status_code == 200
    bad = httpx.post(
        f"{emulator.url}/v1/track",
        content=b"{not json",
        headers={"Authorization": basic(feed.write_key)},
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_request"
    assert len(_stored(feed)) == 16  # the one under the limit and the batch of 15


def test_an_unconnected_source_feeds_no_space(emulator: InProcessEmulator) -> None:
    feed = new_feed(emulator, slug="not-connected", connect=False)
    assert feed.send("track", {"userId": "u8", "event": "Nowhere"}).status_code == 200
    assert len(_stored(feed)) == 1
    assert "Nowhere" not in feed.events_seen()
    assert all({"type": "user_id", "id": "u8"} not in p["externalIds"] for p in feed.profiles())


def test_concurrent_senders_lose_nothing(feed: Feed) -> None:
    def sender(thread: int) -> list[int]:
        statuses = []
        for request in range(20):
            batch = [
                {
                    "type": "track",
                    "messageId": f"t{thread}-r{request}-m{i}",
                    "userId": f"user-{thread}",
                    "event": "Concurrent",
                }
                for i in range(5)
            ]
            statuses.append(feed.send("batch", {"batch": batch}).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [s for result in pool.map(sender, range(8)) for s in result]
    assert statuses == [200] * 160
    assert len(_stored(feed)) == 8 * 20 * 5
    users = {e["id"] for p in feed.profiles() for e in p["externalIds"] if e["type"] == "user_id"}
    assert {f"user-{t}" for t in range(8)} <= users
