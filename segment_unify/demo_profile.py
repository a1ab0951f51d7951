"""The demo's second half: data through what ``pulumi up`` set up, and one customer's profile.

After the stack is up against the emulator, :func:`show_customer`:

1. fills the warehouse (a throwaway PostgreSQL on loopback, which the stack's warehouse and
   Reverse ETL source were pointed at) with the small accounts table the Salesforce source would
   load, and runs the stack's Reverse ETL model once (``CreateReverseETLManualSync``, Segment's
   "Sync now"): its Send Identify mapping makes the accounts profiles;
2. sends a few Flex interactions through Segment's own Python library
   (``segment-analytics-python``) to ``flex-unify-server-source``, the source Twilio makes when
   a Segment workspace is connected (made here through the Public API, and connected to the
   space through the emulator's control plane: a step of Segment's app);
3. connects the stack's own event sources (the website's) to the space, as the pending step
   "Connect the stack's sources to the Unify space" says to in Segment's app, and sends a page
   view through each, so every source of the stack is seen receiving events;
4. prints the customer as Twilio Studio's "Search for a Profile" reads it from the Profile API:
   identifiers, the traits from the warehouse, and the six recommended Flex traits computed from
   the interactions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from segment_unify.components.flex_traits import FLEX_TRAIT_KEYS
from segment_unify.local_postgres import LocalPostgres

__all__ = ["ACCOUNTS", "CUSTOMER", "show_customer"]

CUSTOMER = "001A0000AdaLvl"
ACCOUNTS = [
    # id, name, person_email, phone, industry
    (CUSTOMER, "Ada Lovelace", "ada@analytical.example", "+15550100001", "Computing"),
    ("001A0000GraceH", "Grace Hopper", "grace@cobol.example", "+15550100002", "Defense"),
    ("001A0000AlanTu", "Alan Turing", "alan@bletchley.example", "+15550100003", "Research"),
]
FLEX_SOURCE_SLUG = "flex-unify-server-source"
HTTP_API = "http-api"
INITIATED = "Flex - Engagement Initiated"
COMPLETED = "Flex - Engagement Completed"


def _interactions() -> list[tuple[str, dict[str, Any]]]:
    """Three interactions of the customer: two inbound voice calls and an outbound SMS."""
    calls = [
        ("Inbound", "voice", 312, "WK0001", "neutral", "Billing"),
        ("Outbound", "sms", 95, "WK0002", "positive", "Renewal"),
        ("Inbound", "voice", 188, "WK0003", "positive", "Upgrade"),
    ]
    events = []
    for index, (direction, channel, duration, agent, sentiment, topic) in enumerate(calls):
        interaction = f"KD{index:030d}"
        events.append(
            (
                INITIATED,
                {
                    "direction": direction,
                    "channelType": channel,
                    "duration": duration,
                    "lastKnownAgentWorkerSid": agent,
                    "interactionSid": interaction,
                },
            )
        )
        codes = {"topic": topic, "dispositionCode": "Resolved"}
        events.append(
            (COMPLETED, {"sentiment": sentiment, "codes": codes, "interactionSid": interaction})
        )
    return events


def seed_accounts(warehouse: LocalPostgres, query: str) -> str:
    """Create the table the model reads (``<schema>.accounts``) with ACCOUNTS; its name."""
    found = re.search(r"FROM\s+([A-Za-z_][\w]*)\.([A-Za-z_]\w*)", query, re.IGNORECASE)
    schema, table = (found.group(1), found.group(2)) if found else ("salesforce", "accounts")
    rows = ",\n".join(
        "(" + ", ".join("'" + value.replace("'", "''") + "'" for value in row) + ")"
        for row in ACCOUNTS
    )
    warehouse.execute(
        f'CREATE SCHEMA IF NOT EXISTS "{schema}";'
        f'DROP TABLE IF EXISTS "{schema}"."{table}";'
        f'CREATE TABLE "{schema}"."{table}" (id text PRIMARY KEY, name text, person_email text,'
        f" phone text, industry text);"
        f'INSERT INTO "{schema}"."{table}" VALUES {rows};'
    )
    return f"{schema}.{table}"


def _one(mapping: Any) -> str | None:
    if isinstance(mapping, Mapping) and mapping:
        return str(next(iter(mapping.values())))
    return None


def run_model_once(api: httpx.Client, outputs: Mapping[str, Any], warehouse: LocalPostgres) -> None:
    model_id = _one(outputs.get("reverseEtlModelIds"))
    subscription_id = _one(outputs.get("sendIdentifySubscriptionIds"))
    source_id = outputs.get("reverseEtlSourceId")
    if not (model_id and subscription_id and source_id):
        print("The stack has no Reverse ETL model and Send Identify mapping: nothing to sync.")
        return
    model = api.get(f"/reverse-etl-models/{model_id}").json()["data"]["reverseEtlModel"]
    table = seed_accounts(warehouse, model["query"])
    print(
        f"Warehouse: PostgreSQL on {warehouse.host}:{warehouse.port}, "
        f"{len(ACCOUNTS)} rows in {table}"
    )
    started = api.post(
        "/reverse-etl-syncs",
        json={"sourceId": source_id, "modelId": model_id, "subscriptionId": subscription_id},
    )
    started.raise_for_status()
    sync_id = started.json()["data"]["reverseETLManualSync"]["syncId"]
    status = api.get(f"/reverse-etl-models/{model_id}/syncs/{sync_id}").json()["data"][
        "reverseETLSyncStatus"
    ]
    extract, load = status["extractPhase"], status["loadPhase"]
    print(
        f"Reverse ETL sync {status['syncStatus']}: {extract['extractCount']} rows read "
        f"({model['query']}), {extract['addedCount']} new and {extract['updatedCount']} changed "
        f"since the last sync, {load['deliverSuccessCount']} identify calls delivered"
        + (f"; {status['error']}" if status.get("error") else "")
    )


def _flex_source(api: httpx.Client, admin: str, space_id: str) -> str:
    """flex-unify-server-source's write key, the source made and connected if missing."""
    sources = api.get("/sources", params={"pagination.count": 200}).json()["data"]["sources"]
    source = next((s for s in sources if s["slug"] == FLEX_SOURCE_SLUG), None)
    if source is None:
        catalog = api.get("/catalog/sources", params={"pagination.count": 200}).json()["data"]
        metadata = next(m for m in catalog["sourcesCatalog"] if m["slug"] == HTTP_API)
        made = api.post(
            "/sources",
            json={"slug": FLEX_SOURCE_SLUG, "enabled": True, "metadataId": metadata["id"]},
        )
        made.raise_for_status()
        source = made.json()["data"]["source"]
    httpx.put(f"{admin}/spaces/{space_id}/sources/{source['id']}", timeout=30).raise_for_status()
    return str(source["writeKeys"][0])


def visit_website(url: str, api: httpx.Client, admin: str, outputs: Mapping[str, Any]) -> int:
    """Each of the stack's event sources connected to the space, and one page view through it
    (Segment's Python library); how many sources."""
    from segment.analytics import Client

    space_id = str(outputs["spaceId"])
    source_ids = outputs.get("sourceIds")
    sent = 0
    errors: list[Exception] = []
    for source_id in (source_ids or {}).values() if isinstance(source_ids, Mapping) else []:
        source = api.get(f"/sources/{source_id}").json()["data"]["source"]
        httpx.put(f"{admin}/spaces/{space_id}/sources/{source_id}", timeout=30).raise_for_status()
        client = Client(
            source["writeKeys"][0], host=url, on_error=lambda error, _: errors.append(error)
        )
        client.page(CUSTOMER, name="Pricing", message_id=f"demo-visit-{source_id}")
        client.flush()
        client.shutdown()
        if errors:
            raise RuntimeError(f"Segment's library could not send: {errors[0]}")
        sent += 1
    return sent


def send_flex_interactions(url: str, write_key: str, user_id: str) -> int:
    """Through Segment's Python library, pointed at the emulator's host."""
    from segment.analytics import Client

    errors: list[Exception] = []
    client = Client(write_key, host=url, on_error=lambda error, _: errors.append(error))
    start = datetime.now(timezone.utc) - timedelta(days=3)
    events = _interactions()
    for index, (event, properties) in enumerate(events):
        # Fixed message ids: a second demo run is de-duplicated, as Segment de-duplicates.
        client.track(
            user_id,
            event,
            properties,
            timestamp=start + timedelta(hours=index),
            message_id=f"demo-flex-{user_id}-{index}",
        )
    client.flush()
    client.shutdown()
    if errors:
        raise RuntimeError(f"Segment's library could not send: {errors[0]}")
    return len(events)


def print_profile(profiles: httpx.Client, space_id: str, user_id: str) -> None:
    base = f"/v1/spaces/{space_id}/collections/users/profiles/user_id:{user_id}"
    found = profiles.get(f"{base}/traits", params={"limit": 200})
    if found.status_code == 404:
        print(f"No profile for user_id:{user_id}.")
        return
    found.raise_for_status()
    traits: dict[str, Any] = found.json()["traits"]
    ids = profiles.get(f"{base}/external_ids").json()["data"]
    flex_keys = list(FLEX_TRAIT_KEYS)
    print()
    print(f'The customer, as Twilio Studio\'s "Search for a Profile" reads it (user_id:{user_id}):')
    print("  identifiers:")
    for row in ids:
        print(f"    {row['type']:<14} {row['id']}")
    print("  traits from the warehouse (Reverse ETL, Send Identify):")
    for key in sorted(k for k in traits if k not in flex_keys):
        print(f"    {key:<30} {traits[key]}")
    print("  Flex traits (computed from the interactions):")
    for key in flex_keys:
        print(f"    {key:<30} {traits.get(key, '(no value)')}")


def show_customer(
    url: str,
    public_token: str,
    profile_token: str,
    outputs: Mapping[str, Any],
    warehouse: LocalPostgres | None,
) -> None:
    space_id = str(outputs["spaceId"])
    admin = f"{url}/__emulator"
    headers = {"Authorization": f"Bearer {public_token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=60) as api:
        if warehouse is not None:
            run_model_once(api, outputs, warehouse)
        write_key = _flex_source(api, admin, space_id)
        visited = visit_website(url, api, admin, outputs)
    if visited:
        print(f"Website: {visited} source(s) connected to the space, a page view sent through each")
    sent = send_flex_interactions(url, write_key, CUSTOMER)
    print(f"Flex: {sent} interaction events sent through segment-analytics-python")
    auth = httpx.BasicAuth(profile_token, "")
    with httpx.Client(base_url=f"{url}/profile-api", auth=auth, timeout=60) as profiles:
        print_profile(profiles, space_id, CUSTOMER)
