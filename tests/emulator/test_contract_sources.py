"""Contract: /sources and their connected destinations."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.emulator.helpers import (
    JAVASCRIPT,
    RETL_BIGQUERY,
    SALESFORCE,
    Target,
    assert_error,
    create_destination,
    create_source,
    unique,
)

pytestmark = pytest.mark.real_segment


def test_create_source__returns_201_with_the_source(target: Target) -> None:
    slug = unique("contract")
    response = target.client.post(
        "/sources", json={"slug": slug, "enabled": True, "metadataId": JAVASCRIPT}
    )
    assert response.status_code == 201, response.text
    source = response.json()["data"]["source"]
    target.created(f"/sources/{source['id']}")
    assert source["slug"] == slug
    assert source["enabled"] is True
    assert source["metadata"]["id"] == JAVASCRIPT
    assert source["metadata"]["slug"] == "javascript"
    assert set(source) >= {
        "id",
        "slug",
        "metadata",
        "workspaceId",
        "enabled",
        "writeKeys",
        "labels",
    }


def test_create_source__has_one_32_character_write_key(target: Target) -> None:
    source = create_source(target)
    assert len(source["writeKeys"]) == 1
    assert re.fullmatch(r"[A-Za-z0-9]{32}", source["writeKeys"][0])


def test_create_source__belongs_to_the_token_workspace(target: Target) -> None:
    workspace_id = target.client.get("/").json()["data"]["workspace"]["id"]
    assert create_source(target)["workspaceId"] == workspace_id


def test_create_source__name_defaults_to_the_slug(target: Target) -> None:
    source = create_source(target)
    assert source["name"] == source["slug"]


def test_create_source__refuses_a_name(target: Target) -> None:
    """CreateSourceV1Input has no ``name``: Segment refuses it like any unknown field, and a
    source is named by ``PATCH /sources/{id}`` once it exists."""
    body = {"slug": unique("contract"), "enabled": True, "metadataId": JAVASCRIPT}
    response = target.client.post("/sources", json=body | {"name": "Marketing site"})
    assert_error(response, 422, "ValidationFailure", field="name")


def test_create_source__duplicate_slug_is_a_validation_failure(target: Target) -> None:
    source = create_source(target)
    response = target.client.post(
        "/sources", json={"slug": source["slug"], "enabled": True, "metadataId": JAVASCRIPT}
    )
    assert_error(response, 422, "ValidationFailure", field="slug")


@pytest.mark.parametrize("missing", ["slug", "enabled", "metadataId"])
def test_create_source__missing_required_field_names_it(target: Target, missing: str) -> None:
    body = {"slug": unique("contract"), "enabled": True, "metadataId": JAVASCRIPT}
    del body[missing]
    assert_error(target.client.post("/sources", json=body), 422, "ValidationFailure", field=missing)


def test_create_source__wrong_type_names_the_field(target: Target) -> None:
    body = {"slug": unique("contract"), "enabled": "yes", "metadataId": JAVASCRIPT}
    assert_error(
        target.client.post("/sources", json=body), 422, "ValidationFailure", field="enabled"
    )


def test_create_source__unknown_metadata_id_names_the_field(target: Target) -> None:
    body = {"slug": unique("contract"), "enabled": True, "metadataId": "noSuchMetadata"}
    response = target.client.post("/sources", json=body)
    assert_error(response, 422, "ValidationFailure", field="metadataId")


def test_create_source__unknown_body_field_is_refused(target: Target) -> None:
    target.require_emulator("Segment's handling of unknown body fields is not documented")
    body = {"slug": unique("contract"), "enabled": True, "metadataId": JAVASCRIPT, "color": "red"}
    assert_error(target.client.post("/sources", json=body), 422, "ValidationFailure", field="color")


def test_create_source__invalid_json_is_a_validation_failure(target: Target) -> None:
    target.require_emulator("Segment's answer to a malformed body is not documented")
    response = target.client.post(
        "/sources", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 422, "ValidationFailure", field="body")


def test_get_source__returns_source_and_tracking_plan_id(target: Target) -> None:
    source = create_source(target)
    response = target.client.get(f"/sources/{source['id']}")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"source", "trackingPlanId"}
    assert data["source"]["id"] == source["id"]
    assert data["source"]["writeKeys"] == source["writeKeys"]


def test_get_source__unknown_id_is_not_found(api: httpx.Client) -> None:
    error = assert_error(api.get("/sources/doesNotExist0000000000"), 404, "NotFound")
    assert error["message"]


def test_list_sources__includes_a_created_source(target: Target) -> None:
    source = create_source(target)
    response = target.client.get("/sources", params={"pagination.count": 1000})
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"sources", "pagination"}
    assert source["id"] in {s["id"] for s in data["sources"]}


def test_update_source__changes_the_given_fields_only(target: Target) -> None:
    source = create_source(target)
    response = target.client.patch(
        f"/sources/{source['id']}", json={"name": "Renamed", "enabled": False}
    )
    assert response.status_code == 200
    updated = response.json()["data"]["source"]
    assert (updated["name"], updated["enabled"], updated["slug"]) == (
        "Renamed",
        False,
        source["slug"],
    )


def test_update_source__slug_taken_by_another_source_is_refused(target: Target) -> None:
    first, second = create_source(target), create_source(target)
    response = target.client.patch(f"/sources/{second['id']}", json={"slug": first["slug"]})
    assert_error(response, 422, "ValidationFailure", field="slug")


def test_update_source__unknown_id_is_not_found(api: httpx.Client) -> None:
    assert_error(
        api.patch("/sources/doesNotExist0000000000", json={"enabled": False}), 404, "NotFound"
    )


def test_delete_source__returns_status_and_then_404(target: Target) -> None:
    source = create_source(target)
    response = target.client.delete(f"/sources/{source['id']}")
    assert response.status_code == 200
    assert response.json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(f"/sources/{source['id']}"), 404, "NotFound")


def test_delete_source__unknown_id_is_not_found(api: httpx.Client) -> None:
    assert_error(api.delete("/sources/doesNotExist0000000000"), 404, "NotFound")


def test_delete_source__removes_its_destinations(target: Target) -> None:
    target.require_emulator("the cascade on delete is the emulator's documented choice")
    source = create_source(target, RETL_BIGQUERY)
    destination = create_destination(target, source["id"])
    target.client.delete(f"/sources/{source['id']}")
    assert_error(target.client.get(f"/destinations/{destination['id']}"), 404, "NotFound")


def test_connected_destinations__lists_the_source_destinations(target: Target) -> None:
    source = create_source(target, RETL_BIGQUERY)
    destination = create_destination(target, source["id"])
    response = target.client.get(f"/sources/{source['id']}/connected-destinations")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"destinations", "pagination"}
    assert [d["id"] for d in data["destinations"]] == [destination["id"]]


def test_connected_destinations__unknown_source_is_not_found(api: httpx.Client) -> None:
    response = api.get("/sources/doesNotExist0000000000/connected-destinations")
    assert_error(response, 404, "NotFound")


def test_personas_compute_source__of_each_space_is_listed(target: Target) -> None:
    target.require_emulator("needs the seeded spaces of examples/seed.yaml")
    sources = target.client.get("/sources").json()["data"]["sources"]
    personas = [s for s in sources if s["metadata"]["slug"] == "personas-compute"]
    assert len(personas) == 2
    for source in personas:
        assert re.fullmatch(r"[A-Za-z0-9]{32}", source["writeKeys"][0])


def test_personas_compute_source__cannot_be_deleted(target: Target) -> None:
    target.require_emulator("needs the seeded spaces of examples/seed.yaml")
    sources = target.client.get("/sources").json()["data"]["sources"]
    personas = next(s for s in sources if s["metadata"]["slug"] == "personas-compute")
    response = target.client.delete(f"/sources/{personas['id']}")
    assert_error(response, 422, "ValidationFailure", field="sourceId")


def test_create_source__salesforce_is_a_cloud_source(target: Target) -> None:
    source = create_source(target, SALESFORCE)
    assert source["metadata"]["slug"] == "salesforce"


@pytest.mark.parametrize(
    "content_type", ["application/vnd.segment.v1+json", "application/vnd.segment.v1alpha+json"]
)
def test_create_source__accepts_segment_versioned_content_types(
    target: Target, content_type: str
) -> None:
    body = {"slug": unique("contract"), "enabled": True, "metadataId": JAVASCRIPT}
    response = target.client.post(
        "/sources", content=json.dumps(body), headers={"Content-Type": content_type}
    )
    assert response.status_code == 201, response.text
    target.created(f"/sources/{response.json()['data']['source']['id']}")


def test_update_source__a_null_name_is_refused_naming_it(target: Target) -> None:
    """UpdateSourceV1Input types name as a plain string (not nullable) in Segment's SDK."""
    target.require_emulator("Segment's answer to a null here is not documented")
    source = create_source(target)
    response = target.client.patch(f"/sources/{source['id']}", json={"name": None})
    assert_error(response, 422, "ValidationFailure", "name")


def test_reverse_etl_source__its_catalog_entry_lists_its_own_settings(target: Target) -> None:
    """Snowflake's Reverse ETL source takes account, database, username and warehouse (the
    settings Segment's API returns for one), not its warehouse's options."""
    target.require_emulator("the options' required flags are the emulator's")
    entry = target.client.get("/catalog/sources/BQp3zGUgjV").json()["data"]["sourceMetadata"]
    required = {o["name"] for o in entry["options"] if o["required"]}
    assert required == {"account", "database", "username", "warehouse"}


def test_reverse_etl_source__settings_missing_an_option_of_its_entry_are_refused(
    target: Target,
) -> None:
    target.require_emulator("Segment's answer to incomplete settings is not documented")
    settings = {"account": "acme.us-east-1", "database": "ANALYTICS", "username": "RETL"}
    body = {"slug": unique("retl"), "enabled": True, "metadataId": "BQp3zGUgjV"}
    response = target.client.post("/sources", json={**body, "settings": settings})
    assert_error(response, 422, "ValidationFailure", "settings.warehouse")
