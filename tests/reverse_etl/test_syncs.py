"""Reverse ETL moves rows: a Postgres warehouse, a model over `salesforce.accounts`, the
Segment Profiles destination's Send Identify mapping; manual and scheduled syncs make
profiles with the mapped traits, which the Profile API serves; "Preview 10 records"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx

from segment_unify.local_postgres import LocalPostgres
from tests.reverse_etl.conftest import Chain


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
