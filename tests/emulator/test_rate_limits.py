"""Rate limits: headers on every response, 429 in Segment's shape, time-scaled windows."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from segment_unify.emulator import DEFAULT_LIMIT_PER_MINUTE, LIMITS_PER_MINUTE, limit_for
from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from tests.emulator.helpers import Target

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed.yaml"
HEADERS = ("X-RateLimit-Consumed", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@pytest.fixture
def fast_minute() -> Iterator[InProcessEmulator]:
    """An emulator whose rate-limit "minute" lasts two seconds."""
    with running_emulator(seed=SEED, time_scale=30) as handle:
        yield handle


def hit_until_limited(client: httpx.Client, path: str, limit: int) -> httpx.Response:
    """Call until a 429; the window may roll over once, so allow two windows' worth."""
    for _ in range(2 * limit + 2):
        response = client.get(path)
        if response.status_code == 429:
            return response
        assert response.status_code == 200, response.text
    raise AssertionError(f"no 429 after {2 * limit + 2} calls to {path}")


@pytest.mark.real_segment
def test_success__carries_rate_limit_headers(api: httpx.Client) -> None:
    response = api.get("/spaces")
    assert response.status_code == 200
    for header in HEADERS:
        assert header in response.headers
    parsedate_to_datetime(response.headers["X-RateLimit-Reset"])


def test_success__headers_count_calls_per_operation(target: Target) -> None:
    target.require_emulator("the real workspace's counters are shared with other callers")
    first = target.client.get("/sources")
    second = target.client.get("/sources")
    other_operation = target.client.get("/spaces")
    assert (
        int(second.headers["X-RateLimit-Consumed"])
        == int(first.headers["X-RateLimit-Consumed"]) + 1
    )
    assert other_operation.headers["X-RateLimit-Consumed"] == "1"
    assert int(second.headers["X-RateLimit-Remaining"]) == DEFAULT_LIMIT_PER_MINUTE - 2


def test_limits_table__lists_segment_documented_limits() -> None:
    assert limit_for("CreateDestinationSubscription") == 5
    assert limit_for("CreateComputedTrait") == 10
    assert limit_for("ListComputedTraits") == 25
    assert limit_for("GetComputedTrait") == 100
    assert limit_for("RemoveComputedTraitFromSpace") == 20
    assert limit_for("ListAudiences") == 60
    assert limit_for("CreateReverseETLManualSync") == 20
    # Published in the SDK's operation docs; the default (1000) would let a loop of trait
    # updates or audience reads run into Segment's 429s.
    assert limit_for("UpdateComputedTraitForSpace") == 10
    assert limit_for("GetAudience") == 100
    assert limit_for("ListSources") == DEFAULT_LIMIT_PER_MINUTE == 1000
    assert set(LIMITS_PER_MINUTE) >= {"UpdateSubscriptionForDestination", "CreateAudience"}


def test_over_limit__answers_429_in_segment_shape(fast_minute: InProcessEmulator) -> None:
    with fast_minute.client() as client:
        space_id = client.get("/spaces").json()["data"]["spaces"][0]["id"]
        response = hit_until_limited(client, f"/spaces/{space_id}/computed-traits", 25)
    body = response.json()
    assert set(body) == {"errors"}
    error = body["errors"][0]
    assert (error["type"], error["message"]) == ("RequestError", "Too many requests")
    assert error["data"]["remainingPoints"] == 0
    assert error["data"]["consumedPoints"] == 26
    assert 0 <= error["data"]["msBeforeNext"] <= 2000
    assert response.headers["X-RateLimit-Remaining"] == "0"
    assert response.headers["X-RateLimit-Consumed"] == "26"
    parsedate_to_datetime(response.headers["X-RateLimit-Reset"])


def test_over_limit__other_operations_and_workspaces_are_unaffected(
    fast_minute: InProcessEmulator,
) -> None:
    with fast_minute.client() as client, fast_minute.client("other-workspace") as other:
        space_id = client.get("/spaces").json()["data"]["spaces"][0]["id"]
        hit_until_limited(client, f"/spaces/{space_id}/computed-traits", 25)
        assert client.get("/sources").status_code == 200
        other_space = other.get("/spaces").json()["data"]["spaces"][0]["id"]
        assert other.get(f"/spaces/{other_space}/computed-traits").status_code == 200


def test_over_limit__next_window_accepts_again(fast_minute: InProcessEmulator) -> None:
    with fast_minute.client() as client:
        space_id = client.get("/spaces").json()["data"]["spaces"][0]["id"]
        path = f"/spaces/{space_id}/computed-traits"
        limited = hit_until_limited(client, path, 25)
        time.sleep(limited.json()["errors"][0]["data"]["msBeforeNext"] / 1000 + 0.05)
        response = client.get(path)
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Consumed"] == "1"


def test_over_limit__subscription_create_allows_five(fast_minute: InProcessEmulator) -> None:
    with fast_minute.client() as client:
        statuses = []
        for _ in range(6):
            response = client.post("/destinations/unknown000000000000000/subscriptions", json={})
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
    assert statuses[-1] == 429
    assert 422 in statuses


@pytest.mark.parametrize(
    "operation, path",
    [
        ("ListEvents", "/spaces/{space}/events"),
        ("ListTraits", "/spaces/{space}/traits"),
        (
            "ListPropertiesFromEvent",
            "/spaces/{space}/events/Flex - Engagement Initiated/properties",
        ),
    ],
)
def test_over_limit__the_space_schema_lists_allow_25(
    fast_minute: InProcessEmulator, operation: str, path: str
) -> None:
    """Segment's SDK documents 25 a minute for what a space has seen; the default (1000) let
    a stack with many traits run where Segment answers 429."""
    with fast_minute.client() as client:
        space_id = client.get("/spaces").json()["data"]["spaces"][0]["id"]
        response = hit_until_limited(client, path.format(space=space_id), 25)
    assert limit_for(operation) == 25
    assert response.json()["errors"][0]["data"]["consumedPoints"] == 26
