"""Fixtures for protocol tests: the emulator, one provider process configured for it, an engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.engine import Engine, ProviderProcess


@pytest.fixture
def provider(emulator: Any) -> Iterator[ProviderProcess]:
    """``python -m pulumi.dynamic``, configured the way the engine does from stack config.

    The token reaches the process only through Configure (``segment:token``), never the
    environment, as with ``pulumi config set --secret segment:token``.
    """
    env = {
        "SEGMENT_PUBLIC_API_TOKEN": "",
        "SEGMENT_PUBLIC_API_URL": "",
        "SEGMENT_PROFILE_API_URL": "",
        # Lists here do not lag unless a test says so: listing again for 30 s would only wait.
        "SEGMENT_UNIFY_LIST_WAIT_SECONDS": "1",
    }
    with ProviderProcess(env) as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": emulator.url,
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        yield proc


@pytest.fixture
def engine(provider: ProviderProcess) -> Engine:
    return Engine(provider)


@pytest.fixture
def segment(emulator: Any) -> Iterator[httpx.Client]:
    """A plain client for out-of-band changes, as a person in Segment's UI would make them."""
    with httpx.Client(
        base_url=emulator.url, headers={"Authorization": f"Bearer {emulator.token}"}
    ) as client:
        yield client
