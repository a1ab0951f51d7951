"""A PostgreSQL warehouse for the Reverse ETL tests, and a Reverse ETL chain on it made through
the Public API (source, model, Segment Profiles destination, Send Identify mapping).

The warehouse: Debian's server on loopback, one per
session (installed with apt-get first when missing and this process is root, as `.ci/run`
is), with a fresh database per test."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.local_postgres import LocalPostgres, PostgresUnavailableError, running_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    try:
        with running_postgres(install=True) as server:
            yield server
    except PostgresUnavailableError as unavailable:
        pytest.skip(f"no PostgreSQL for the Reverse ETL tests: {unavailable}")


@pytest.fixture
def warehouse(postgres_server: LocalPostgres) -> LocalPostgres:
    """A database of its own on the session's server."""
    name = f"wh_{secrets.token_hex(4)}"
    postgres_server.execute(f'CREATE DATABASE "{name}"')
    return LocalPostgres(
        postgres_server.host,
        postgres_server.port,
        name,
        postgres_server.user,
        postgres_server.password,
    )


RETL_POSTGRES = "WvlvcGEJsT"
SEGMENT_PROFILES = "639c2dbb1309fdcad13951b6"
SEND_IDENTIFY = "vm2tNA5U1zxUusQkdC4D7Z"
DEV_SPACE = "unified-profiles-dev"

ACCOUNTS = """
CREATE SCHEMA salesforce;
CREATE TABLE salesforce.accounts (
    id text PRIMARY KEY, email text, name text, annual_revenue numeric(12, 2), tier text
);
INSERT INTO salesforce.accounts VALUES
    ('001A', 'ada@acme.test', 'Acme', 1200000.00, 'gold'),
    ('001B', 'bob@beta.test', 'Beta', 950.50, NULL);
"""


def send_identify_mapping(engage_space: str) -> dict[str, Any]:
    return {
        "engage_space": engage_space,
        "user_id": {"@path": "$.properties.id"},
        "traits": {
            "email": {"@path": "$.properties.email"},
            "company": {"@template": "{{properties.name}} ({{properties.id}})"},
            "annual_revenue": {"@path": "$.properties.annual_revenue"},
            "tier": {
                "@if": {
                    "exists": {"@path": "$.properties.tier"},
                    "then": {"@path": "$.properties.tier"},
                    "else": "none",
                }
            },
        },
        "message_id": {"@path": "$.messageId"},
        "timestamp": {"@path": "$.timestamp"},
    }


@dataclass
class Chain:
    api: httpx.Client
    emulator: InProcessEmulator
    space_id: str
    source_id: str
    model_id: str
    subscription_id: str

    def sync(self) -> dict[str, Any]:
        started = self.api.post(
            "/reverse-etl-syncs",
            json={
                "sourceId": self.source_id,
                "modelId": self.model_id,
                "subscriptionId": self.subscription_id,
            },
        )
        assert started.status_code == 200, started.text
        sync_id = started.json()["data"]["reverseETLManualSync"]["syncId"]
        return self.status(sync_id)

    def status(self, sync_id: str) -> dict[str, Any]:
        answer = self.api.get(f"/reverse-etl-models/{self.model_id}/syncs/{sync_id}")
        assert answer.status_code == 200, answer.text
        status: dict[str, Any] = answer.json()["data"]["reverseETLSyncStatus"]
        return status

    def traits(self, user_id: str) -> dict[str, Any]:
        path = f"/v1/spaces/{self.space_id}/collections/users/profiles/user_id:{user_id}/traits"
        with self.emulator.profile_client(DEV_SPACE) as profiles:
            answer = profiles.get(path, params={"limit": 200})
        assert answer.status_code == 200, answer.text
        traits: dict[str, Any] = answer.json()["traits"]
        return traits

    def set_query(self, query: str, identifier: str = "id") -> None:
        patched = self.api.patch(
            f"/reverse-etl-models/{self.model_id}",
            json={"query": query, "queryIdentifierColumn": identifier},
        )
        assert patched.status_code == 200, patched.text

    def preview(self) -> httpx.Response:
        url = f"{self.emulator.url}/__emulator/reverse-etl-models/{self.model_id}/preview"
        return httpx.post(url, timeout=60)


@pytest.fixture
def chain(emulator: InProcessEmulator, warehouse: LocalPostgres) -> Any:
    warehouse.execute(ACCOUNTS)
    with emulator.client() as api:
        spaces = api.get("/spaces").json()["data"]["spaces"]
        space = next(s for s in spaces if s["slug"] == DEV_SPACE)
        compute = api.get(f"/sources/{space_source_id(emulator, space['id'])}").json()
        engage_space = compute["data"]["source"]["writeKeys"][0]
        source = api.post(
            "/sources",
            json={
                "slug": "warehouse-retl",
                "enabled": True,
                "metadataId": RETL_POSTGRES,
                "settings": warehouse.settings(),
            },
        )
        assert source.status_code == 201, source.text
        source_id = source.json()["data"]["source"]["id"]
        model = api.post(
            "/reverse-etl-models",
            json={
                "sourceId": source_id,
                "name": "Accounts",
                "description": "Salesforce accounts",
                "enabled": True,
                "query": "SELECT * FROM salesforce.accounts",
                "queryIdentifierColumn": "id",
            },
        )
        assert model.status_code == 201, model.text
        model_id = model.json()["data"]["reverseEtlModel"]["id"]
        destination = api.post(
            "/destinations",
            json={
                "sourceId": source_id,
                "metadataId": SEGMENT_PROFILES,
                "settings": {},
                "enabled": True,
            },
        )
        assert destination.status_code == 200, destination.text
        destination_id = destination.json()["data"]["destination"]["id"]
        subscription = api.post(
            f"/destinations/{destination_id}/subscriptions",
            json={
                "name": "Accounts to profiles",
                "actionId": SEND_IDENTIFY,
                "trigger": "event = 'new' or event = 'updated'",
                "enabled": True,
                "settings": send_identify_mapping(engage_space),
                "modelId": model_id,
            },
        )
        assert subscription.status_code == 200, subscription.text
        subscription_id = subscription.json()["data"]["destinationSubscription"]["id"]
        yield Chain(api, emulator, space["id"], source_id, model_id, subscription_id)


def space_source_id(emulator: InProcessEmulator, space_id: str) -> str:
    spaces = emulator.objects("acme-contact-center", "space")
    return str(next(s["sourceId"] for s in spaces if s["id"] == space_id))
