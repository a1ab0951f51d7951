"""Client-tier fixtures: an emulator whose minute lasts one second, and clients on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.provider.client import SegmentClient
from tests.conftest import SEED_PATH

TIME_SCALE = 60.0  # the emulator's rate-limit minute lasts one second


@pytest.fixture
def fast_emulator() -> Iterator[InProcessEmulator]:
    with running_emulator(seed=SEED_PATH, time_scale=TIME_SCALE) as handle:
        yield handle


class RecordingSleep:
    """Records the waits the client asks for instead of sleeping through them."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> RecordingSleep:
    return RecordingSleep()


@pytest.fixture
def make_client(
    fast_emulator: InProcessEmulator, sleeps: RecordingSleep
) -> Iterator[Callable[..., SegmentClient]]:
    made: list[SegmentClient] = []

    def make(**kwargs: Any) -> SegmentClient:
        options: dict[str, Any] = {
            "base_url": fast_emulator.url,
            "rate_limit_window": 60.0 / TIME_SCALE,
            "sleep": sleeps,
        }
        options.update(kwargs)
        client = SegmentClient(fast_emulator.token, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
