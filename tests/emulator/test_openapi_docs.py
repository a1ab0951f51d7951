"""The emulator describes itself: its OpenAPI document and a docs page, under the control plane's
prefix (a path Segment's API does not have), listing every family of routes and no secret."""

from __future__ import annotations

import re

import httpx
import pytest

from segment_unify.emulator.seed import load_seed
from segment_unify.emulator.testing import InProcessEmulator
from tests.conftest import SEED_PATH


def _secrets(emulator: InProcessEmulator) -> list[str]:
    seed = load_seed(SEED_PATH)
    found = [emulator.emulator.context.reveal_key]
    for workspace in seed.workspaces:
        found.append(workspace.token)
        found += [source.write_key for source in workspace.sources if source.write_key]
        for space in workspace.spaces:
            found.append(space.profile_api_token)
            found += [space.write_key] if space.write_key else []
    return found


@pytest.fixture
def document(emulator: InProcessEmulator) -> dict[str, object]:
    answer = httpx.get(f"{emulator.url}/__emulator/openapi.json")
    assert answer.status_code == 200
    body: dict[str, object] = answer.json()
    return body


def test_openapi_lists_the_public_profile_tracking_and_control_plane_routes(
    document: dict[str, object],
) -> None:
    paths = document["paths"]
    assert isinstance(paths, dict)
    for path in (
        "/spaces/{spaceId}/computed-traits",  # Public API
        "/sources",
        "/profile-api/v1/spaces/{space_id}/collections/{collection}/profiles/{identifier}/traits",
        "/v1/track",  # Tracking API
        "/v1/batch",
        "/__emulator/seed",  # control plane
        "/__emulator/faults",
        "/__emulator/spaces/{space_id}/sources/{source_id}",
    ):
        assert path in paths, path


def test_public_api_operations_carry_segments_operation_names(
    document: dict[str, object],
) -> None:
    paths = document["paths"]
    assert isinstance(paths, dict)
    for path, method, operation in (
        ("/spaces/{spaceId}/computed-traits", "post", "CreateComputedTrait"),
        ("/sources", "get", "ListSources"),
        ("/destinations/{destinationId}/subscriptions", "post", "CreateDestinationSubscription"),
    ):
        assert paths[path][method]["operationId"] == operation


def test_docs_page_is_served_with_its_assets_and_needs_no_network(
    emulator: InProcessEmulator,
) -> None:
    page = httpx.get(f"{emulator.url}/__emulator/docs")
    assert page.status_code == 200
    assert "/__emulator/openapi.json" in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets
    for asset in assets:
        assert asset.startswith("/__emulator/"), asset  # served here, not from a CDN
        assert httpx.get(f"{emulator.url}{asset}").status_code == 200, asset


def test_neither_the_document_nor_the_page_holds_a_secret(emulator: InProcessEmulator) -> None:
    texts = [
        httpx.get(f"{emulator.url}/__emulator/openapi.json").text,
        httpx.get(f"{emulator.url}/__emulator/docs").text,
    ]
    for secret in _secrets(emulator):
        for text in texts:
            assert secret not in text


def test_root_docs_path_is_segments_404_not_a_page(emulator: InProcessEmulator) -> None:
    # Segment's API has no /docs: the emulator answers it as Segment answers unknown routes.
    answer = httpx.get(
        f"{emulator.url}/docs", headers={"Authorization": f"Bearer {emulator.token}"}
    )
    assert answer.status_code == 404
    assert "errors" in answer.json()
