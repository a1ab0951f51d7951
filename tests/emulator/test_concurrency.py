"""The backend's rules hold under concurrent requests (one lock around the store)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from segment_unify.emulator.testing import InProcessEmulator
from tests.emulator.helpers import JAVASCRIPT


def test_concurrent_creates__same_slug_succeeds_once(emulator: InProcessEmulator) -> None:
    body = {"slug": "contested", "enabled": True, "metadataId": JAVASCRIPT}

    def create(_: int) -> int:
        with emulator.client() as client:
            return client.post("/sources", json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = sorted(pool.map(create, range(16)))
    assert statuses == [201] + [422] * 15
    assert [s["slug"] for s in emulator.objects("acme-contact-center", "source")].count(
        "contested"
    ) == 1


def test_concurrent_creates__distinct_objects_all_persist(emulator: InProcessEmulator) -> None:
    def create(index: int) -> int:
        body = {"slug": f"parallel-{index}", "enabled": True, "metadataId": JAVASCRIPT}
        with emulator.client() as client:
            return client.post("/sources", json=body).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(create, range(24))) == {201}
    slugs = {s["slug"] for s in emulator.objects("acme-contact-center", "source")}
    assert {f"parallel-{i}" for i in range(24)} <= slugs
