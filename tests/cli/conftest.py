"""A seeded emulator over loopback HTTP with a Unify setup made the way Segment's app makes one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify import demo
from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from tests.cli.app_workspace import build


@pytest.fixture
def emulator() -> Iterator[InProcessEmulator]:
    with running_emulator(seed=demo.SEED) as emu:
        yield emu


@pytest.fixture
def app_made(emulator: InProcessEmulator) -> dict[str, Any]:
    with emulator.client() as api:
        return build(api, "unified-profiles-dev")
