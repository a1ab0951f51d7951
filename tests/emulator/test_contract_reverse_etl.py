"""Contract: /reverse-etl-models, manual syncs and their status."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.helpers import (
    JAVASCRIPT,
    SEND_IDENTIFY,
    Target,
    assert_error,
    create_retl_chain,
    create_source,
)

pytestmark = pytest.mark.real_segment


def test_create_model__returns_201_with_the_model(target: Target) -> None:
    chain = create_retl_chain(target)
    model = chain["model"]
    assert model["sourceId"] == chain["source"]["id"]
    assert set(model) >= {
        "id",
        "sourceId",
        "name",
        "description",
        "enabled",
        "query",
        "queryIdentifierColumn",
    }


def _model_body(source_id: str) -> dict[str, Any]:
    """A CreateModel body with every required field."""
    return {
        "sourceId": source_id,
        "name": "m",
        "description": "d",
        "enabled": True,
        "query": "SELECT 1",
        "queryIdentifierColumn": "id",
    }


@pytest.mark.parametrize(
    "missing", ["sourceId", "name", "description", "enabled", "query", "queryIdentifierColumn"]
)
def test_create_model__missing_required_field_names_it(target: Target, missing: str) -> None:
    source = create_source(target, "78PbvP2yv8")
    body = _model_body(source["id"])
    del body[missing]
    response = target.client.post("/reverse-etl-models", json=body)
    assert_error(response, 422, "ValidationFailure", missing)


def test_create_model__event_source_is_refused(target: Target) -> None:
    target.require_emulator("Segment's answer for a non-warehouse source is not documented")
    source = create_source(target, JAVASCRIPT)
    body = _model_body(source["id"])
    response = target.client.post("/reverse-etl-models", json=body)
    assert_error(response, 422, "ValidationFailure", "sourceId")


def test_get_model__returns_reverse_etl_model_key(target: Target) -> None:
    model = create_retl_chain(target)["model"]
    response = target.client.get(f"/reverse-etl-models/{model['id']}")
    assert response.status_code == 200
    assert response.json()["data"]["reverseEtlModel"] == model


def test_list_models__returns_models_and_pagination(target: Target) -> None:
    model = create_retl_chain(target)["model"]
    data = target.client.get("/reverse-etl-models").json()["data"]
    assert set(data) == {"models", "pagination"}
    assert model["id"] in {m["id"] for m in data["models"]}


def test_update_model__changes_query_only(target: Target) -> None:
    model = create_retl_chain(target)["model"]
    response = target.client.patch(
        f"/reverse-etl-models/{model['id']}", json={"query": "SELECT id FROM accounts"}
    )
    assert response.status_code == 200
    updated = response.json()["data"]["reverseEtlModel"]
    assert updated["query"] == "SELECT id FROM accounts"
    assert updated["name"] == model["name"]


def test_delete_model__returns_status_and_then_404(target: Target) -> None:
    model = create_retl_chain(target)["model"]
    response = target.client.delete(f"/reverse-etl-models/{model['id']}")
    assert response.json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(f"/reverse-etl-models/{model['id']}"), 404, "NotFound")


def test_model__unknown_id_is_not_found(api: httpx.Client) -> None:
    assert_error(api.get("/reverse-etl-models/doesNotExist0000000000"), 404, "NotFound")


def _start_sync(
    target: Target, chain: dict[str, Any], *, subscription_model: str | None
) -> httpx.Response:
    """Ask for a sync of the chain's model through a new subscription of its destination, one
    that maps ``subscription_model`` (None: no model)."""
    body: dict[str, Any] = {
        "name": "s",
        "actionId": SEND_IDENTIFY,
        "trigger": 'event = "new"',
        "enabled": True,
    }
    if subscription_model is not None:
        body["modelId"] = subscription_model
    subscription = target.client.post(
        f"/destinations/{chain['destination']['id']}/subscriptions", json=body
    ).json()["data"]["destinationSubscription"]
    return target.client.post(
        "/reverse-etl-syncs",
        json={
            "sourceId": chain["source"]["id"],
            "modelId": chain["model"]["id"],
            "subscriptionId": subscription["id"],
        },
    )


def test_manual_sync__starts_and_reports_its_status(target: Target) -> None:
    target.require_emulator("a real sync would read a real warehouse")
    chain = create_retl_chain(target)
    response = _start_sync(target, chain, subscription_model=chain["model"]["id"])
    assert response.status_code == 200
    started = response.json()["data"]["reverseETLManualSync"]
    assert set(started) == {"startedAt", "syncId"}
    status = target.client.get(
        f"/reverse-etl-models/{chain['model']['id']}/syncs/{started['syncId']}"
    ).json()["data"]["reverseETLSyncStatus"]
    assert status["syncId"] == started["syncId"]
    assert status["syncStatus"] in {"IN_PROGRESS", "SUCCESS", "FAIL", "PARTIAL_SUCCESS"}


def test_manual_sync__subscription_of_another_model_is_refused(target: Target) -> None:
    target.require_emulator("a real sync would read a real warehouse")
    chain = create_retl_chain(target)
    response = _start_sync(target, chain, subscription_model=None)
    assert_error(response, 422, "ValidationFailure", "subscriptionId")


def test_sync_status__unknown_sync_is_not_found(target: Target) -> None:
    model = create_retl_chain(target)["model"]
    response = target.client.get(f"/reverse-etl-models/{model['id']}/syncs/doesNotExist000000")
    assert_error(response, 404, "NotFound")
