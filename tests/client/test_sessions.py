"""What the provider process keeps is kept per endpoint and workspace, in one session each."""

from __future__ import annotations

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider import session
from segment_unify.provider.client import SegmentClient

OTHER_TOKEN = "sgp_FAKE_emulator_other_workspace_000000000000000"


def test_clients_of_one_workspace_share_a_session_and_another_workspace_has_its_own(
    emulator: InProcessEmulator,
) -> None:
    with (
        SegmentClient(emulator.token, base_url=emulator.url) as first,
        SegmentClient(emulator.token, base_url=emulator.url) as again,
        SegmentClient(OTHER_TOKEN, base_url=emulator.url) as other,
    ):
        assert first.session is again.session
        assert other.session is not first.session
        window = first.rate_limit_window
        limiter = first.session.limiter("CreateComputedTrait", window)
        assert again.session.limiter("CreateComputedTrait", window) is limiter
        assert other.session.limiter("CreateComputedTrait", window) is not limiter
        # The session is named by a digest of the token, never the token.
        assert emulator.token not in repr(first.session)


def test_a_reset_forgets_every_session(emulator: InProcessEmulator) -> None:
    with SegmentClient(emulator.token, base_url=emulator.url) as client:
        before = client.session
    session.reset()
    with SegmentClient(emulator.token, base_url=emulator.url) as client:
        assert client.session is not before
