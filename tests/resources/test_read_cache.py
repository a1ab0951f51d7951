"""Refreshing many computed traits lists the space once instead of one GET per trait."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.localrun.engine import ProviderProcess, provider_blob
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.resources.computed_trait import ComputedTrait
from tests.conftest import SEED_PATH

TRAITS = 12
TYPE = ComputedTrait.type_token()


@pytest.fixture
def space_with_traits() -> Iterator[tuple[InProcessEmulator, str, list[str]]]:
    # A 0.1 s rate-limit "minute", so creating the traits takes no time.
    with running_emulator(seed=SEED_PATH, time_scale=600) as emulator:
        with SegmentClient(emulator.token, base_url=emulator.url, rate_limit_window=0.1) as client:
            space = client.get("ListSpaces", "/spaces")["spaces"][0]["id"]
            ids = [
                client.post(
                    "CreateComputedTrait",
                    f"/spaces/{space}/computed-traits",
                    {
                        "name": f"Trait {n}",
                        "definition": {"type": "USERS", "query": "event('Identify').count()"},
                    },
                )["computedTrait"]["id"]
                for n in range(TRAITS)
            ]
        yield emulator, space, ids


def _trait_ids(emulator: InProcessEmulator) -> list[str]:
    traits = emulator.objects("acme-contact-center", "computed_trait")
    return [f"{t['spaceId']}/{t['id']}" for t in traits]


def _read_all(emulator: InProcessEmulator, cache: str) -> tuple[list[str], dict[str, int]]:
    """Read every trait from its id alone, as a refresh does; names found, and calls by kind."""
    names: list[str] = []
    with ProviderProcess({"SEGMENT_UNIFY_READ_CACHE": cache}) as provider:
        provider.configure({"segment:token": emulator.token, "segment:endpoint": emulator.url})
        blob = provider_blob(ComputedTrait._segment_provider)
        emulator.clear_request_log()
        for trait_id in _trait_ids(emulator):
            got, outs, _ = provider.read(f"urn:{trait_id}", trait_id, {"__provider": blob})
            names.append(outs.get("name", "") if got else "")
    calls: dict[str, int] = {}
    for entry in emulator.request_log():
        kind = "list" if entry["path"].endswith("/computed-traits") else "get"
        calls[kind] = calls.get(kind, 0) + 1
    return names, calls


def test_refresh_of_every_trait_lists_the_space_once(
    space_with_traits: tuple[InProcessEmulator, str, list[str]],
) -> None:
    emulator, _, _ = space_with_traits
    names, calls = _read_all(emulator, "1")
    assert sorted(names) == sorted(f"Trait {n}" for n in range(TRAITS))
    assert calls == {"list": 1}


def test_without_the_cache_each_read_is_a_get(
    space_with_traits: tuple[InProcessEmulator, str, list[str]],
) -> None:
    emulator, _, _ = space_with_traits
    names, calls = _read_all(emulator, "0")
    assert len([n for n in names if n]) == TRAITS
    assert calls == {"get": TRAITS}


def test_a_trait_deleted_after_a_listing_is_still_found_gone(
    space_with_traits: tuple[InProcessEmulator, str, list[str]],
) -> None:
    emulator, space, ids = space_with_traits
    with ProviderProcess() as provider:
        provider.configure({"segment:token": emulator.token, "segment:endpoint": emulator.url})
        blob = provider_blob(ComputedTrait._segment_provider)
        first, second = f"{space}/{ids[0]}", f"{space}/{ids[1]}"
        assert provider.read(f"urn:{first}", first, {"__provider": blob})[0] == first
        assert provider.read(f"urn:{second}", second, {"__provider": blob})[0] == second
        # Out of band, after the listing: the next read of that trait must not trust it.
        response = emulator.client().delete(f"/spaces/{space}/computed-traits/{ids[0]}")
        assert response.status_code == 200
        assert provider.read(f"urn:{first}", first, {"__provider": blob})[0] == ""
