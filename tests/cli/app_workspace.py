"""A Unify setup made the way Segment's app makes one: raw Public API requests, not this package.

``build`` POSTs (and, where Segment's app does, PATCHes) sources, a warehouse and its source
connection, a Reverse ETL source and model, a Segment Profiles destination with two Send
Identify mappings, Profiles Sync, computed traits with nested conditions and an audience into
one space of a seeded emulator; what it made is returned by kind, for the tests to compare
against what `segment-unify export` wrote.
"""

from __future__ import annotations

from typing import Any

import httpx

JAVASCRIPT = "IqDTy1TpoU"
SALESFORCE = "2baks93n"
RETL_POSTGRES = "WvlvcGEJsT"
POSTGRES_WAREHOUSE = "55d3d3aea3c"
SNOWFLAKE_WAREHOUSE = "CCIl4HLQPz"
SEGMENT_PROFILES = "639c2dbb1309fdcad13951b6"
SEND_IDENTIFY = "vm2tNA5U1zxUusQkdC4D7Z"

TRAITS = {
    "Inbound calls 30d": (
        "event('Flex - Engagement Initiated')"
        ".where(property('direction') = 'Inbound' AND property('channelType') = 'voice')"
        ".within(30 days).count()"
    ),
    "Last agent": "event('Flex - Engagement Initiated').last(property('lastKnownAgentWorkerSid'))",
    "Unhappy chats": (
        "event('Flex - Engagement Completed')"
        ".where(property('sentiment') = 'negative' OR (property('sentiment') = 'neutral'"
        " AND property('sentiment') != 'positive')).count()"
    ),
}
AUDIENCE = (
    "trait('likelihood_to_churn') > 0.5 AND event('Flex - Engagement Initiated').count() >= 2"
)
WAREHOUSE_SETTINGS = {
    "hostname": "db.example.com",
    "port": "5432",
    "database": "segment",
    "username": "segment",
    "password": "s3cret-password",
}


def _data(response: httpx.Response, key: str) -> dict[str, Any]:
    assert response.status_code < 300, (
        f"{response.request.method} {response.request.url}: {response.text}"
    )
    found: dict[str, Any] = response.json()["data"][key]
    return found


def space_id(api: httpx.Client, slug: str) -> str:
    spaces = _data(api.get("/spaces"), "spaces")
    return str(next(s["id"] for s in spaces if s["slug"] == slug))


def build(api: httpx.Client, space_slug: str) -> dict[str, Any]:
    """Everything the guide "Connect an Existing Segment Workspace" starts from, in one space."""
    made: dict[str, Any] = {}
    web = _data(
        api.post("/sources", json={"slug": "website", "enabled": True, "metadataId": JAVASCRIPT}),
        "source",
    )
    # Segment's app names a source after it is made (the create takes no name).
    api.patch(f"/sources/{web['id']}", json={"name": "Website"}).raise_for_status()
    sf = _data(
        api.post(
            "/sources", json={"slug": "salesforce-crm", "enabled": True, "metadataId": SALESFORCE}
        ),
        "source",
    )
    api.patch(f"/sources/{sf['id']}", json={"name": "Salesforce CRM"}).raise_for_status()
    made["sources"] = [web, sf]
    warehouse = _data(
        api.post(
            "/warehouses",
            json={
                "metadataId": POSTGRES_WAREHOUSE,
                "settings": {**WAREHOUSE_SETTINGS, "name": "Analytics"},
                "disconnectAllSources": True,
            },
        ),
        "warehouse",
    )
    made["warehouse"] = warehouse
    api.post(f"/warehouses/{warehouse['id']}/connected-sources/{sf['id']}").raise_for_status()
    retl = _data(
        api.post(
            "/sources",
            json={"slug": "warehouse-retl", "enabled": True, "metadataId": RETL_POSTGRES},
        ),
        "source",
    )
    made["reverse_etl_source"] = retl
    models = []
    for name, query in (
        ("Accounts", "SELECT * FROM crm.accounts"),
        ("Contacts", "SELECT * FROM crm.contacts"),
    ):
        body = {
            "sourceId": retl["id"],
            "name": name,
            "description": f"{name} from the CRM",
            "enabled": True,
            "query": query,
            "queryIdentifierColumn": "id",
        }
        models.append(_data(api.post("/reverse-etl-models", json=body), "reverseEtlModel"))
    made["models"] = models
    destination = _data(
        api.post(
            "/destinations",
            json={
                "sourceId": retl["id"],
                "metadataId": SEGMENT_PROFILES,
                "name": "Profiles from the warehouse",
                "settings": {},
                "enabled": True,
            },
        ),
        "destination",
    )
    made["destination"] = destination
    mappings = []
    for model in models:
        body = {
            "name": f"{model['name']} to profiles",
            "actionId": SEND_IDENTIFY,
            "trigger": 'event = "new" or event = "updated"',
            "enabled": True,
            "settings": {
                "engage_space": "0123456789abcdef0123456789abcdef",
                "user_id": {"@path": "$.properties.id"},
                "traits": {"email": {"@path": "$.properties.email"}},
            },
            "modelId": model["id"],
        }
        path = f"/destinations/{destination['id']}/subscriptions"
        sub = _data(api.post(path, json=body), "destinationSubscription")
        schedule = {"strategy": "PERIODIC", "config": {"interval": "24h"}}
        api.patch(
            f"{path}/{sub['id']}", json={"input": {"reverseETLSchedule": schedule}}
        ).raise_for_status()
        mappings.append(sub)
    made["mappings"] = mappings
    return made | build_space(api, space_slug)


def build_space(api: httpx.Client, space_slug: str) -> dict[str, Any]:
    """Profiles Sync, the computed traits and the audience of one space."""
    made: dict[str, Any] = {}
    space = space_id(api, space_slug)
    made["space_id"] = space
    profiles = {
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
    made["profiles_warehouse"] = _data(
        api.post(f"/spaces/{space}/profiles-warehouses", json=profiles), "profilesWarehouse"
    )
    made["traits"] = [
        _data(
            api.post(
                f"/spaces/{space}/computed-traits",
                json={
                    "name": name,
                    "enabled": True,
                    "definition": {"type": "USERS", "query": query},
                },
            ),
            "computedTrait",
        )
        for name, query in TRAITS.items()
    ]
    made["audience"] = _data(
        api.post(
            f"/spaces/{space}/audiences",
            json={
                "name": "Likely churners",
                "audienceType": "USERS",
                "description": "Churn risk with recent calls",
                "definition": {"query": AUDIENCE},
            },
        ),
        "audience",
    )
    return made
