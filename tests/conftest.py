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


@pytest.fixture(autouse=True)
def own_records(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's provider processes keep their records of creates in a folder of its own.

    A record outlives its create (it marks the object for a while in case Segment applies a
    write late), and tests name their resources alike: a later test's fresh emulator lacks the
    object a record names, and its create waited out the 30 s list wait looking for it.
    """
    monkeypatch.setenv("SEGMENT_UNIFY_STATE_DIR", str(tmp_path_factory.mktemp("records")))


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
