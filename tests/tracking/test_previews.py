"""Previews: Segment's `CreateAudiencePreview`/`GetAudiencePreview` over the space's profiles,
and `segment_unify.preview` for computed traits (library and command), over the emulator's
profiles or a file of sample events."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.preview import preview, profiles_from_emulator, profiles_from_file
from tests.tracking.helpers import Feed

CALL = "Flex - Engagement Initiated"
TWO_CALLS = f"event('{CALL}').count() >= 2"


def _calls(feed: Feed, who: dict[str, str], count: int) -> None:
    for _ in range(count):
        body = {**who, "event": CALL, "properties": {"channelType": "voice"}}
        assert feed.send("track", body).status_code == 200


def _preview(api: httpx.Client, space_id: str, query: str, **options: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"audienceType": "USERS", "definition": {"query": query}}
    if options:
        body["options"] = options
    created = api.post(f"/spaces/{space_id}/audiences/previews", json=body)
    assert created.status_code == 200, created.text
    preview_id = created.json()["data"]["audiencePreview"]["id"]
    answer = api.get(f"/spaces/{space_id}/audiences/previews/{preview_id}")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()["data"]["audiencePreview"]
    assert found["id"] == preview_id
    return found


def test_audience_preview_lists_the_profiles_the_definition_holds_for(
    feed: Feed, emulator: InProcessEmulator
) -> None:
    _calls(feed, {"userId": "often"}, 3)
    _calls(feed, {"userId": "once"}, 1)
    _calls(feed, {"anonymousId": "anon-often"}, 2)
    often = feed.profile_of("user_id", "often")["segmentId"]
    with emulator.client() as api:
        found = _preview(api, feed.space_id, TWO_CALLS)
        assert found["status"] == "COMPLETED"
        assert found["size"] == {"count": 1, "type": "USERS"}  # anonymous: no required id
        assert [r["id"] for r in found["results"]] == [often]
        assert found["results"][0]["properties"]["user_id"] == "often"
        assert found["options"]["filterByExternalIds"] == [
            "user_id",
            "email",
            "android.idfa",
            "ios.idfa",
        ]
        with_anonymous = _preview(
            api, feed.space_id, TWO_CALLS, filterByExternalIds=["user_id", "anonymous_id"]
        )
        assert with_anonymous["size"]["count"] == 2


def test_account_audience_preview_evaluates_any_and_all_over_each_accounts_users(
    feed: Feed, emulator: InProcessEmulator
) -> None:
    for user, group, plan in [
        ("ann", "acme", "enterprise"),
        ("bo", "acme", "enterprise"),
        ("cy", "beta", "team"),
    ]:
        body = {"userId": user, "groupId": group, "traits": {"plan": plan}}
        assert feed.send("group", body).status_code == 200
    _calls(feed, {"userId": "ann"}, 2)
    _calls(feed, {"userId": "cy"}, 1)
    with emulator.client() as api:

        def accounts(query: str) -> list[str]:
            body = {"audienceType": "ACCOUNTS", "definition": {"query": query}}
            created = api.post(f"/spaces/{feed.space_id}/audiences/previews", json=body)
            assert created.status_code == 200, created.text
            preview_id = created.json()["data"]["audiencePreview"]["id"]
            found = api.get(f"/spaces/{feed.space_id}/audiences/previews/{preview_id}")
            answer = found.json()["data"]["audiencePreview"]
            assert answer["status"] == "COMPLETED", answer
            assert answer["size"] == {"count": len(answer["results"]), "type": "ACCOUNTS"}
            return sorted(r["id"] for r in answer["results"])

        assert accounts(f"ANY {TWO_CALLS}") == ["acme"]  # ann
        assert accounts(f"ANY event('{CALL}').count() >= 1") == ["acme", "beta"]
        assert accounts(f"ALL event('{CALL}').count() >= 1") == ["beta"]  # bo made no call
        assert accounts(f"ANY event('{CALL}').count() >= 1 AND trait('plan') = 'team'") == ["beta"]


def test_audience_preview_that_cannot_be_computed_fails_saying_why(
    feed: Feed, emulator: InProcessEmulator
) -> None:
    with emulator.client() as api:
        found = _preview(api, feed.space_id, f"event('{CALL}').count() >= ")
        assert found["status"] == "FAILED"
        assert "not a valid query" in found["failureReason"]
        missing = api.get(f"/spaces/{feed.space_id}/audiences/previews/aud_prev_nothing")
        assert missing.status_code == 404
        empty = api.post(
            f"/spaces/{feed.space_id}/audiences/previews",
            json={"audienceType": "USERS", "definition": {"query": ""}},
        )
        assert empty.status_code == 422


def test_trait_preview_over_the_emulators_profiles(feed: Feed, emulator: InProcessEmulator) -> None:
    _calls(feed, {"userId": "caller"}, 2)
    counter = f"event('{CALL}').count()"
    result = preview(counter, profiles_from_emulator(emulator.url, feed.space_id))
    assert ("user_id:caller", 2) in result.samples
    assert "user_id:caller" in result.members
    # The seeded profiles made no calls: they have the value 0 and are not members.
    assert result.values["user_id:cust-1001"] == 0
    assert "user_id:cust-1001" not in result.members
    nobody = preview(f"event('{CALL}').where(property('channelType') = 'sms').count()", [])
    assert nobody.members == []


SAMPLE = [
    {
        "type": "identify",
        "userId": "u1",
        "traits": {"plan": "pro"},
        "timestamp": "2026-06-01T00:00:00Z",
    },
    {
        "type": "track",
        "userId": "u1",
        "event": CALL,
        "timestamp": "2026-06-02T00:00:00Z",
        "properties": {"channelType": "sms"},
    },
    {
        "type": "track",
        "userId": "u1",
        "event": CALL,
        "timestamp": "2026-06-03T00:00:00Z",
        "properties": {"channelType": "sms"},
    },
    {
        "type": "track",
        "anonymousId": "a2",
        "event": CALL,
        "timestamp": "2026-06-03T00:00:00Z",
        "properties": {"channelType": "voice"},
    },
]


def test_trait_preview_over_a_file_of_sample_events(tmp_path: Path) -> None:
    lines = tmp_path / "sample.jsonl"
    lines.write_text("\n".join(json.dumps(m) for m in SAMPLE))
    array = tmp_path / "sample.json"
    array.write_text(json.dumps(SAMPLE))
    mode = f"event('{CALL}').mode(property('channelType'), 2)"
    for path in (lines, array):
        result = preview(mode, profiles_from_file(path))
        assert result.values == {"u1": "sms", "a2": None}
        assert result.members == ["u1"]
    audience = preview("trait('plan') = 'pro'", profiles_from_file(lines))
    assert audience.audience is True
    assert audience.members == ["u1"]


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "segment_unify.preview", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_preview_command_reports_members_and_fails_without_any(
    tmp_path: Path, feed: Feed, emulator: InProcessEmulator
) -> None:
    sample = tmp_path / "sample.json"
    sample.write_text(json.dumps(SAMPLE))
    found = _command(f"event('{CALL}').count()", "--events", str(sample))
    assert found.returncode == 0, found.stderr
    assert "2 member(s) of 2 profile(s)" in found.stdout
    assert "u1: 2" in found.stdout
    none = _command(
        f"event('{CALL}').where(property('channelType') = 'email').count()", "--events", str(sample)
    )
    assert none.returncode == 1
    assert "at least one member" in none.stdout
    broken = _command("event('x').count(", "--events", str(sample))
    assert broken.returncode == 2
    _calls(feed, {"userId": "caller"}, 1)
    live = _command(
        f"event('{CALL}').count()", "--emulator", emulator.url, "--space", feed.space_id
    )
    assert live.returncode == 0, live.stderr
    assert "user_id:caller: 1" in live.stdout
