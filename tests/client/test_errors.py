"""Segment's error envelopes become typed exceptions that name the operation, path and message."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.errors import (
    NotFoundError,
    RateLimitedError,
    SegmentConnectionError,
    SegmentError,
    ServerError,
    UnauthorizedError,
    ValidationError,
)
from segment_unify.provider.profile_client import ProfileClient


def test_get_source__unknown_id_raises_not_found(make_client: Callable[..., SegmentClient]) -> None:
    with pytest.raises(NotFoundError) as info:
        make_client().get("GetSource", "/sources/doesnotexist")
    assert info.value.status == 404
    assert "GetSource GET /sources/doesnotexist failed: 404 NotFound" in str(info.value)


def test_a_write_s_404_names_the_base_url_and_the_setting_that_chose_it(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    # It said only "404 NotFound: Resource not found", which hid a wrong segment:endpoint.
    client = make_client(endpoint_from="pulumi config segment:endpoint")
    with pytest.raises(NotFoundError) as info:
        client.patch("UpdateSource", "/sources/doesnotexist", {"enabled": False})
    message = str(info.value)
    assert f"sent to {fast_emulator.url} (the endpoint from pulumi config segment:endpoint)" in (
        message
    )
    assert "https://api.segmentapis.com (EU: https://eu1.api.segmentapis.com), with no path" in (
        message
    )


def test_create_source__missing_slug_raises_validation_naming_the_field(
    make_client: Callable[..., SegmentClient],
) -> None:
    with pytest.raises(ValidationError) as info:
        make_client().post(
            "CreateSource", "/sources", {"enabled": True, "metadataId": "IqDTy1TpoU"}
        )
    assert info.value.field == "slug"
    assert "field 'slug'" in str(info.value)


def test_wrong_token_raises_unauthorized(fast_emulator: InProcessEmulator) -> None:
    client = SegmentClient("sgp_not_a_real_token", base_url=fast_emulator.url)
    with client, pytest.raises(UnauthorizedError) as info:
        client.get("GetWorkspace", "/")
    assert info.value.status == 401
    assert "sgp_not_a_real_token" not in str(info.value)


def test_rate_limited_after_last_attempt_raises_with_the_wait(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "rate_limit", "path": "^/sources$"}])
    with pytest.raises(RateLimitedError) as info:
        make_client(max_attempts=1).get("ListSources", "/sources")
    assert 0 < info.value.retry_after <= 1.0
    assert "429 RequestError: Too many requests" in str(info.value)


def test_server_error_after_last_attempt_raises_server_error(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "server_error", "status": 502, "path": "^/spaces$"}])
    with pytest.raises(ServerError) as info:
        make_client(max_attempts=1).get("ListSpaces", "/spaces")
    assert info.value.status == 502


def test_dropped_connection_raises_connection_error(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "drop", "path": "^/spaces$"}])
    with pytest.raises(SegmentConnectionError) as info:
        make_client(max_attempts=1).get("ListSpaces", "/spaces")
    assert info.value.maybe_committed is False  # a GET changes nothing


def test_profile_client__unknown_profile_and_bad_token(fast_emulator: InProcessEmulator) -> None:
    space = fast_emulator.client().get("/spaces").json()["data"]["spaces"][0]
    token = "pat_FAKE_emulator_unified_profiles_dev_000000"
    good = ProfileClient(token, base_url=fast_emulator.profile_url)
    with pytest.raises(NotFoundError):
        good.traits(space["id"], "user_id:nobody")
    bad = ProfileClient("pat_wrong_token_value", base_url=fast_emulator.profile_url)
    with pytest.raises(UnauthorizedError) as info:
        bad.traits(space["id"], "user_id:cust-1001")
    assert "pat_wrong_token_value" not in str(info.value)
    assert "pat_wrong_token_value" not in repr(bad)


def test_token_is_absent_from_logs_reprs_and_tracebacks(
    make_client: Callable[..., SegmentClient],
    fast_emulator: InProcessEmulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(max_attempts=2)
    texts = [repr(client), repr(client._http.headers)]
    fast_emulator.set_faults([{"kind": "drop", "max_count": 1}])
    client.get("ListSources", "/sources")
    errors: list[SegmentError] = []
    for call in (
        lambda: client.get("GetSource", "/sources/nope"),
        lambda: client.post("CreateSource", "/sources", {}),
    ):
        try:
            call()
        except SegmentError as exc:
            errors.append(exc)
    fast_emulator.set_faults([{"kind": "lost_response", "method": "POST"}])
    try:
        client.post(
            "CreateSource", "/sources", {"slug": "x", "enabled": True, "metadataId": "IqDTy1TpoU"}
        )
    except SegmentError as exc:
        errors.append(exc)
    assert len(errors) == 3
    texts += [str(e) for e in errors] + ["".join(traceback.format_exception(e)) for e in errors]
    texts.append(caplog.text)
    assert caplog.records, "expected the client to log its calls"
    for text in texts:
        assert fast_emulator.token not in text


def test_profile_client__retries_a_server_error_then_reads(
    fast_emulator: InProcessEmulator,
) -> None:
    space = fast_emulator.client().get("/spaces").json()["data"]["spaces"][0]
    fast_emulator.set_faults([{"kind": "server_error", "path": "^/profile-api/", "max_count": 2}])
    waits: list[float] = []
    client = ProfileClient(
        "pat_FAKE_emulator_unified_profiles_dev_000000",
        base_url=fast_emulator.profile_url,
        sleep=waits.append,
    )
    traits = client.traits(space["id"], "user_id:cust-1001")
    assert traits["traits"]["first_name"] == "Ada"
    assert len(waits) == 2
    statuses = [e["status"] for e in fast_emulator.request_log() if "/profile-api/" in e["path"]]
    assert statuses == [503, 503, 200]
