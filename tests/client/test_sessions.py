"""What the provider process keeps is one runtime: a session per endpoint and workspace, kept
across re-configuration, and forgotten whole by one reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider import runtime
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.runtime import ProviderRuntime

OTHER_TOKEN = "sgp_FAKE_emulator_other_workspace_000000000000000"


@pytest.fixture(autouse=True)
def fresh_runtime() -> Iterator[None]:
    runtime.reset()
    yield
    runtime.reset()


def _config(emulator: InProcessEmulator, token: str) -> dict[str, str]:
    return {"segment:token": token, "segment:endpoint": emulator.url}


def test_one_workspace_has_one_session_and_another_workspace_has_its_own(
    emulator: InProcessEmulator,
) -> None:
    rt = ProviderRuntime()
    first = rt.session(emulator.url, emulator.token)
    assert rt.session(emulator.url, emulator.token) is first
    other = rt.session(emulator.url, OTHER_TOKEN)
    assert other is not first
    limiter = first.limiter("CreateComputedTrait", 60.0)
    assert rt.session(emulator.url, emulator.token).limiter("CreateComputedTrait", 60.0) is limiter
    assert other.limiter("CreateComputedTrait", 60.0) is not limiter
    # The session is named by a digest of the token, never the token.
    assert emulator.token not in repr(first)
    assert emulator.token not in repr(rt)


def test_a_client_built_again_by_a_new_config_keeps_its_workspaces_session(
    emulator: InProcessEmulator,
) -> None:
    rt = runtime.configure(_config(emulator, emulator.token))
    before = rt.public_client()
    rt.configure({**_config(emulator, emulator.token), "segment:profileEndpoint": emulator.url})
    again = rt.public_client()
    assert again is not before
    assert again.session is before.session
    rt.configure(_config(emulator, OTHER_TOKEN))
    assert rt.public_client().session is not before.session


def test_the_same_config_again_keeps_the_client(emulator: InProcessEmulator) -> None:
    rt = runtime.configure(_config(emulator, emulator.token))
    client = rt.public_client()
    assert runtime.configure(_config(emulator, emulator.token)).public_client() is client


def test_a_reset_forgets_the_sessions_the_clients_and_the_claims(
    emulator: InProcessEmulator,
) -> None:
    rt = runtime.configure(_config(emulator, emulator.token))
    client = rt.public_client()
    rt.claims.claim(("computed trait", "space", "total_calls"), "resource 'a'")
    runtime.reset()
    fresh = runtime.configure(_config(emulator, emulator.token))
    assert fresh is not rt
    assert fresh.public_client().session is not client.session
    assert fresh.claims.claim(("computed trait", "space", "total_calls"), "resource 'b'") is None


def test_a_client_on_its_own_has_its_own_session(emulator: InProcessEmulator) -> None:
    with (
        SegmentClient(emulator.token, base_url=emulator.url) as one,
        SegmentClient(emulator.token, base_url=emulator.url) as two,
    ):
        assert one.session is not two.session
