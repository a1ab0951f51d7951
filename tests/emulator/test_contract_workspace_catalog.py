"""Contract: GET /, GET /echo, and the catalog."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.helpers import (
    JAVASCRIPT,
    POSTGRES_WAREHOUSE,
    SEGMENT_PROFILES,
    SEND_IDENTIFY,
    Target,
    assert_error,
)

pytestmark = pytest.mark.real_segment


def test_get_workspace__returns_the_token_workspace(api: httpx.Client) -> None:
    response = api.get("/")
    assert response.status_code == 200
    workspace = response.json()["data"]["workspace"]
    assert set(workspace) >= {"id", "slug", "name"}


def test_echo__returns_method_message_and_headers(api: httpx.Client) -> None:
    response = api.get("/echo", params={"message": "hello"})
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["message"] == "hello"
    assert data["method"].lower() == "get"
    assert isinstance(data["headers"], dict)


@pytest.mark.parametrize(
    ("family", "key", "known_id"),
    [
        ("sources", "sourcesCatalog", JAVASCRIPT),
        ("destinations", "destinationsCatalog", SEGMENT_PROFILES),
        ("warehouses", "warehousesCatalog", POSTGRES_WAREHOUSE),
    ],
)
def test_catalog_list__returns_entries_and_pagination(
    api: httpx.Client, family: str, key: str, known_id: str
) -> None:
    response = api.get(f"/catalog/{family}", params={"pagination.count": 200})
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {key, "pagination"}
    assert data["pagination"]["current"] == "MA=="


@pytest.mark.parametrize(
    ("family", "key", "metadata_id", "slug"),
    [
        ("sources", "sourceMetadata", JAVASCRIPT, "javascript"),
        ("sources", "sourceMetadata", "iUM16Md8P2", "http-api"),
        ("sources", "sourceMetadata", "2baks93n", "salesforce"),
        ("destinations", "destinationMetadata", SEGMENT_PROFILES, "actions-segment-profiles"),
        ("warehouses", "warehouseMetadata", POSTGRES_WAREHOUSE, "postgres"),
        ("warehouses", "warehouseMetadata", "aea3c55dsz", "redshift"),
        ("warehouses", "warehouseMetadata", "kwX50Df0hr", "bigquery"),
        ("warehouses", "warehouseMetadata", "CCIl4HLQPz", "snowflake"),
    ],
)
def test_catalog_get__returns_the_entry_by_id(
    api: httpx.Client, family: str, key: str, metadata_id: str, slug: str
) -> None:
    response = api.get(f"/catalog/{family}/{metadata_id}")
    assert response.status_code == 200
    entry = response.json()["data"][key]
    assert entry["id"] == metadata_id
    assert entry["slug"] == slug
    assert set(entry) >= {"id", "name", "slug", "description", "logos", "options"}


@pytest.mark.parametrize(
    "metadata_id",
    ["78PbvP2yv8", "BQp3zGUgjV", "WvlvcGEJsT", "0yMe8VfuDc", "aSPS4yE0CZ"],
)
def test_catalog_get__knows_the_reverse_etl_sources(api: httpx.Client, metadata_id: str) -> None:
    response = api.get(f"/catalog/sources/{metadata_id}")
    assert response.status_code == 200
    assert response.json()["data"]["sourceMetadata"]["isCloudEventSource"] is False


def test_catalog_get__segment_profiles_has_its_four_actions(api: httpx.Client) -> None:
    metadata = api.get(f"/catalog/destinations/{SEGMENT_PROFILES}").json()["data"][
        "destinationMetadata"
    ]
    actions = {action["slug"]: action for action in metadata["actions"]}
    assert {a["id"] for a in actions.values()} >= {
        SEND_IDENTIFY,
        "zfCkGpUYbWN9ns5jr1jvU",
        "bJDm8aeYaQaGLVGtnRa28W",
        "ujsJxBdpg7XkYwKSKREnQt",
    }
    identify = actions["sendIdentify"]
    assert identify["id"] == SEND_IDENTIFY
    assert identify["defaultTrigger"] == 'type = "identify"'
    fields = {field["fieldKey"]: field for field in identify["fields"]}
    assert fields["engage_space"]["required"] is True
    assert fields["engage_space"]["dynamic"] is True
    assert {"user_id", "anonymous_id", "group_id", "traits", "timestamp"} <= set(fields)


def test_catalog_get__unknown_id_is_not_found(api: httpx.Client) -> None:
    assert_error(api.get("/catalog/sources/doesNotExist0"), 404, "NotFound")


def test_catalog_warehouses__options_mark_secrets_as_password(
    api: httpx.Client, target: Target
) -> None:
    target.require_emulator("Segment's catalog types secret options as plain strings")
    metadata = api.get(f"/catalog/warehouses/{POSTGRES_WAREHOUSE}").json()["data"][
        "warehouseMetadata"
    ]
    types = {option["name"]: option["type"] for option in metadata["options"]}
    assert types["password"] == "password"
    assert types["hostname"] == "string"
