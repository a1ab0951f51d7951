"""Reverse ETL moves rows: a Postgres warehouse, a model over `salesforce.accounts`, the
Segment Profiles destination's Send Identify mapping; manual and scheduled syncs make
profiles with the mapped traits, which the Profile API serves; "Preview 10 records"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.local_postgres import LocalPostgres

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


def test_manual_sync_moves_rows_into_profiles(chain: Chain) -> None:
    status = chain.sync()
    assert status["syncStatus"] == "SUCCESS", status
    assert status["extractPhase"]["extractCount"] == "2"
    assert status["extractPhase"]["addedCount"] == "2"
    assert status["loadPhase"]["deliverSuccessCount"] == "2"
    ada = chain.traits("001A")
    assert ada["email"] == "ada@acme.test"
    assert ada["company"] == "Acme (001A)"
    assert ada["annual_revenue"] == 1200000
    assert ada["tier"] == "gold"
    assert chain.traits("001B")["tier"] == "none"  # NULL in the warehouse: @if's else
    assert chain.traits("001B")["annual_revenue"] == 950.5


def test_a_second_sync_sends_only_what_changed(chain: Chain, warehouse: LocalPostgres) -> None:
    assert chain.sync()["syncStatus"] == "SUCCESS"
    warehouse.execute(
        "UPDATE salesforce.accounts SET tier = 'platinum' WHERE id = '001A';"
        "DELETE FROM salesforce.accounts WHERE id = '001B';"
        "INSERT INTO salesforce.accounts VALUES ('001C', 'cy@gamma.test', 'Gamma', 10, 'bronze');"
    )
    status = chain.sync()
    extract = status["extractPhase"]
    assert (extract["addedCount"], extract["updatedCount"], extract["deletedCount"]) == (
        "1",
        "1",
        "1",
    )
    assert status["loadPhase"]["deliverSuccessCount"] == "2"
    assert chain.traits("001A")["tier"] == "platinum"
    assert chain.traits("001C")["company"] == "Gamma (001C)"


def test_a_query_the_database_refuses_fails_the_sync_with_its_message(chain: Chain) -> None:
    chain.set_query("SELECT * FROM salesforce.acounts")
    status = chain.sync()
    assert status["syncStatus"] == "FAIL"
    assert 'relation "salesforce.acounts" does not exist' in status["error"]
    assert status["errorCode"] == "QUERY_FAILED"


def test_a_result_without_the_identifier_column_fails_the_sync(chain: Chain) -> None:
    chain.set_query("SELECT email FROM salesforce.accounts")
    status = chain.sync()
    assert status["syncStatus"] == "FAIL"
    assert '"id"' in status["error"] and "email" in status["error"]


def test_preview_shows_ten_records_from_the_warehouse(
    chain: Chain, warehouse: LocalPostgres
) -> None:
    warehouse.execute(
        "INSERT INTO salesforce.accounts SELECT 'X' || n, 'x' || n || '@t.test', 'X', n, NULL "
        "FROM generate_series(1, 12) AS n"
    )
    answer = chain.preview()
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["columns"] == ["id", "email", "name", "annual_revenue", "tier"]
    assert len(body["rows"]) == 10
    assert body["rows"][0]["id"] == "001A"


def test_preview_refuses_a_failing_query_with_the_databases_message(chain: Chain) -> None:
    chain.set_query("SELECT nope FROM salesforce.accounts")
    refused = chain.preview()
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert error["field"] == "query"
    assert 'column "nope" does not exist' in error["message"]
    chain.set_query("SELECT email FROM salesforce.accounts")
    missing = chain.preview()
    assert missing.status_code == 422
    assert "identifier column" in missing.json()["errors"][0]["message"]


def test_periodic_schedule_runs_when_due(chain: Chain) -> None:
    subscription_path = _subscription_path(chain)
    patched = chain.api.patch(
        subscription_path,
        json={
            "input": {"reverseETLSchedule": {"strategy": "PERIODIC", "config": {"interval": "15m"}}}
        },
    )
    assert patched.status_code == 200, patched.text
    run_due = f"{chain.emulator.url}/__emulator/reverse-etl/run-due"
    now = datetime.now(timezone.utc)
    first = httpx.post(run_due, params={"at": now.isoformat()}, timeout=60).json()["syncs"]
    assert [s["syncStatus"] for s in first] == ["SUCCESS"]
    assert chain.traits("001A")["email"] == "ada@acme.test"
    again = httpx.post(run_due, params={"at": (now + timedelta(minutes=5)).isoformat()}, timeout=60)
    assert again.json()["syncs"] == []
    later = now + timedelta(minutes=16)
    assert (
        len(httpx.post(run_due, params={"at": later.isoformat()}, timeout=60).json()["syncs"]) == 1
    )


def _subscription_path(chain: Chain) -> str:
    destinations = chain.api.get("/destinations").json()["data"]["destinations"]
    destination = next(d for d in destinations if d["sourceId"] == chain.source_id)
    return f"/destinations/{destination['id']}/subscriptions/{chain.subscription_id}"
