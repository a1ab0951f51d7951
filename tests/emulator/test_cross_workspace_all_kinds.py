"""Workspace isolation for every kind of object the provider manages, against the emulator.

Objects are made in the seed's first workspace (A); the second workspace's token (B) must get
Segment's 404 NotFound for every read, change and delete by path, including the paths nested
under an object of A (subscriptions, connections, space collections), and must not be able to
name A's objects in a request body. Afterwards A still reads each object exactly as before (a
refused write changed nothing) and the same requests from A succeed (B was refused for its
workspace, not for the request). ``test_errors_and_auth.py`` holds the first few of these checks;
this file covers every kind, and the Profile API token of a space of B on a space of A.

Emulator only: a second workspace and its token exist in the seed, not in a real account.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from tests.emulator.helpers import (
    JAVASCRIPT,
    SALESFORCE,
    SEND_IDENTIFY,
    SNOWFLAKE_WAREHOUSE,
    Target,
    assert_error,
    cleaned_up,
    create_retl_chain,
    create_source,
    create_warehouse,
)
from tests.emulator.test_contract_destinations import create_subscription
from tests.emulator.test_contract_spaces import (
    create_audience,
    create_computed_trait,
    create_profiles_warehouse,
)

Request = tuple[str, str, dict[str, Any] | None]
# Bodies are valid, so that what refuses them is the workspace, not their shape.
PROFILES_WAREHOUSE = {
    "metadataId": SNOWFLAKE_WAREHOUSE,
    "settings": {
        "account": "x",
        "warehouse": "x",
        "database": "x",
        "username": "x",
        "password": "x-password",
    },
}


@dataclass
class Owned:
    """An object of workspace A: where A reads it, and what B tries on it."""

    read: str
    """A path A reads the object (or the collection holding it) back from."""
    attempts: list[Request]


def _source(target: Target) -> Owned:
    path = f"/sources/{create_source(target, JAVASCRIPT)['id']}"
    return Owned(
        path,
        [
            ("GET", path, None),
            ("PATCH", path, {"name": "taken over"}),
            ("DELETE", path, None),
            ("GET", f"{path}/connected-destinations", None),
        ],
    )


def _destination(target: Target) -> Owned:
    path = f"/destinations/{create_retl_chain(target)['destination']['id']}"
    return Owned(
        path,
        [
            ("GET", path, None),
            ("PATCH", path, {"enabled": False}),
            ("DELETE", path, None),
            ("GET", f"{path}/subscriptions", None),
            (
                "POST",
                f"{path}/subscriptions",
                {
                    "name": "s",
                    "actionId": SEND_IDENTIFY,
                    "trigger": 'event = "new"',
                    "enabled": True,
                },
            ),
        ],
    )


def _subscription(target: Target) -> Owned:
    chain = create_retl_chain(target)
    subscription = create_subscription(target, chain)
    path = f"/destinations/{chain['destination']['id']}/subscriptions/{subscription['id']}"
    return Owned(
        path,
        [
            ("GET", path, None),
            ("PATCH", path, {"input": {"enabled": False}}),
            ("DELETE", path, None),
        ],
    )


def _warehouse(target: Target) -> Owned:
    warehouse_id = create_warehouse(target)["id"]
    source_id = create_source(target, SALESFORCE)["id"]
    path = f"/warehouses/{warehouse_id}"
    assert target.client.post(f"{path}/connected-sources/{source_id}").status_code == 201
    return Owned(
        f"{path}/connected-sources",
        [
            ("GET", path, None),
            ("PATCH", path, {"settings": {"database": "taken_over"}}),
            ("DELETE", path, None),
            ("GET", f"{path}/connected-sources", None),
            ("POST", f"{path}/connected-sources/{source_id}", None),
            ("DELETE", f"{path}/connected-sources/{source_id}", None),
        ],
    )


def _manual_sync(target: Target, chain: dict[str, Any]) -> dict[str, str]:
    """The body that starts a sync of the chain's model (with a subscription made for it)."""
    subscription = create_subscription(target, chain)
    return {
        "sourceId": chain["source"]["id"],
        "modelId": chain["model"]["id"],
        "subscriptionId": subscription["id"],
    }


def _reverse_etl_model(target: Target) -> Owned:
    chain = create_retl_chain(target)
    started = target.client.post("/reverse-etl-syncs", json=_manual_sync(target, chain))
    assert started.status_code == 200, started.text
    sync_id = started.json()["data"]["reverseETLManualSync"]["syncId"]
    path = f"/reverse-etl-models/{chain['model']['id']}"
    return Owned(
        path,
        [
            ("GET", path, None),
            ("PATCH", path, {"query": "SELECT 1 AS id"}),
            ("DELETE", path, None),
            ("GET", f"{path}/syncs/{sync_id}", None),
        ],
    )


def _space(target: Target) -> Owned:
    path = f"/spaces/{target.space_id()}"
    trait = {
        "name": "Intruder trait",
        "definition": {"type": "USERS", "query": "event('x').count()"},
    }
    audience = {
        "name": "Intruder audience",
        "audienceType": "USERS",
        "definition": {"query": "trait('x') = 1"},
    }
    return Owned(
        path,
        [
            ("GET", path, None),
            ("GET", f"{path}/events", None),
            ("GET", f"{path}/traits", None),
            ("GET", f"{path}/computed-traits", None),
            ("POST", f"{path}/computed-traits", trait),
            ("GET", f"{path}/audiences", None),
            ("POST", f"{path}/audiences", audience),
            ("GET", f"{path}/profiles-warehouses", None),
            ("POST", f"{path}/profiles-warehouses", PROFILES_WAREHOUSE),
        ],
    )


def _computed_trait(target: Target) -> Owned:
    space_id = target.space_id()
    path = f"/spaces/{space_id}/computed-traits/{create_computed_trait(target, space_id)['id']}"
    return Owned(
        path,
        [("GET", path, None), ("PATCH", path, {"enabled": False}), ("DELETE", path, None)],
    )


def _audience(target: Target) -> Owned:
    space_id = target.space_id()
    path = f"/spaces/{space_id}/audiences/{create_audience(target, space_id)['id']}"
    return Owned(
        path,
        [("GET", path, None), ("PATCH", path, {"enabled": False}), ("DELETE", path, None)],
    )


def _profiles_warehouse(target: Target) -> Owned:
    space_id = target.space_id()
    collection = f"/spaces/{space_id}/profiles-warehouses"
    path = f"{collection}/{create_profiles_warehouse(target, space_id)['id']}"
    return Owned(
        collection,
        [
            ("GET", collection, None),
            ("PATCH", path, {"settings": {"database": "TAKEN"}, "schemaName": "taken_over"}),
            ("DELETE", path, None),
        ],
    )


KINDS: dict[str, Callable[[Target], Owned]] = {
    "source": _source,
    "destination": _destination,
    "subscription": _subscription,
    "warehouse": _warehouse,
    "reverse_etl_model": _reverse_etl_model,
    "space": _space,
    "computed_trait": _computed_trait,
    "audience": _audience,
    "profiles_warehouse": _profiles_warehouse,
}


@pytest.fixture
def owner(emulator: InProcessEmulator) -> Iterator[Target]:
    """Workspace A, which makes the objects (and deletes them at the end)."""
    with emulator.client() as client:
        yield from cleaned_up(Target(client, emulator))


@pytest.fixture
def intruder(emulator: InProcessEmulator) -> Iterator[httpx.Client]:
    """Workspace B's token."""
    with emulator.client("other-workspace") as client:
        yield client


@pytest.mark.parametrize("kind", list(KINDS))
def test_another_workspace_gets_not_found_on_every_path_of_the_object(
    kind: str, owner: Target, intruder: httpx.Client
) -> None:
    owned = KINDS[kind](owner)
    before = owner.client.get(owned.read)
    assert before.status_code == 200, before.text

    for method, path, body in owned.attempts:
        response = intruder.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert_error(response, 404, "NotFound")

    after = owner.client.get(owned.read)
    assert after.status_code == 200, after.text
    assert after.json() == before.json()

    # The same reads and writes from A succeed: B was refused for its workspace alone.
    for method, path, body in owned.attempts:
        if method != "DELETE":
            response = owner.client.request(method, path, json=body)
            assert response.status_code in (200, 201), (method, path, response.text)


def test_another_workspace_lists_none_of_the_objects(owner: Target, intruder: httpx.Client) -> None:
    chain = create_retl_chain(owner)
    warehouse = create_warehouse(owner)
    listed = {
        "/sources": ("sources", chain["source"]["id"]),
        "/destinations": ("destinations", chain["destination"]["id"]),
        "/warehouses": ("warehouses", warehouse["id"]),
        "/reverse-etl-models": ("models", chain["model"]["id"]),
    }
    for path, (key, own_id) in listed.items():
        assert own_id in _ids(owner.client, path, key), path
        assert own_id not in _ids(intruder, path, key), path


def _ids(client: httpx.Client, path: str, key: str) -> set[str]:
    response = client.get(path, params={"pagination.count": 200})
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["data"][key]}


def test_another_workspace_cannot_name_the_objects_in_a_body(
    owner: Target, intruder: httpx.Client
) -> None:
    chain = create_retl_chain(owner)
    model = {
        "sourceId": chain["source"]["id"],
        "name": "m",
        "description": "d",
        "enabled": True,
        "query": "SELECT 1 AS id",
        "queryIdentifierColumn": "id",
    }
    refused = intruder.post("/reverse-etl-models", json=model)
    assert_error(refused, 422, "ValidationFailure", "sourceId")
    sync = intruder.post("/reverse-etl-syncs", json=_manual_sync(owner, chain))
    assert_error(sync, 422, "ValidationFailure", "sourceId")
    # B's own source cannot be connected to A's warehouse.
    own_source = intruder.post(
        "/sources", json={"slug": "b-salesforce", "metadataId": SALESFORCE, "enabled": True}
    )
    assert own_source.status_code == 201, own_source.text
    source_id = own_source.json()["data"]["source"]["id"]
    connect = intruder.post(
        f"/warehouses/{create_warehouse(owner)['id']}/connected-sources/{source_id}"
    )
    assert_error(connect, 404, "NotFound")


def test_another_workspace_profile_api_token_is_refused_on_the_space(
    owner: Target, emulator: InProcessEmulator
) -> None:
    profiles = f"/v1/spaces/{owner.space_id()}/collections/users/profiles/user_id:cust-1001/traits"
    with emulator.profile_client("unified-profiles-dev") as own:
        assert own.get(profiles).status_code == 200
    with emulator.profile_client("other-space") as intruder:
        response = intruder.get(profiles)
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "authentication_error"
