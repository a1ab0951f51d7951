"""Messages a person can act on: connection errors name the URL and the setting that chose it,
a refused token names the settings that carry one, and long waits for Segment's rate limits are
told as they start (through ``pulumi.log``, which a provider process writes to stderr)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider import _constants as c
from segment_unify.provider import notices, pacing
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.config import resolve
from segment_unify.provider.errors import SegmentConnectionError, UnauthorizedError
from tests.support.objects import subscription_path

WRONG_TOKEN = "sgp_WRONG_must_never_be_printed_0c4f1d"


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_connection_refused__names_the_url_the_config_key_and_that_nothing_was_applied() -> None:
    url = _closed_port_url()
    settings = resolve(config={"segment:endpoint": url, "segment:token": "sgp_x"}, environ={})
    client = SegmentClient.from_settings(settings)
    client.max_attempts = 1
    with client, pytest.raises(SegmentConnectionError) as failed:
        client.post("CreateSource", "/sources", {"slug": "s"})
    message = str(failed.value)
    assert f"POST {url}/sources" in message
    assert "pulumi config segment:endpoint" in message
    assert "nothing was applied" in message
    assert failed.value.maybe_committed is False


def test_connection_error__names_the_environment_variable_that_set_the_url() -> None:
    url = _closed_port_url()
    env = {c.ENV_PUBLIC_API_URL: url, c.ENV_PUBLIC_API_TOKEN: "sgp_x"}
    client = SegmentClient.from_settings(resolve(environ=env))
    client.max_attempts = 1
    with client, pytest.raises(SegmentConnectionError) as failed:
        client.get("ListSources", "/sources")
    assert f"environment variable {c.ENV_PUBLIC_API_URL}" in str(failed.value)


def test_connection_dropped_after_a_write_was_sent__says_it_may_have_been_applied(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    fast_emulator.set_faults([{"kind": "drop", "probability": 1.0, "method": "POST"}])
    client = make_client(max_attempts=1, endpoint_from="pulumi config segment:endpoint")
    with pytest.raises(SegmentConnectionError) as failed:
        client.post("CreateSource", "/sources", {"slug": "dropped", "metadataId": "IqDTy1TpoU"})
    message = str(failed.value)
    assert f"{fast_emulator.url}/sources" in message
    assert "may have applied it" in message
    assert "segment:endpoint" in message


def test_unauthorized__names_segment_token_and_its_environment_variable(
    fast_emulator: InProcessEmulator,
) -> None:
    settings = resolve(
        config={"segment:endpoint": fast_emulator.url, "segment:token": WRONG_TOKEN}, environ={}
    )
    with SegmentClient.from_settings(settings) as client, pytest.raises(UnauthorizedError) as e:
        client.get("ListSources", "/sources")
    message = str(e.value)
    assert "pulumi config segment:token" in message  # where this token came from
    assert "pulumi config set --secret segment:token" in message
    assert c.ENV_PUBLIC_API_TOKEN in message
    assert WRONG_TOKEN not in message


def test_a_long_wait_for_a_pacing_slot_is_told_with_the_operation_limit_and_wait(
    fast_emulator: InProcessEmulator,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The emulator's minute lasts one second here, so the threshold shrinks with it.
    monkeypatch.setattr(c, "WAIT_NOTICE_SECONDS", 0.5)
    with SegmentClient(fast_emulator.token, base_url=fast_emulator.url, rate_limit_window=1.0) as (
        client
    ):
        path = subscription_path(client, "notices")
        capsys.readouterr()
        limit = c.PER_MINUTE["UpdateSubscriptionForDestination"]
        with notices.acting_for("destination subscription 's' (resource 'mapping')"):
            for n in range(limit):
                client.patch("UpdateSubscriptionForDestination", path, {"input": {"name": f"s{n}"}})
            assert "waiting" not in capsys.readouterr().err  # within the limit: no wait
            client.patch("UpdateSubscriptionForDestination", path, {"input": {"name": "more"}})
    told = capsys.readouterr().err
    assert told.startswith("info: destination subscription 's' (resource 'mapping'): waiting 1 s")
    assert f"UpdateSubscriptionForDestination ({limit} calls per 1 s per workspace)" in told


def test_a_short_wait_is_not_told() -> None:
    told: list[float] = []
    now = [0.0]
    limiter = pacing.Limiter(1, 1.0, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, s))
    limiter.acquire(told.append)
    limiter.acquire(told.append)
    assert told == [pytest.approx(1.03)]  # the limiter reports every wait it makes ...
    assert c.WAIT_NOTICE_SECONDS >= 1.03  # ... and a wait this short is below the threshold


def test_a_429_wait_is_told(capsys: pytest.CaptureFixture[str]) -> None:
    notices.server_wait("CreateComputedTrait", 61.5)
    assert "429 (rate limited) to CreateComputedTrait; waiting 62 s" in capsys.readouterr().err
