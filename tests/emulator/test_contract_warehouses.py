"""Contract: /warehouses, their validation and their connected sources."""

from __future__ import annotations

import httpx
import pytest

from segment_unify.emulator.masking import MASK
from tests.emulator.helpers import (
    JAVASCRIPT,
    POSTGRES_WAREHOUSE,
    RETL_BIGQUERY,
    Target,
    assert_error,
    create_source,
    create_warehouse,
)

pytestmark = pytest.mark.real_segment


def test_create_warehouse__returns_201_with_the_warehouse(target: Target) -> None:
    warehouse = create_warehouse(target)
    assert warehouse["metadata"]["id"] == POSTGRES_WAREHOUSE
    assert warehouse["enabled"] is True
    assert set(warehouse) >= {"id", "metadata", "workspaceId", "enabled", "settings"}


def test_create_warehouse__leaves_the_password_out(target: Target) -> None:
    settings = create_warehouse(target)["settings"]
    assert "password" not in settings
    assert settings["hostname"] == "db.example.com"


def test_get_warehouse__leaves_the_password_out(target: Target) -> None:
    """Segment omits a warehouse's credentials from its answers (not masked)."""
    warehouse = create_warehouse(target)
    assert "password" not in warehouse["settings"]
    fetched = target.client.get(f"/warehouses/{warehouse['id']}").json()["data"]["warehouse"]
    assert "password" not in fetched["settings"]
    assert fetched["settings"]["database"] == warehouse["settings"]["database"]


def test_create_warehouse__stores_the_name_in_settings(target: Target) -> None:
    target.require_emulator("the name's place in settings follows a 2022 example only")
    assert create_warehouse(target, name="Analytics")["settings"]["name"] == "Analytics"


def test_create_warehouse__missing_settings_names_the_field(api: httpx.Client) -> None:
    response = api.post("/warehouses", json={"metadataId": POSTGRES_WAREHOUSE})
    assert_error(response, 422, "ValidationFailure", field="settings")


def test_create_warehouse__unknown_metadata_id_names_the_field(api: httpx.Client) -> None:
    response = api.post("/warehouses", json={"metadataId": "noSuchWarehouse", "settings": {}})
    assert_error(response, 422, "ValidationFailure", field="metadataId")


def test_update_warehouse__masked_password_keeps_the_stored_one(target: Target) -> None:
    emulator = target.require_emulator("reads the stored, unmasked settings")
    warehouse = create_warehouse(target)
    response = target.client.patch(
        f"/warehouses/{warehouse['id']}",
        json={"settings": {"password": MASK, "database": "analytics"}, "enabled": False},
    )
    assert response.status_code == 200
    assert response.json()["data"]["warehouse"]["enabled"] is False
    stored = next(
        w
        for w in emulator.objects("acme-contact-center", "warehouse")
        if w["id"] == warehouse["id"]
    )
    assert stored["settings"]["password"] == "s3cret-password"
    assert stored["settings"]["database"] == "analytics"


def test_update_warehouse__unknown_id_is_not_found(api: httpx.Client) -> None:
    response = api.patch("/warehouses/doesNotExist0000000000", json={"settings": {}})
    assert_error(response, 404, "NotFound")


def test_list_warehouses__includes_a_created_warehouse(target: Target) -> None:
    warehouse = create_warehouse(target)
    data = target.client.get("/warehouses").json()["data"]
    assert set(data) == {"warehouses", "pagination"}
    assert warehouse["id"] in {w["id"] for w in data["warehouses"]}


def test_delete_warehouse__returns_status_and_then_404(target: Target) -> None:
    warehouse = create_warehouse(target)
    response = target.client.delete(f"/warehouses/{warehouse['id']}")
    assert response.json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(f"/warehouses/{warehouse['id']}"), 404, "NotFound")


def test_validate_warehouse__complete_settings_connect(target: Target) -> None:
    target.require_emulator("the real API would try to reach the database")
    body = {
        "metadataId": POSTGRES_WAREHOUSE,
        "settings": {
            "hostname": "h",
            "port": "5432",
            "database": "d",
            "username": "u",
            "password": "p",
        },
    }
    response = target.client.post("/warehouses/validation", json=body)
    assert response.status_code == 200
    assert response.json() == {"data": {"status": "CONNECTED"}}


def test_validate_warehouse__missing_setting_names_it(target: Target) -> None:
    target.require_emulator("the real API would try to reach the database")
    body = {"metadataId": POSTGRES_WAREHOUSE, "settings": {"hostname": "h", "port": "5432"}}
    response = target.client.post("/warehouses/validation", json=body)
    assert_error(response, 422, "ValidationFailure", field="settings.database")


def test_validate_warehouse__a_missing_password_is_refused_and_a_default_port_is_not(
    target: Target,
) -> None:
    target.require_emulator("the real API would try to reach the database")
    settings = {"hostname": "h", "database": "d", "username": "u"}
    body = {"metadataId": POSTGRES_WAREHOUSE, "settings": settings}
    response = target.client.post("/warehouses/validation", json=body)
    assert_error(response, 422, "ValidationFailure", field="settings.password")


def test_validate_warehouse__an_unreachable_host_fails_to_connect(target: Target) -> None:
    """A host Segment cannot reach answers 200 with status FAILED (the output model's enum)."""
    target.require_emulator("the emulator's unreachable hosts are those under .invalid")
    settings = {
        "hostname": "warehouse.acme.invalid",
        "port": "5432",
        "database": "d",
        "username": "u",
        "password": "p",
    }
    body = {"metadataId": POSTGRES_WAREHOUSE, "settings": settings}
    response = target.client.post("/warehouses/validation", json=body)
    assert response.status_code == 200
    assert response.json() == {"data": {"status": "FAILED"}}


def test_connect_source__returns_201_and_lists_it(target: Target) -> None:
    warehouse = create_warehouse(target)
    source = create_source(target, JAVASCRIPT, disconnectAllWarehouses=True)
    path = f"/warehouses/{warehouse['id']}/connected-sources"
    response = target.client.post(f"{path}/{source['id']}")
    assert response.status_code == 201
    assert "status" in response.json()["data"]
    listed = target.client.get(path).json()["data"]
    assert set(listed) == {"sources", "pagination"}
    assert [s["id"] for s in listed["sources"]] == [source["id"]]


def test_disconnect_source__returns_status_and_unlists_it(target: Target) -> None:
    warehouse, source = create_warehouse(target), create_source(target, JAVASCRIPT)
    path = f"/warehouses/{warehouse['id']}/connected-sources"
    target.client.post(f"{path}/{source['id']}")
    response = target.client.delete(f"{path}/{source['id']}")
    assert response.status_code == 200
    assert response.json() == {"data": {"status": "SUCCESS"}}
    assert target.client.get(path).json()["data"]["sources"] == []


def test_disconnect_source__not_connected_is_not_found(target: Target) -> None:
    target.require_emulator("Segment's answer for a missing connection is not documented")
    warehouse = create_warehouse(target)
    source = create_source(target, JAVASCRIPT, disconnectAllWarehouses=True)
    response = target.client.delete(
        f"/warehouses/{warehouse['id']}/connected-sources/{source['id']}"
    )
    assert_error(response, 404, "NotFound")


def test_connect_source__twice_is_accepted(target: Target) -> None:
    target.require_emulator("idempotent connection is the emulator's documented choice")
    warehouse, source = create_warehouse(target), create_source(target, JAVASCRIPT)
    path = f"/warehouses/{warehouse['id']}/connected-sources/{source['id']}"
    assert target.client.post(path).status_code == 201
    assert target.client.post(path).status_code == 201


def test_connect_source__reverse_etl_source_is_refused(target: Target) -> None:
    target.require_emulator("Segment's rule for warehouse sources is not documented")
    warehouse, source = create_warehouse(target), create_source(target, RETL_BIGQUERY)
    response = target.client.post(f"/warehouses/{warehouse['id']}/connected-sources/{source['id']}")
    assert_error(response, 422, "ValidationFailure", field="sourceId")


def test_create_source__connects_to_existing_warehouses_by_default(target: Target) -> None:
    target.require_emulator("auto-connection follows disconnectAllWarehouses' documented default")
    warehouse = create_warehouse(target)
    connected = create_source(target, JAVASCRIPT)
    create_source(target, JAVASCRIPT, disconnectAllWarehouses=True)
    listed = target.client.get(f"/warehouses/{warehouse['id']}/connected-sources").json()
    assert [s["id"] for s in listed["data"]["sources"]] == [connected["id"]]


def test_connected_sources__unknown_warehouse_is_not_found(api: httpx.Client) -> None:
    response = api.get("/warehouses/doesNotExist0000000000/connected-sources")
    assert_error(response, 404, "NotFound")
