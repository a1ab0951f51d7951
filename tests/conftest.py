"""Shared fixtures: a seeded in-process emulator per test, an HTTP client on it, and an engine
driving a provider process configured for it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.localrun.engine import Engine
from tests.support.provider import configured_provider

SEED_PATH = Path(__file__).resolve().parents[1] / "examples" / "seed.yaml"


def pytest_configure(config: pytest.Config) -> None:
    """Provider processes keep their record of unanswered creates in this run's own folder."""
    os.environ.setdefault(
        "SEGMENT_UNIFY_STATE_DIR", tempfile.mkdtemp(prefix="segment-unify-state-")
    )


@pytest.fixture
def emulator() -> Iterator[InProcessEmulator]:
    """A fresh emulator (in-memory store) seeded with examples/seed.yaml."""
    with running_emulator(seed=SEED_PATH) as handle:
        yield handle


@pytest.fixture
def http(emulator: InProcessEmulator) -> Iterator[httpx.Client]:
    """An httpx client on the emulator's Public API with the first workspace's token."""
    with emulator.client() as client:
        yield client


@pytest.fixture
def engine(emulator: InProcessEmulator) -> Iterator[Engine]:
    """An engine over a provider process configured for the emulator, as Pulumi's engine
    configures it (over gRPC); a folder's conftest may give it another provider."""
    with configured_provider(emulator) as process:
        yield Engine(process)
