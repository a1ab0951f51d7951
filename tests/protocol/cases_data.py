"""Lifecycle cases of the data path: warehouse and its source connection, Reverse ETL model,
destination, destination subscription (Send Identify over Reverse ETL), Profiles Sync.

Prerequisites (sources, a warehouse, a model, the seeded Unify spaces) are made through the
engine like any resource. Mappings and schedules are given as the dicts their builders make
(``dataclasses.asdict``, ``to_prop``), so the lifecycle can compare them with the outputs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import httpx

from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources.destination import Destination
from segment_unify.provider.resources.destination_subscription import DestinationSubscription
from segment_unify.provider.resources.profiles_warehouse import ProfilesWarehouse
from segment_unify.provider.resources.reverse_etl_model import ReverseEtlModel
from segment_unify.provider.resources.schedule import ReverseEtlSchedule
from segment_unify.provider.resources.send_identify import SendIdentifyMapping, literal
from segment_unify.provider.resources.source import Source
from segment_unify.provider.resources.unify_space import UnifySpace
from segment_unify.provider.resources.warehouse import Warehouse
from segment_unify.provider.resources.warehouse_source_connection import (
    WarehouseSourceConnection,
)
from tests.protocol.cases import Case, delete_path, props_of
from tests.support.engine import Engine, Resource

DEV_SPACE, PROD_SPACE = "unified-profiles-dev", "unified-profiles-prod"
POSTGRES_SETTINGS = {
    "hostname": "warehouse.example.com",
    "port": "5432",
    "database": "analytics",
    "username": "segment",
    "password": "not-a-real-password",
}
SNOWFLAKE_SETTINGS = {
    "account": "acme",
    "warehouse": "PROFILES",
    "database": "PROFILES_SYNC",
    "username": "segment",
    "auth_type": "password_auth",
    "password": "not-a-real-password",
}
ACCOUNTS_QUERY = "SELECT * FROM salesforce.accounts"


def up(engine: Engine, cls: type[SegmentResource], name: str, /, **kwargs: Any) -> Resource:
    """A prerequisite, made (or left as it is) through the engine."""
    return engine.up(cls.type_token(), name, props_of(cls, name, **kwargs))


def retl_source(engine: Engine, name: str = "retl-source") -> str:
    return up(engine, Source, name, catalog_slug="postgres-reverse-etl").id


def model(engine: Engine, source_id: str, name: str = "accounts-model") -> str:
    return up(
        engine,
        ReverseEtlModel,
        name,
        source_id=source_id,
        query=ACCOUNTS_QUERY,
        query_identifier_column="id",
    ).id


def space(engine: Engine, slug: str) -> Resource:
    return up(engine, UnifySpace, f"space-{slug}", slug=slug)


def send_identify(write_key: str) -> dict[str, Any]:
    """The mapping of Segment's documented Send Identify Reverse ETL export, as props."""
    mapping = SendIdentifyMapping(
        engage_space=write_key,
        user_id="user_id",
        anonymous_id="anonymous_id",
        traits={"email": "context_traits_email", "performed_order_completed": literal("yes")},
        timestamp="timestamp",
    )
    return dataclasses.asdict(mapping)


# -- arguments of each case ------------------------------------------------------------------


def _warehouse_args(engine: Engine) -> dict[str, Any]:
    return {"catalog_slug": "postgres", "settings": POSTGRES_SETTINGS}


def _connection_args(engine: Engine) -> dict[str, Any]:
    warehouse = up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)
    source = up(engine, Source, "salesforce", catalog_slug="salesforce")
    return {"warehouse_id": warehouse.id, "source_id": source.id}


def _model_args(engine: Engine) -> dict[str, Any]:
    return {
        "source_id": retl_source(engine),
        "query": ACCOUNTS_QUERY,
        "query_identifier_column": "id",
        "description": "Salesforce accounts",
    }


def _destination_args(engine: Engine) -> dict[str, Any]:
    return {"source_id": retl_source(engine), "catalog_slug": "actions-segment-profiles"}


def _subscription_args(engine: Engine) -> dict[str, Any]:
    source_id = retl_source(engine)
    destination = up(
        engine,
        Destination,
        "profiles",
        source_id=source_id,
        catalog_slug="actions-segment-profiles",
    )
    write_key = space(engine, DEV_SPACE).outputs["write_key"]
    return {
        "destination_id": destination.id,
        "model_id": model(engine, source_id),
        "mapping": send_identify(write_key),
        "schedule": ReverseEtlSchedule.periodic("1h").to_prop(),
    }


def _profiles_warehouse_args(engine: Engine) -> dict[str, Any]:
    return {
        "space_id": space(engine, DEV_SPACE).id,
        "catalog_slug": "snowflake",
        "settings": SNOWFLAKE_SETTINGS,
        "schema_name": "profiles_dev",
    }


# -- counts for lost-response tests ----------------------------------------------------------


def _items(http: httpx.Client, path: str, key: str) -> list[dict[str, Any]]:
    response = http.get(path, params={"pagination.count": 1000})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["data"][key]
    return items


def _count_warehouses(http: httpx.Client, outs: dict[str, Any]) -> int:
    warehouses = _items(http, "/warehouses", "warehouses")
    return sum(1 for w in warehouses if w["settings"].get("name") == outs["name"])


def _count_connections(http: httpx.Client, outs: dict[str, Any]) -> int:
    path = f"/warehouses/{outs['warehouse_id']}/connected-sources"
    return sum(1 for s in _items(http, path, "sources") if s["id"] == outs["source_id"])


def _count_models(http: httpx.Client, outs: dict[str, Any]) -> int:
    models = _items(http, "/reverse-etl-models", "models")
    return sum(1 for m in models if (m["name"], m["sourceId"]) == (outs["name"], outs["source_id"]))


def _count_destinations(http: httpx.Client, outs: dict[str, Any]) -> int:
    destinations = _items(http, "/destinations", "destinations")
    return sum(1 for d in destinations if d.get("name") == outs["name"])


def _count_subscriptions(http: httpx.Client, outs: dict[str, Any]) -> int:
    path = f"/destinations/{outs['destination_id']}/subscriptions"
    return sum(1 for s in _items(http, path, "subscriptions") if s["name"] == outs["name"])


def _count_profiles_warehouses(http: httpx.Client, outs: dict[str, Any]) -> int:
    path = f"/spaces/{outs['space_id']}/profiles-warehouses"
    warehouses = _items(http, path, "profilesWarehouses")
    return sum(1 for w in warehouses if w["settings"].get("name") == outs["name"])


def _with(**kwargs: Callable[[Engine], Any]) -> Callable[[Engine], dict[str, Any]]:
    """Changes whose values are prerequisites made when the step runs."""
    return lambda engine: {key: make(engine) for key, make in kwargs.items()}


CASES: list[Case] = [
    Case(
        cls=Warehouse,
        args=_warehouse_args,
        update={"name": "Analytics warehouse", "enabled": False},
        replace={"catalog_slug": "redshift"},
        delete_out_of_band=delete_path("/warehouses/{0}"),
        bad=[
            ({"catalog_slug": "Oracle DB"}, "catalog_slug"),
            ({"catalog_slug": "postgres", "metadata_id": "kwX50Df0hr"}, "metadata_id"),
            ({"enabled": "sometimes"}, "enabled"),
            ({"name": 42}, "name"),
            ({"settings": "host=db"}, "settings"),
            ({"settings": {**POSTGRES_SETTINGS, "name": "dw"}}, "settings"),
        ],
        count_in_segment=_count_warehouses,
    ),
    Case(
        cls=WarehouseSourceConnection,
        args=_connection_args,
        update={},
        replace=_with(source_id=lambda e: up(e, Source, "http-api", catalog_slug="http-api").id),
        delete_out_of_band=delete_path("/warehouses/{0}/connected-sources/{1}"),
        bad=[({"warehouse_id": ""}, "warehouse_id"), ({"source_id": 42}, "source_id")],
        count_in_segment=_count_connections,
    ),
    Case(
        cls=ReverseEtlModel,
        args=_model_args,
        update={
            "query": "SELECT id, email FROM salesforce.accounts",
            "description": "Accounts with an email",
            "enabled": False,
        },
        replace=_with(source_id=lambda e: retl_source(e, "retl-source-2")),
        delete_out_of_band=delete_path("/reverse-etl-models/{0}"),
        bad=[
            ({"query": None}, "query"),
            ({"query": "   "}, "query"),
            ({"query_identifier_column": ""}, "query_identifier_column"),
            ({"enabled": "sometimes"}, "enabled"),
            ({"source_id": ["a"]}, "source_id"),
        ],
        count_in_segment=_count_models,
    ),
    Case(
        cls=Destination,
        args=_destination_args,
        update={"name": "Segment Profiles (dev)", "enabled": False},
        replace=_with(source_id=lambda e: retl_source(e, "retl-source-2")),
        delete_out_of_band=delete_path("/destinations/{0}"),
        bad=[
            ({"catalog_slug": "actions nowhere"}, "catalog_slug"),
            ({"catalog_slug": None}, "catalog_slug"),
            ({"enabled": "sometimes"}, "enabled"),
            ({"settings": ["a"]}, "settings"),
        ],
        count_in_segment=_count_destinations,
    ),
    Case(
        cls=DestinationSubscription,
        args=_subscription_args,
        update={
            "schedule": ReverseEtlSchedule.specific_days([1, 3], [6], "Europe/Paris").to_prop(),
            "trigger": 'event = "new"',
            "enabled": False,
        },
        replace=_with(model_id=lambda e: model(e, retl_source(e), "accounts-model-2")),
        delete_out_of_band=delete_path("/destinations/{0}/subscriptions/{1}"),
        bad=[
            ({"schedule": None}, "schedule"),
            ({"schedule": ReverseEtlSchedule.periodic("7m").to_prop()}, "schedule"),
            ({"schedule": ReverseEtlSchedule.cron("*/5 * * * *").to_prop()}, "schedule"),
            ({"schedule": ReverseEtlSchedule.cron("0 9 * *").to_prop()}, "schedule"),
            ({"schedule": ReverseEtlSchedule.specific_days([7], [9]).to_prop()}, "schedule"),
            ({"schedule": ReverseEtlSchedule.specific_days([1], [24]).to_prop()}, "schedule"),
            (
                {"schedule": ReverseEtlSchedule.cron("0 * * * *", "Mars/Olympus").to_prop()},
                "schedule",
            ),
            ({"action_slug": "sendEmail"}, "action_slug"),
            ({"action_slug": "sendGroup"}, "mapping"),
            ({"settings": {"engage_space": "key"}}, "mapping"),
            ({"mapping": {"engage_space": "key", "traits": {"a": "b"}}}, "mapping"),
            ({"mapping": {"engage_space": "key", "user_id": {"a": 1, "b": 2}}}, "mapping.user_id"),
            ({"mapping": {"user_id": "user_id"}}, "mapping.engage_space"),
            ({"enabled": "sometimes"}, "enabled"),
            ({"destination_id": ""}, "destination_id"),
        ],
        count_in_segment=_count_subscriptions,
    ),
    Case(
        cls=ProfilesWarehouse,
        args=_profiles_warehouse_args,
        update={"name": "Profiles Sync (dev)", "enabled": False, "schema_name": "profiles_sync"},
        replace=_with(space_id=lambda e: space(e, PROD_SPACE).id),
        delete_out_of_band=delete_path("/spaces/{0}/profiles-warehouses/{1}"),
        bad=[
            ({"catalog_slug": "Oracle DB"}, "catalog_slug"),
            ({"schema_name": "profiles dev"}, "schema_name"),
            ({"settings": {**SNOWFLAKE_SETTINGS, "name": "sync"}}, "settings"),
            ({"space_id": None}, "space_id"),
            ({"enabled": "sometimes"}, "enabled"),
        ],
        count_in_segment=_count_profiles_warehouses,
    ),
]
