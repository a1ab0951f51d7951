"""A seed declares event sources with their write keys and connects them to spaces, as
Segment's app does; applying it twice changes nothing."""

from __future__ import annotations

import httpx

from segment_unify.emulator.testing import running_emulator
from tests.tracking.helpers import basic

SEED = {
    "workspaces": [
        {
            "slug": "shop",
            "name": "Shop",
            "token": "sgp_FAKE_tracking_seed_0000000000000000000",
            "sources": [{"slug": "web", "writeKey": "wk_FAKE_web_000000000000000000000"}],
            "spaces": [
                {
                    "slug": "shop-dev",
                    "name": "Shop (dev)",
                    "profileApiToken": "pat_FAKE_tracking_seed_00000000000000",
                    "connectedSources": ["web"],
                }
            ],
        }
    ]
}


def test_a_seeded_source_feeds_its_seeded_space() -> None:
    with running_emulator(seed=SEED) as emulator:
        emulator.seed(SEED)  # idempotent
        assert [s["slug"] for s in emulator.objects("shop", "source")].count("web") == 1
        response = httpx.post(
            f"{emulator.url}/v1/track",
            json={"userId": "u", "event": "Checkout Started"},
            headers={"Authorization": basic("wk_FAKE_web_000000000000000000000")},
        )
        assert response.status_code == 200
        with emulator.client() as api:
            (space,) = api.get("/spaces").json()["data"]["spaces"]
            events = api.get(f"/spaces/{space['id']}/events").json()["data"]["events"]
        assert [e["name"] for e in events] == ["Checkout Started"]
