"""Fixtures of the tracking tests: a source connected to the seeded dev space."""

from __future__ import annotations

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from tests.tracking.helpers import Feed, new_feed


@pytest.fixture
def feed(emulator: InProcessEmulator) -> Feed:
    return new_feed(emulator)
