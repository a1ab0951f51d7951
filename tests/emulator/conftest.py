"""Target of the contract tests: the emulator by default, the real Segment API on request.

Set `SEGMENT_REAL_TOKEN` (and optionally `SEGMENT_REAL_API_URL`, default
https://api.segmentapis.com, and `SEGMENT_REAL_SPACE_ID`) to run the tests marked
`real_segment` against a real workspace; every other test is then skipped, saying why.
Objects created by a test are deleted at its end (`Target.created`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from tests.emulator.helpers import (
    DEFAULT_REAL_URL,
    REAL_TOKEN_ENV,
    REAL_URL_ENV,
    PacedTransport,
    Target,
    cleaned_up,
    real_mode,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not real_mode():
        return
    skip = pytest.mark.skip(
        reason=f"{REAL_TOKEN_ENV} is set: only tests marked real_segment run against Segment"
    )
    for item in items:
        if "tests/emulator" in str(item.path) and "real_segment" not in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def target(request: pytest.FixtureRequest) -> Iterator[Target]:
    if real_mode():
        headers = {
            "Authorization": f"Bearer {os.environ[REAL_TOKEN_ENV]}",
            "Accept": "application/json",
        }
        url = os.environ.get(REAL_URL_ENV, DEFAULT_REAL_URL)
        transport = PacedTransport(httpx.HTTPTransport())
        with httpx.Client(
            base_url=url, headers=headers, timeout=60.0, transport=transport
        ) as client:
            yield from cleaned_up(Target(client, None))
        return
    emulator: InProcessEmulator = request.getfixturevalue("emulator")
    with emulator.client() as client:
        yield from cleaned_up(Target(client, emulator))


@pytest.fixture
def api(target: Target) -> httpx.Client:
    """The Public API client of the current target."""
    return target.client


@pytest.fixture
def emu(target: Target) -> InProcessEmulator:
    """The emulator; skips (saying why) when the target is the real API."""
    return target.require_emulator("admin routes, seeding and faults exist only in the emulator")
