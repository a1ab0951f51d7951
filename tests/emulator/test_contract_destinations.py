"""Contract: /destinations and their subscriptions, Reverse ETL schedules included."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.helpers import (
    JAVASCRIPT,
    RETL_BIGQUERY,
    SEGMENT_PROFILES,
    SEND_IDENTIFY,
    Target,
    assert_error,
    create_destination,
    create_retl_chain,
    create_source,
)

pytestmark = pytest.mark.real_segment

IDENTIFY_SETTINGS = {
    "engage_space": "0123456789abcdef0123456789abcdef",
    "user_id": {"@path": "$.properties.user_id"},
    "traits": {"email": {"@path": "$.properties.email"}},
}


def create_subscription(target: Target, chain: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """``extra`` overrides the body; a None there leaves the field out (Segment's model takes
    no null for ``modelId``)."""
    body = {
        "name": "Accounts to profiles",
        "actionId": SEND_IDENTIFY,
        "trigger": 'event = "new" or event = "updated"',
        "enabled": True,
        "settings": IDENTIFY_SETTINGS,
        "modelId": chain["model"]["id"],
    } | extra
    body = {key: value for key, value in body.items() if value is not None}
    path = f"/destinations/{chain['destination']['id']}/subscriptions"
    return target.create(path, body, "destinationSubscription", status=200)


def test_create_destination__returns_200_with_the_destination(target: Target) -> None:
    source = create_source(target, RETL_BIGQUERY)
    destination = create_destination(target, source["id"])
    assert destination["sourceId"] == source["id"]
    assert destination["metadata"]["id"] == SEGMENT_PROFILES
    assert destination["enabled"] is True
    assert set(destination) >= {"id", "enabled", "metadata", "sourceId", "settings"}


def test_create_destination__missing_settings_names_the_field(target: Target) -> None:
    source = create_source(target, RETL_BIGQUERY)
    body = {"sourceId": source["id"], "metadataId": SEGMENT_PROFILES}
    assert_error(
        target.client.post("/destinations", json=body), 422, "ValidationFailure", "settings"
    )


def test_create_destination__unknown_source_names_the_field(target: Target) -> None:
    target.require_emulator("Segment may answer an unknown sourceId with 404")
    body = {"sourceId": "doesNotExist0000000000", "metadataId": SEGMENT_PROFILES, "settings": {}}
    assert_error(
        target.client.post("/destinations", json=body), 422, "ValidationFailure", "sourceId"
    )


def test_create_destination__unknown_metadata_names_the_field(target: Target) -> None:
    source = create_source(target, JAVASCRIPT)
    body = {"sourceId": source["id"], "metadataId": "noSuchDestination", "settings": {}}
    response = target.client.post("/destinations", json=body)
    assert_error(response, 422, "ValidationFailure", "metadataId")


def test_get_destination__returns_it(target: Target) -> None:
    destination = create_destination(target, create_source(target, RETL_BIGQUERY)["id"])
    response = target.client.get(f"/destinations/{destination['id']}")
    assert response.status_code == 200
    assert response.json()["data"]["destination"]["id"] == destination["id"]


def test_list_destinations__includes_a_created_one(target: Target) -> None:
    destination = create_destination(target, create_source(target, RETL_BIGQUERY)["id"])
    data = target.client.get("/destinations").json()["data"]
    assert set(data) == {"destinations", "pagination"}
    assert destination["id"] in {d["id"] for d in data["destinations"]}


def test_update_destination__changes_name_and_enabled(target: Target) -> None:
    destination = create_destination(target, create_source(target, RETL_BIGQUERY)["id"])
    response = target.client.patch(
        f"/destinations/{destination['id']}", json={"name": "Profiles", "enabled": False}
    )
    assert response.status_code == 200
    updated = response.json()["data"]["destination"]
    assert (updated["name"], updated["enabled"]) == ("Profiles", False)


def test_delete_destination__returns_status_and_then_404(target: Target) -> None:
    destination = create_destination(target, create_source(target, RETL_BIGQUERY)["id"])
    response = target.client.delete(f"/destinations/{destination['id']}")
    assert response.json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(f"/destinations/{destination['id']}"), 404, "NotFound")


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_destination__unknown_id_is_not_found(api: httpx.Client, method: str) -> None:
    kwargs: dict[str, Any] = {"json": {"enabled": True}} if method == "PATCH" else {}
    response = api.request(method, "/destinations/doesNotExist0000000000", **kwargs)
    assert_error(response, 404, "NotFound")


def test_create_subscription__returns_destination_subscription(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    assert subscription["actionId"] == SEND_IDENTIFY
    assert subscription["actionSlug"] == "sendIdentify"
    assert subscription["destinationId"] == chain["destination"]["id"]
    assert subscription["modelId"] == chain["model"]["id"]
    assert subscription["settings"] == IDENTIFY_SETTINGS
    assert "reverseETLSchedule" not in subscription or subscription["reverseETLSchedule"] is None


def test_create_subscription__schedule_in_the_body_is_refused(target: Target) -> None:
    target.require_emulator("Segment's answer to an unknown body field is not documented")
    chain = create_retl_chain(target)
    body = {
        "name": "s",
        "actionId": SEND_IDENTIFY,
        "trigger": 'event = "new"',
        "enabled": True,
        "reverseETLSchedule": {"strategy": "MANUAL", "config": None},
    }
    response = target.client.post(
        f"/destinations/{chain['destination']['id']}/subscriptions", json=body
    )
    assert_error(response, 422, "ValidationFailure", "reverseETLSchedule")


def test_create_subscription__action_of_another_destination_is_refused(target: Target) -> None:
    chain = create_retl_chain(target)
    body = {
        "name": "s",
        "actionId": "notAnActionOfIt000000",
        "trigger": "type = 'identify'",
        "enabled": True,
    }
    response = target.client.post(
        f"/destinations/{chain['destination']['id']}/subscriptions", json=body
    )
    assert_error(response, 422, "ValidationFailure", "actionId")


@pytest.mark.parametrize("missing", ["name", "actionId", "trigger", "enabled"])
def test_create_subscription__missing_required_field_names_it(target: Target, missing: str) -> None:
    chain = create_retl_chain(target)
    body = {"name": "s", "actionId": SEND_IDENTIFY, "trigger": 'event = "new"', "enabled": True}
    del body[missing]
    response = target.client.post(
        f"/destinations/{chain['destination']['id']}/subscriptions", json=body
    )
    assert_error(response, 422, "ValidationFailure", missing)


def test_get_subscription__returns_subscription_key(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    response = target.client.get(path)
    assert response.status_code == 200
    assert set(response.json()["data"]) == {"subscription"}
    assert response.json()["data"]["subscription"]["id"] == subscription["id"]


def test_get_subscription__of_another_destination_is_not_found(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    other = create_destination(target, chain["source"]["id"])
    response = target.client.get(f"/destinations/{other['id']}/subscriptions/{subscription['id']}")
    assert_error(response, 404, "NotFound")


def test_list_subscriptions__lists_the_destination_subscriptions(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    response = target.client.get(f"/destinations/{chain['destination']['id']}/subscriptions")
    assert response.status_code == 200
    assert [s["id"] for s in response.json()["data"]["subscriptions"]] == [subscription["id"]]


SCHEDULES = [
    {"strategy": "PERIODIC", "config": {"interval": "1h"}},
    # The SDK's own example of a duration string.
    {"strategy": "PERIODIC", "config": {"interval": "3h25m30s"}},
    # What Segment's app offers as "1 day", and its maintainers' "formats like 15m, 1d".
    {"strategy": "PERIODIC", "config": {"interval": "1d"}},
    {
        "strategy": "SPECIFIC_DAYS",
        "config": {"days": [1, 3], "hours": [6], "timezone": "Europe/Paris"},
    },
    {"strategy": "CRON", "config": {"spec": "0 */2 * * *", "timezone": "UTC"}},
    {"strategy": "DBT_CLOUD", "config": {"jobId": "123", "accountId": "456"}},
    {"strategy": "MANUAL", "config": None},
]


@pytest.mark.parametrize(
    "schedule",
    SCHEDULES,
    ids=lambda s: f"{s['strategy']}-{(s['config'] or {}).get('interval', '')}",
)
def test_update_subscription__sets_the_reverse_etl_schedule(
    target: Target, schedule: dict[str, Any]
) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    response = target.client.patch(path, json={"input": {"reverseETLSchedule": schedule}})
    assert response.status_code == 200, response.text
    assert set(response.json()["data"]) == {"subscription"}
    stored = target.client.get(path).json()["data"]["subscription"]["reverseETLSchedule"]
    assert stored["strategy"] == schedule["strategy"]
    assert stored.get("config") == schedule["config"]


BAD_SCHEDULES = [
    ({"strategy": "PERIODIC", "config": {"interval": "7m"}}, "config.interval"),
    ({"strategy": "PERIODIC", "config": {"interval": "1w"}}, "config.interval"),
    # A bare number is milliseconds: 600 is under 15 minutes.
    ({"strategy": "PERIODIC", "config": {"interval": "600"}}, "config.interval"),
    ({"strategy": "PERIODIC", "config": None}, "config"),
    (
        {"strategy": "SPECIFIC_DAYS", "config": {"days": [9], "hours": [1], "timezone": "UTC"}},
        "config.days",
    ),
    (
        {"strategy": "SPECIFIC_DAYS", "config": {"days": [1], "hours": [25], "timezone": "UTC"}},
        "config.hours",
    ),
    (
        {
            "strategy": "SPECIFIC_DAYS",
            "config": {"days": [1], "hours": [1], "timezone": "Mars/Olympus"},
        },
        "config.timezone",
    ),
    ({"strategy": "CRON", "config": {"spec": "*/5 * * * *", "timezone": "UTC"}}, "config.spec"),
    ({"strategy": "CRON", "config": {"spec": "not a cron", "timezone": "UTC"}}, "config.spec"),
    ({"strategy": "DBT_CLOUD", "config": {"jobId": "123"}}, "config.accountId"),
    ({"strategy": "MANUAL", "config": {"interval": "1h"}}, "config"),
    ({"strategy": "HOURLY", "config": None}, "strategy"),
]


@pytest.mark.parametrize(("schedule", "field"), BAD_SCHEDULES, ids=lambda v: str(v)[:40])
def test_update_subscription__bad_schedule_names_the_field(
    target: Target, schedule: dict[str, Any], field: str
) -> None:
    target.require_emulator("exact field paths of Segment's schedule errors are not documented")
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    response = target.client.patch(path, json={"input": {"reverseETLSchedule": schedule}})
    assert_error(response, 422, "ValidationFailure", f"input.reverseETLSchedule.{field}")


def test_update_subscription__body_without_input_is_refused(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    assert_error(target.client.patch(path, json={"name": "x"}), 422, "ValidationFailure")


def test_update_subscription__sets_model_and_schedule_together(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain, modelId=None)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    schedule = {"strategy": "PERIODIC", "config": {"interval": "15m"}}
    body = {"input": {"reverseETLModelId": chain["model"]["id"], "reverseETLSchedule": schedule}}
    updated = target.client.patch(path, json=body).json()["data"]["subscription"]
    assert updated["modelId"] == chain["model"]["id"]
    assert updated["reverseETLSchedule"] == schedule


def test_update_subscription__schedule_without_model_is_refused(target: Target) -> None:
    target.require_emulator("Segment's answer to a schedule without a model is not documented")
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain, modelId=None)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    body = {"input": {"reverseETLSchedule": {"strategy": "MANUAL", "config": None}}}
    assert_error(
        target.client.patch(path, json=body), 422, "ValidationFailure", "input.reverseETLSchedule"
    )


def test_update_subscription__changes_name_trigger_and_settings(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    new = {"name": "Renamed", "trigger": 'event = "new"', "settings": {"engage_space": "k" * 32}}
    updated = target.client.patch(path, json={"input": new}).json()["data"]["subscription"]
    assert (updated["name"], updated["trigger"], updated["settings"]) == (
        new["name"],
        new["trigger"],
        new["settings"],
    )


def test_delete_subscription__returns_status_and_then_404(target: Target) -> None:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    assert target.client.delete(path).json() == {"data": {"status": "SUCCESS"}}
    assert_error(target.client.get(path), 404, "NotFound")
