"""Reverse ETL: warehouse rows moved into profiles per second, by a sync of the emulator.

A throwaway PostgreSQL on loopback holds N accounts; a spawned emulator (its own process) gets
a Postgres Reverse ETL source on it, a model, the Segment Profiles destination and a Send
Identify mapping, all through the Public API; one manual sync runs (the answer comes when the
sync is done: the model's SQL read, each row mapped with mapping-kit's directives and ingested
as an identify that resolves a profile). Then a second sync over the same rows, which finds
nothing changed and delivers nothing: the ratio shows what reading and comparing cost beside
delivering. Without a PostgreSQL server the row says so instead of a figure.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from benchmarks.stack import SEED, SPACE_SLUG
from benchmarks.table import Row
from segment_unify.emulator.testing import spawn_emulator
from segment_unify.local_postgres import (
    LocalPostgres,
    PostgresUnavailableError,
    running_postgres,
)

ROWS, QUICK_ROWS = 2000, 100
RETL_POSTGRES = "WvlvcGEJsT"
SEGMENT_PROFILES = "639c2dbb1309fdcad13951b6"
SEND_IDENTIFY = "vm2tNA5U1zxUusQkdC4D7Z"
NAME = "Reverse ETL: warehouse rows synced into profiles per second"


def _fill(warehouse: LocalPostgres, rows: int) -> None:
    warehouse.execute(
        "CREATE SCHEMA salesforce; CREATE TABLE salesforce.accounts AS "
        "SELECT 'acct-' || n AS id, 'Account ' || n AS name, "
        "'person' || n || '@bench.example' AS person_email, n * 10 AS annual_revenue "
        f"FROM generate_series(1, {rows}) AS n"
    )


def _chain(api: httpx.Client, warehouse: LocalPostgres, engage_space: str) -> dict[str, str]:
    def made(path: str, body: dict[str, Any], key: str) -> str:
        answer = api.post(path, json=body)
        answer.raise_for_status()
        return str(answer.json()["data"][key]["id"])

    source = made(
        "/sources",
        {"slug": "bench-retl", "enabled": True, "metadataId": RETL_POSTGRES,
         "settings": warehouse.settings()},
        "source",
    )  # fmt: skip
    model = made(
        "/reverse-etl-models",
        {"sourceId": source, "name": "Accounts", "description": "bench", "enabled": True,
         "query": "SELECT * FROM salesforce.accounts", "queryIdentifierColumn": "id"},
        "reverseEtlModel",
    )  # fmt: skip
    destination = made(
        "/destinations",
        {"sourceId": source, "metadataId": SEGMENT_PROFILES, "settings": {}, "enabled": True},
        "destination",
    )
    mapping = {
        "engage_space": engage_space,
        "user_id": {"@path": "$.properties.id"},
        "traits": {
            "name": {"@path": "$.properties.name"},
            "email": {"@path": "$.properties.person_email"},
            "annual_revenue": {"@path": "$.properties.annual_revenue"},
        },
    }
    subscription = made(
        f"/destinations/{destination}/subscriptions",
        {"name": "Accounts", "actionId": SEND_IDENTIFY, "trigger": "event = 'new'",
         "enabled": True, "settings": mapping, "modelId": model},
        "destinationSubscription",
    )  # fmt: skip
    return {"sourceId": source, "modelId": model, "subscriptionId": subscription}


def _sync(api: httpx.Client, chain: dict[str, str]) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    answer = api.post("/reverse-etl-syncs", json=chain)
    answer.raise_for_status()
    elapsed = time.monotonic() - started
    sync_id = answer.json()["data"]["reverseETLManualSync"]["syncId"]
    status = api.get(f"/reverse-etl-models/{chain['modelId']}/syncs/{sync_id}")
    return elapsed, status.json()["data"]["reverseETLSyncStatus"]


def run(quick: bool = False) -> list[Row]:
    rows = QUICK_ROWS if quick else ROWS
    try:
        with running_postgres() as warehouse, spawn_emulator(seed=SEED) as emulator:
            _fill(warehouse, rows)
            headers = {"Authorization": f"Bearer {emulator.token}"}
            with httpx.Client(base_url=emulator.url, headers=headers, timeout=600) as api:
                spaces = api.get("/spaces").json()["data"]["spaces"]
                space = next(s for s in spaces if s["slug"] == SPACE_SLUG)
                compute = api.get(f"/sources/{_compute_source(emulator.url, space['id'])}")
                engage_space = compute.json()["data"]["source"]["writeKeys"][0]
                chain = _chain(api, warehouse, engage_space)
                first, status = _sync(api, chain)
                again, unchanged = _sync(api, chain)
    except PostgresUnavailableError as unavailable:
        return [Row(NAME, "not measured", "report", None, f"no PostgreSQL: {unavailable}")]
    delivered = int(status["loadPhase"]["deliverSuccessCount"])
    return [
        Row(
            NAME,
            f"{delivered / first:.0f} rows/s",
            "report",
            None,
            f"{delivered}/{rows} rows of a PostgreSQL table read, mapped by Send Identify and "
            f"resolved into profiles in {first:.2f} s ({status['syncStatus']}); a second sync "
            f"of the same rows ({unchanged['loadPhase']['deliverSuccessCount']} delivered, "
            f"nothing changed) took {again:.2f} s ({again / first:.2f}x)",
        )
    ]


def _compute_source(url: str, space_id: str) -> str:
    """The space's personas-compute source (its write key is Send Identify's engage_space)."""
    state = httpx.get(f"{url}/__emulator/state", timeout=60).json()
    for workspace in state["workspaces"]:
        for space in workspace["objects"].get("space", []):
            if space["id"] == space_id:
                return str(space["sourceId"])
    raise LookupError(f"space {space_id} not in the emulator's state")
