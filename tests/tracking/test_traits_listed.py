"""ListTraits is the space's schema of traits seen on profiles: a computed trait or audience
joins it once a profile carries it, not when it is made.

Segment's SDK (API 73.2.0) types each listed trait as ``TraitAlpha`` with a required
``lastSeenAt`` ("ISO timestamp of when the trait was last seen") and sample values, in the
Space Schema API beside the events a space has seen; a trait made a moment ago has been seen
on no profile. The space here is fresh (no profiles), and events arrive through the Tracking
API from a source connected to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from tests.support.fresh_space import fresh_seed
from tests.tracking.helpers import Feed, new_feed

EVENT = "Support Call"


@pytest.fixture
def fresh() -> Iterator[InProcessEmulator]:
    with running_emulator(seed=fresh_seed()) as emulator:
        yield emulator


def _listed(feed: Feed) -> dict[str, dict[str, Any]]:
    with feed.emulator.client() as api:
        traits = api.get(f"/spaces/{feed.space_id}/traits").json()["data"]["traits"]
    return {str(t["trait"]): t for t in traits}


def _make(feed: Feed, collection: str, body: dict[str, Any]) -> dict[str, Any]:
    with feed.emulator.client() as api:
        made = api.post(f"/spaces/{feed.space_id}/{collection}", json=body)
    assert made.status_code == 200, made.text
    data: dict[str, Any] = next(iter(made.json()["data"].values()))
    return data


def test_a_computed_trait_and_an_audience_are_listed_once_a_profile_carries_them(
    fresh: InProcessEmulator,
) -> None:
    feed = new_feed(fresh)
    trait = _make(
        feed,
        "computed-traits",
        {
            "name": "Support calls",
            "enabled": True,
            "definition": {"type": "USERS", "query": f"event('{EVENT}').count()"},
        },
    )
    audience = _make(
        feed,
        "audiences",
        {
            "name": "Callers",
            "audienceType": "USERS",
            "definition": {"query": f"event('{EVENT}').count() >= 1"},
        },
    )
    made = {trait["key"], audience["key"]}
    assert made.isdisjoint(_listed(feed)), "listed before any profile carries them"

    sent = feed.send("track", {"userId": "cust-1", "event": EVENT})
    assert sent.status_code == 200, sent.text

    listed = _listed(feed)
    assert {listed[trait["key"]]["type"], listed[audience["key"]]["type"]} == {
        "COMPUTED",
        "AUDIENCE",
    }
    assert all(listed[key]["lastSeenAt"] for key in made)
