"""``segment-unify export`` of a large space: the calls it makes and the time it takes.

A space with ``TRAITS`` computed traits and a workspace with ``SOURCES`` sources, made through
the Public API on a time-scaled emulator (Segment's rate limits, on a faster clock), then
exported. The floor is one paginated list per kind (``ListTraits`` for predictions included;
per warehouse its connected sources, per destination its subscriptions): no GET per object.
"""

from __future__ import annotations

import math
import tempfile
import time
from pathlib import Path

from benchmarks.stack import SEED, WINDOW_SECONDS
from benchmarks.table import Row, seconds
from segment_unify.cli.export import export
from segment_unify.emulator.testing import running_emulator
from segment_unify.provider._constants import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from segment_unify.provider.client import SegmentClient

TIME_SCALE = 600.0
SPACE = "unified-profiles-dev"
JAVASCRIPT = "IqDTy1TpoU"
QUERY = "event('Flex - Engagement Initiated').count()"


def _floor(sources: int, traits: int, seeded_traits: int) -> int:
    """The fewest GETs: one list per kind, as many pages as the items need."""
    pages = math.ceil
    return (
        1  # ListSpaces
        + pages((sources + 2) / DEFAULT_PAGE_SIZE)  # ListSources (+ the spaces' own two)
        + 3  # ListWarehouses, ListReverseEtlModels, ListDestinations (none here)
        + 1  # ListProfilesWarehouseInSpace
        + pages(traits / MAX_PAGE_SIZE)  # ListComputedTraits
        + 1  # ListAudiences
        + pages((traits + seeded_traits) / DEFAULT_PAGE_SIZE)  # ListTraits (predictions)
    )


def measure(sources: int, traits: int) -> tuple[int, int, float, int]:
    """(GETs made, their floor, seconds, objects exported)."""
    window = WINDOW_SECONDS / TIME_SCALE
    with running_emulator(seed=SEED, time_scale=TIME_SCALE) as emulator:
        with SegmentClient(emulator.token, base_url=emulator.url, rate_limit_window=window) as c:
            for n in range(sources):
                body = {"slug": f"source-{n}", "enabled": True, "metadataId": JAVASCRIPT}
                c.post("CreateSource", "/sources", body)
            [space] = [
                s for s in c.paginate("ListSpaces", "/spaces", "spaces") if s["slug"] == SPACE
            ]
            for n in range(traits):
                body = {"name": f"Trait {n}", "definition": {"type": "USERS", "query": QUERY}}
                c.post("CreateComputedTrait", f"/spaces/{space['id']}/computed-traits", body)
            seeded = (
                sum(1 for _ in c.paginate("ListTraits", f"/spaces/{space['id']}/traits", "traits"))
                - traits
            )
        with (
            SegmentClient(emulator.token, base_url=emulator.url, rate_limit_window=window) as c,
            tempfile.TemporaryDirectory() as out,
        ):
            started = time.monotonic()
            plan = export(c, [SPACE], Path(out), progress=lambda _: None)
            took = time.monotonic() - started
            calls = sum(c.calls.values())
    return calls, _floor(sources, traits, seeded), took, sum(plan.counts.values())


def run(quick: bool = False) -> list[Row]:
    sources, traits = (5, 50) if quick else (50, 1000)
    calls, floor, took, objects = measure(sources, traits)
    note = (
        f"{objects} objects declared; emulator clock x{TIME_SCALE:g}, the client paced to "
        "Segment's limits on it; the time is wall time of the reads and the files"
    )
    return [
        Row(
            f"export: GETs for {traits} traits, {sources} sources",
            str(calls),
            f"<= {floor} (one list per kind)",
            calls <= floor,
            note,
        ),
        Row(
            f"export: time for {traits} traits, {sources} sources",
            seconds(took),
            "info",
            None,
            note,
        ),
    ]
