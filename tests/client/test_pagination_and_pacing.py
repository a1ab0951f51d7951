"""Cursor pagination as an iterator, and pacing that keeps parallel work clear of 429s."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider.client import SegmentClient
from tests.support.objects import subscription_path


def test_paginate__walks_every_page(
    make_client: Callable[..., SegmentClient], fast_emulator: InProcessEmulator
) -> None:
    client = make_client()
    before = len(list(client.paginate("ListSources", "/sources", "sources")))
    for n in range(7):
        client.post(
            "CreateSource",
            "/sources",
            {"slug": f"page-{n}", "enabled": True, "metadataId": "IqDTy1TpoU"},
        )
    fast_emulator.clear_request_log()
    slugs = [s["slug"] for s in client.paginate("ListSources", "/sources", "sources", count=2)]
    assert len(slugs) == before + 7
    assert len(set(slugs)) == len(slugs)
    pages = [e for e in fast_emulator.request_log() if e["path"] == "/sources"]
    assert len(pages) >= 4
    assert "pagination.cursor" in pages[1]["query"]


def test_paginate__refuses_a_page_size_segment_refuses(
    make_client: Callable[..., SegmentClient],
) -> None:
    with pytest.raises(ValueError, match=r"1\.\.1000"):
        list(make_client().paginate("ListSources", "/sources", "sources", count=1001))


@pytest.mark.parametrize("pace", [True, False], ids=["paced", "unpaced"])
def test_twenty_parallel_updates_of_a_five_per_minute_endpoint(
    pace: bool, fast_emulator: InProcessEmulator
) -> None:
    """Paced: no 429 ever reaches Segment's log. Unpaced: Segment refuses some (the control)."""
    with SegmentClient(
        fast_emulator.token, base_url=fast_emulator.url, rate_limit_window=1.0, pace=pace
    ) as client:
        path = subscription_path(client, "pacing")
        time.sleep(1.1)  # let the creation's window pass
        fast_emulator.clear_request_log()
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(
                pool.map(
                    lambda n: client.patch(
                        "UpdateSubscriptionForDestination", path, {"input": {"name": f"s{n}"}}
                    ),
                    range(20),
                )
            )
    assert len(results) == 20
    statuses = [e["status"] for e in fast_emulator.request_log() if e["method"] == "PATCH"]
    if pace:
        assert statuses == [200] * 20
    else:
        assert 429 in statuses


def test_pacing_knows_every_limit_the_emulator_enforces() -> None:
    """The provider paces each operation with a published limit to that limit, so no call
    waits for a 429 that pacing could have avoided (UpdateComputedTraitForSpace 10/min,
    GetAudience 100/min among them)."""
    from segment_unify.emulator import LIMITS_PER_MINUTE
    from segment_unify.provider import _constants

    paced = {op: _constants.PER_MINUTE.get(op) for op in LIMITS_PER_MINUTE}
    assert paced == dict(LIMITS_PER_MINUTE)


def test_pacing_knows_every_limit_the_sdk_documents() -> None:
    """Each operation with a limit of its own in Segment's SDK (ListEvents, ListTraits and
    ListPropertiesFromEvent at 25 a minute among them) is paced at it."""
    from segment_unify.provider import pacing
    from tests.fidelity.segment_models import load_rate_limits

    documented = load_rate_limits()
    assert {op: pacing.limit_for(op) for op in documented} == documented
