"""Contract: /spaces, their events and traits, computed traits, audiences, profiles warehouses."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from segment_unify.emulator.masking import MASK
from tests.emulator.helpers import SNOWFLAKE_WAREHOUSE, Target, assert_error, unique

pytestmark = pytest.mark.real_segment

COUNT_QUERY = "event('Flex - Engagement Completed').within(30 days).count()"


def create_computed_trait(target: Target, space_id: str, **extra: Any) -> dict[str, Any]:
    body = {
        "name": unique("Engagements 30d"),
        "enabled": True,
        "definition": {"type": "USERS", "query": COUNT_QUERY},
    } | extra
    return target.create(f"/spaces/{space_id}/computed-traits", body, "computedTrait", status=200)


def create_audience(target: Target, space_id: str) -> dict[str, Any]:
    body = {
        "name": unique("Likely churners"),
        "audienceType": "USERS",
        "definition": {"query": "trait('likelihood_to_churn') > 0.5"},
    }
    return target.create(f"/spaces/{space_id}/audiences", body, "audience", status=200)


def test_list_spaces__returns_spaces_and_pagination(api: httpx.Client) -> None:
    response = api.get("/spaces")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"spaces", "pagination"}
    for space in data["spaces"]:
        assert set(space) >= {"id", "slug", "name"}


def test_list_spaces__has_the_seeded_spaces(target: Target) -> None:
    target.require_emulator("needs the spaces of examples/seed.yaml")
    spaces = target.client.get("/spaces").json()["data"]["spaces"]
    assert {(s["slug"], s["name"]) for s in spaces} == {
        ("unified-profiles-dev", "Unified Profiles (dev)"),
        ("unified-profiles-prod", "Unified Profiles (prod)"),
    }


def test_get_space__returns_it(target: Target) -> None:
    space_id = target.space_id()
    response = target.client.get(f"/spaces/{space_id}")
    assert response.status_code == 200
    assert response.json()["data"]["space"]["id"] == space_id


def test_get_space__unknown_id_is_not_found(api: httpx.Client) -> None:
    assert_error(api.get("/spaces/spa_doesNotExist00000000"), 404, "NotFound")


def test_create_space__has_no_route(api: httpx.Client) -> None:
    response = api.post("/spaces", json={"name": "x", "slug": "x"})
    assert response.status_code in (404, 405)
    assert "errors" in response.json()


def test_list_events__returns_events_seen(target: Target) -> None:
    response = target.client.get(f"/spaces/{target.space_id()}/events")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"events", "pagination"}
    for event in data["events"]:
        assert set(event) >= {"name", "type", "lastSeenAt"}


def test_list_events__has_the_seeded_flex_events(target: Target) -> None:
    target.require_emulator("needs the events of examples/seed.yaml")
    events = target.client.get(f"/spaces/{target.space_id()}/events").json()["data"]["events"]
    assert {(e["name"], e["type"]) for e in events} == {
        ("Flex - Engagement Initiated", "TRACK"),
        ("Flex - Engagement Completed", "TRACK"),
        ("Identify", "IDENTIFY"),
    }


def test_list_traits__returns_traits_and_pagination(target: Target) -> None:
    response = target.client.get(f"/spaces/{target.space_id()}/traits")
    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {"traits", "pagination"}
    for trait in data["traits"]:
        assert set(trait) >= {"trait", "type", "lastSeenAt"}


def test_list_traits__has_predictions_and_computed_traits(target: Target) -> None:
    target.require_emulator("needs the predictions of examples/seed.yaml")
    space_id = target.space_id()
    computed = create_computed_trait(target, space_id)
    traits = target.client.get(f"/spaces/{space_id}/traits").json()["data"]["traits"]
    keys = {t["trait"] for t in traits}
    assert {"likelihood_to_churn", "predicted_ltv", computed["key"]} <= keys


def test_create_computed_trait__returns_it_with_a_snake_case_key(target: Target) -> None:
    trait = create_computed_trait(target, target.space_id(), name="Total Engagements (30d)")
    assert trait["key"] == "total_engagements_30d"
    assert trait["definition"] == {"type": "USERS", "query": COUNT_QUERY}
    assert trait["enabled"] is True
    assert set(trait) >= {
        "id",
        "spaceId",
        "name",
        "key",
        "enabled",
        "definition",
        "createdBy",
        "updatedBy",
        "createdAt",
        "updatedAt",
    }


def test_create_computed_trait__empty_query_names_the_field(target: Target) -> None:
    body = {"name": unique("Empty"), "definition": {"type": "USERS", "query": ""}}
    response = target.client.post(f"/spaces/{target.space_id()}/computed-traits", json=body)
    assert_error(response, 422, "ValidationFailure", "definition.query")


def test_create_computed_trait__bad_definition_type_names_the_field(target: Target) -> None:
    body = {"name": unique("Bad"), "definition": {"type": "EVENTS", "query": COUNT_QUERY}}
    response = target.client.post(f"/spaces/{target.space_id()}/computed-traits", json=body)
    assert_error(response, 422, "ValidationFailure", "definition.type")


def test_create_computed_trait__duplicate_key_is_refused(target: Target) -> None:
    target.require_emulator("Segment's rule for a duplicate key is not documented")
    space_id = target.space_id()
    create_computed_trait(target, space_id, name="Calls")
    body = {"name": "calls", "definition": {"type": "USERS", "query": COUNT_QUERY}}
    response = target.client.post(f"/spaces/{space_id}/computed-traits", json=body)
    assert_error(response, 422, "ValidationFailure", "name")


def test_get_computed_trait__returns_it(target: Target) -> None:
    space_id = target.space_id()
    trait = create_computed_trait(target, space_id)
    response = target.client.get(f"/spaces/{space_id}/computed-traits/{trait['id']}")
    assert response.status_code == 200
    assert response.json()["data"]["computedTrait"]["id"] == trait["id"]


def test_list_computed_traits__includes_it(target: Target) -> None:
    space_id = target.space_id()
    trait = create_computed_trait(target, space_id)
    data = target.client.get(f"/spaces/{space_id}/computed-traits").json()["data"]
    assert set(data) == {"computedTraits", "pagination"}
    assert trait["id"] in {t["id"] for t in data["computedTraits"]}


def test_update_computed_trait__keeps_the_key(target: Target) -> None:
    space_id = target.space_id()
    trait = create_computed_trait(target, space_id)
    response = target.client.patch(
        f"/spaces/{space_id}/computed-traits/{trait['id']}",
        json={"name": "Renamed", "enabled": False},
    )
    assert response.status_code == 200
    updated = response.json()["data"]["computedTrait"]
    assert (updated["name"], updated["enabled"], updated["key"]) == ("Renamed", False, trait["key"])


def test_delete_computed_trait__returns_status_and_then_404(target: Target) -> None:
    space_id = target.space_id()
    trait = create_computed_trait(target, space_id)
    path = f"/spaces/{space_id}/computed-traits/{trait['id']}"
    assert target.client.delete(path).json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(path), 404, "NotFound")


def test_computed_trait__of_another_space_is_not_found(target: Target) -> None:
    target.require_emulator("needs two seeded spaces")
    spaces = target.client.get("/spaces").json()["data"]["spaces"]
    trait = create_computed_trait(target, spaces[0]["id"])
    response = target.client.get(f"/spaces/{spaces[1]['id']}/computed-traits/{trait['id']}")
    assert_error(response, 404, "NotFound")


def test_create_audience__returns_it(target: Target) -> None:
    audience = create_audience(target, target.space_id())
    assert audience["audienceType"] == "USERS"
    assert set(audience) >= {"id", "spaceId", "name", "key", "enabled", "definition"}


def test_create_audience__missing_audience_type_names_it(target: Target) -> None:
    body = {"name": unique("A"), "definition": {"query": "trait('x') = 1"}}
    response = target.client.post(f"/spaces/{target.space_id()}/audiences", json=body)
    assert_error(response, 422, "ValidationFailure", "audienceType")


def test_audience__get_list_update_delete(target: Target) -> None:
    space_id = target.space_id()
    audience = create_audience(target, space_id)
    path = f"/spaces/{space_id}/audiences/{audience['id']}"
    assert target.client.get(path).json()["data"]["audience"]["id"] == audience["id"]
    listed = target.client.get(f"/spaces/{space_id}/audiences").json()["data"]
    assert set(listed) == {"audiences", "pagination"}
    updated = target.client.patch(path, json={"enabled": False}).json()["data"]["audience"]
    assert updated["enabled"] is False
    assert target.client.delete(path).json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(path), 404, "NotFound")


def test_update_audience__refuses_a_target_entity(target: Target) -> None:
    """UpdateAudienceForSpaceInput's definition is AudienceDefinitionWithoutTargetEntity."""
    path = (
        f"/spaces/{target.space_id()}/audiences/{create_audience(target, target.space_id())['id']}"
    )
    body = {"definition": {"query": "trait('likelihood_to_churn') > 0.6", "targetEntity": "x"}}
    response = target.client.patch(path, json=body)
    assert_error(response, 422, "ValidationFailure", "definition.targetEntity")
    query = {"definition": {"query": "trait('likelihood_to_churn') > 0.6"}}
    assert target.client.patch(path, json=query).status_code == 200


def create_profiles_warehouse(target: Target, space_id: str) -> dict[str, Any]:
    body = {
        "metadataId": SNOWFLAKE_WAREHOUSE,
        "enabled": True,
        "schemaName": "unify_profiles",
        "settings": {
            "account": "acme",
            "warehouse": "ENGINEERING",
            "database": "PROFILES",
            "username": "segment",
            "password": "s3cret-password",
        },
    }
    return target.create(
        f"/spaces/{space_id}/profiles-warehouses", body, "profilesWarehouse", status=201
    )


def test_create_profiles_warehouse__returns_201_with_secrets_masked(target: Target) -> None:
    space_id = target.space_id()
    warehouse = create_profiles_warehouse(target, space_id)
    assert warehouse["spaceId"] == space_id
    assert warehouse["metadata"]["id"] == SNOWFLAKE_WAREHOUSE
    assert warehouse["settings"]["password"] != "s3cret-password"
    assert warehouse["schemaName"] == "unify_profiles"


def test_list_profiles_warehouses__masks_secrets(target: Target) -> None:
    space_id = target.space_id()
    warehouse = create_profiles_warehouse(target, space_id)
    data = target.client.get(f"/spaces/{space_id}/profiles-warehouses").json()["data"]
    listed = next(w for w in data["profilesWarehouses"] if w["id"] == warehouse["id"])
    assert listed["settings"]["password"] != "s3cret-password"


def test_update_profiles_warehouse__masked_value_keeps_the_secret(target: Target) -> None:
    emulator = target.require_emulator("reads the stored, unmasked settings")
    space_id = target.space_id()
    warehouse = create_profiles_warehouse(target, space_id)
    response = target.client.patch(
        f"/spaces/{space_id}/profiles-warehouses/{warehouse['id']}",
        json={"settings": {"password": MASK, "database": "PROFILES2"}, "schemaName": "p2"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["profilesWarehouse"]["schemaName"] == "p2"
    stored = emulator.objects("acme-contact-center", "profiles_warehouse")[0]
    assert stored["settings"]["password"] == "s3cret-password"
    assert stored["settings"]["database"] == "PROFILES2"


def test_delete_profiles_warehouse__returns_status_and_unlists_it(target: Target) -> None:
    space_id = target.space_id()
    warehouse = create_profiles_warehouse(target, space_id)
    path = f"/spaces/{space_id}/profiles-warehouses/{warehouse['id']}"
    assert target.client.delete(path).json() == {"data": {"status": "SUCCESS"}}
    data = target.client.get(f"/spaces/{space_id}/profiles-warehouses").json()["data"]
    assert warehouse["id"] not in {w["id"] for w in data["profilesWarehouses"]}


def test_profiles_warehouse__unknown_metadata_names_the_field(target: Target) -> None:
    body = {"metadataId": "noSuchWarehouse", "settings": {}}
    response = target.client.post(f"/spaces/{target.space_id()}/profiles-warehouses", json=body)
    assert_error(response, 422, "ValidationFailure", "metadataId")


def test_updated_trait_and_audience_are_locked_until_incorporated(target: Target) -> None:
    """The SDK: an updated computed trait or audience "will be locked from future edits until
    the changes have been incorporated"; an audience shows the status ``Locked`` meanwhile."""
    emulator = target.require_emulator("how long the lock lasts, and its answer, are ours")
    space_id = target.space_id()
    trait = create_computed_trait(target, space_id)
    audience = create_audience(target, space_id)
    paths = [
        f"/spaces/{space_id}/computed-traits/{trait['id']}",
        f"/spaces/{space_id}/audiences/{audience['id']}",
    ]
    for path in paths:
        assert target.client.patch(path, json={"description": "first"}).status_code == 200
        refused = target.client.patch(path, json={"description": "second"})
        assert_error(refused, 422, "ValidationFailure")
        assert "locked from future edits" in refused.json()["errors"][0]["message"]
    shown = target.client.get(paths[1]).json()["data"]["audience"]
    assert shown["status"] == "Locked"
    time.sleep(emulator.emulator.config.edit_lock_seconds + 0.1)
    for path in paths:
        assert target.client.patch(path, json={"description": "second"}).status_code == 200


@pytest.mark.parametrize("kind", ["computed-traits", "audiences"])
def test_update__a_null_description_is_refused_naming_it(target: Target, kind: str) -> None:
    """UpdateComputedTraitForSpaceAlphaInput and UpdateAudienceForSpaceInput type description
    as a plain string (not nullable) in Segment's SDK: null is not one of its values."""
    target.require_emulator("Segment's answer to a null here is not documented")
    space_id = target.space_id()
    made = (create_computed_trait if kind == "computed-traits" else create_audience)(
        target, space_id
    )
    path = f"/spaces/{space_id}/{kind}/{made['id']}"
    response = target.client.patch(path, json={"description": None})
    assert_error(response, 422, "ValidationFailure", "description")
    assert target.client.patch(path, json={"description": "Kept"}).status_code == 200
