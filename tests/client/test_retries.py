"""Retries: 429 waits what Segment says; 5xx and drops back off; a POST is never retried blindly."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.errors import SegmentConnectionError, ServerError
from tests.client.conftest import RecordingSleep

SOURCE = {"slug": "retry-test", "enabled": True, "metadataId": "IqDTy1TpoU"}


def _statuses(emulator: InProcessEmulator, method: str, path: str) -> list[int | None]:
    return [
        e["status"] for e in emulator.request_log() if e["method"] == method and e["path"] == path
    ]


@pytest.mark.parametrize("failures", [1, 2, 3])
def test_get__rate_limited_then_succeeds_waiting_ms_before_next(
    failures: int,
    make_client: Callable[..., SegmentClient],
    fast_emulator: InProcessEmulator,
    sleeps: RecordingSleep,
) -> None:
    fast_emulator.set_faults([{"kind": "rate_limit", "path": "^/spaces$", "max_count": failures}])
    spaces = make_client().get("ListSpaces", "/spaces")["spaces"]
    assert spaces
    assert _statuses(fast_emulator, "GET", "/spaces") == [429] * failures + [200]
    # The emulator's minute is one second: every wait is Segment's msBeforeNext, at most 1 s.
    retry_waits = [w for w in sleeps.waits if w > 0]
    assert len(retry_waits) == failures
    assert all(0 < w <= 1.0 for w in retry_waits)


def test_post__rate_limited_is_retried_because_segment_did_not_act(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "rate_limit", "method": "POST", "max_count": 1}])
    source = make_client().post("CreateSource", "/sources", SOURCE)["source"]
    assert source["slug"] == "retry-test"
    assert _statuses(fast_emulator, "POST", "/sources") == [429, 201]


@pytest.mark.parametrize("failures", [1, 2, 3])
@pytest.mark.parametrize("kind", ["server_error", "drop"])
def test_get__server_errors_and_drops_are_retried_with_backoff(
    failures: int,
    kind: str,
    make_client: Callable[..., SegmentClient],
    fast_emulator: InProcessEmulator,
    sleeps: RecordingSleep,
) -> None:
    fast_emulator.set_faults([{"kind": kind, "path": "^/spaces$", "max_count": failures}])
    assert make_client(backoff_initial=0.5, backoff_max=8).get("ListSpaces", "/spaces")["spaces"]
    assert len(_statuses(fast_emulator, "GET", "/spaces")) == failures + 1
    waits = [w for w in sleeps.waits if w > 0]
    assert len(waits) == failures
    # Full jitter within a doubling ceiling: attempt n waits between 2^(n-2) and 2^(n-1) * 0.5 s.
    for attempt, wait in enumerate(waits, start=1):
        ceiling = min(8, 0.5 * 2 ** (attempt - 1))
        assert ceiling / 2 <= wait <= ceiling


def test_post__server_error_is_not_retried(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "server_error", "method": "POST", "max_count": 1}])
    with pytest.raises(ServerError):
        make_client().post("CreateSource", "/sources", SOURCE)
    assert _statuses(fast_emulator, "POST", "/sources") == [503]


def test_post__lost_response_is_not_retried_and_may_be_committed(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "lost_response", "method": "POST", "max_count": 1}])
    with pytest.raises(SegmentConnectionError) as info:
        make_client().post("CreateSource", "/sources", SOURCE)
    assert info.value.maybe_committed is True
    assert len(_statuses(fast_emulator, "POST", "/sources")) == 1
    slugs = [s["slug"] for s in make_client().paginate("ListSources", "/sources", "sources")]
    assert slugs.count("retry-test") == 1


def test_connection_refused_post_is_retried_because_nothing_was_sent(
    fast_emulator: InProcessEmulator, sleeps: RecordingSleep
) -> None:
    with (
        SegmentClient(
            fast_emulator.token, base_url="http://127.0.0.1:9", max_attempts=3, sleep=sleeps
        ) as client,
        pytest.raises(SegmentConnectionError) as info,
    ):
        client.post("CreateSource", "/sources", SOURCE)
    assert info.value.maybe_committed is False
    assert client.calls["CreateSource"] == 3
