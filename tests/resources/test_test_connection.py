"""Segment's Test Connection: warehouse credentials validated before anything is made.

A warehouse and a Profiles Sync warehouse given credentials are checked with
``POST /warehouses/validation`` first; a refusal or a ``FAILED`` status fails the create with
Segment's word, and nothing is made. The emulator answers ``FAILED`` for hosts under
``.invalid`` (reserved never to resolve) and refuses settings missing a required option. A
Reverse ETL source has a catalog entry and settings of its own (``GET /catalog/sources/{id}``):
its settings are judged by that entry, not by a warehouse's Test Connection.
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from segment_unify.provider.resources.profiles_warehouse import ProfilesWarehouse
from segment_unify.provider.resources.source import Source
from segment_unify.provider.resources.warehouse import Warehouse
from tests.protocol.cases import props_of  # noqa: F401 (cases first: cases_data imports it)
from tests.protocol.cases_data import DEV_SPACE, POSTGRES_SETTINGS, SNOWFLAKE_SETTINGS, space, up
from tests.support.engine import Engine

pytestmark = pytest.mark.timeout(120)

VALIDATION = "/warehouses/validation"
UNREACHABLE = {**POSTGRES_SETTINGS, "hostname": "warehouse.acme.invalid"}


def _posts(emulator: Any, path: str) -> list[dict[str, Any]]:
    return [e for e in emulator.request_log() if e["method"] == "POST" and e["path"] == path]


def test_warehouse__credentials_segment_cannot_connect_with_fail_and_nothing_is_made(
    engine: Engine, emulator: Any
) -> None:
    with pytest.raises(grpc.RpcError) as failed:
        up(engine, Warehouse, "dw", catalog_slug="postgres", settings=UNREACHABLE)

    message = str(failed.value.details())
    assert "Test Connection" in message
    assert "status 'FAILED'" in message
    assert "nothing was created" in message
    assert UNREACHABLE["password"] not in message
    [validation] = _posts(emulator, VALIDATION)
    assert validation["body"]["metadataId"] == "55d3d3aea3c"
    assert _posts(emulator, "/warehouses") == []
    assert emulator.objects("acme-contact-center", "warehouse") == []


def test_warehouse__a_missing_required_setting_fails_with_segments_message(
    engine: Engine, emulator: Any
) -> None:
    settings = {k: v for k, v in POSTGRES_SETTINGS.items() if k != "username"}
    with pytest.raises(grpc.RpcError) as failed:
        up(engine, Warehouse, "dw", catalog_slug="postgres", settings=settings)

    message = str(failed.value.details())
    assert '"settings.username" is required' in message
    assert "nothing was created" in message
    assert _posts(emulator, "/warehouses") == []


RETL_SNOWFLAKE = "BQp3zGUgjV"
# What Segment's API returns for a Snowflake Reverse ETL source (secrets omitted), and a password.
RETL_SNOWFLAKE_SETTINGS = {
    "account": "acme.us-east-1",
    "database": "ANALYTICS",
    "username": "SEGMENT_RETL",
    "warehouse": "SEGMENT_REVERSE_ETL",
    "password": "retl-password",
}


def _catalog_reads(emulator: Any, metadata_id: str) -> list[dict[str, Any]]:
    path = f"/catalog/sources/{metadata_id}"
    return [e for e in emulator.request_log() if e["method"] == "GET" and e["path"] == path]


def test_reverse_etl_source__settings_are_judged_by_its_own_catalog_entry(
    engine: Engine, emulator: Any
) -> None:
    up(
        engine,
        Source,
        "retl",
        catalog_slug="snowflake-reverse-etl",
        settings=RETL_SNOWFLAKE_SETTINGS,
    )

    assert len(_catalog_reads(emulator, RETL_SNOWFLAKE)) == 1
    assert _posts(emulator, VALIDATION) == []  # a warehouse's Test Connection cannot judge them
    assert len(_posts(emulator, "/sources")) == 1


def test_reverse_etl_source__missing_an_option_of_its_entry_fails_naming_it(
    engine: Engine, emulator: Any
) -> None:
    settings = {k: v for k, v in RETL_SNOWFLAKE_SETTINGS.items() if k != "warehouse"}
    with pytest.raises(grpc.RpcError) as failed:
        up(engine, Source, "retl", catalog_slug="snowflake-reverse-etl", settings=settings)

    message = str(failed.value.details())
    assert "Reverse ETL source" in message and "lack 'warehouse'" in message
    assert f"catalog entry ({RETL_SNOWFLAKE!r}" in message and "nothing was created" in message
    assert RETL_SNOWFLAKE_SETTINGS["password"] not in message
    assert _posts(emulator, VALIDATION) == []
    assert _posts(emulator, "/sources") == []


def test_credentials_that_passed_are_not_tested_again_in_the_same_process(
    engine: Engine, emulator: Any
) -> None:
    """A warehouse tested once; its Reverse ETL source, given the same credentials, is judged
    by its own catalog entry, not tested again."""
    up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)
    up(engine, Source, "retl", catalog_slug="postgres-reverse-etl", settings=POSTGRES_SETTINGS)

    assert len(_posts(emulator, VALIDATION)) == 1
    assert len(_posts(emulator, "/sources")) == 1


def test_profiles_warehouse__tested_before_it_is_made(engine: Engine, emulator: Any) -> None:
    args = {
        "space_id": space(engine, DEV_SPACE).id,
        "catalog_slug": "snowflake",
        "settings": {**SNOWFLAKE_SETTINGS, "account": "acme.invalid"},
    }
    with pytest.raises(grpc.RpcError) as failed:
        up(engine, ProfilesWarehouse, "sync", **args)

    assert "Profiles Sync warehouse" in str(failed.value.details())
    posts = [e for e in emulator.request_log() if e["method"] == "POST"]
    assert not [e for e in posts if "profiles-warehouses" in e["path"]]


def test_warehouse__new_settings_are_tested_before_the_update_and_a_failure_changes_nothing(
    engine: Engine, emulator: Any
) -> None:
    made = up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)

    with pytest.raises(grpc.RpcError) as failed:
        up(engine, Warehouse, "dw", catalog_slug="postgres", settings=UNREACHABLE)

    assert "nothing was changed" in str(failed.value.details())
    assert not [e for e in emulator.request_log() if e["method"] == "PATCH"]
    [held] = [w for w in emulator.objects("acme-contact-center", "warehouse") if w["id"] == made.id]
    assert held["settings"]["hostname"] == POSTGRES_SETTINGS["hostname"]


def test_a_test_connection_answered_503_is_sent_again(engine: Engine, emulator: Any) -> None:
    """The validation makes nothing, so unlike a create it is safe to send again."""
    emulator.set_faults(
        [{"kind": "server_error", "method": "POST", "path": f"^{VALIDATION}$", "max_count": 2}]
    )

    made = up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)

    assert emulator.fault_counts().get("server_error") == 2
    assert len(_posts(emulator, VALIDATION)) == 3
    assert made.outputs["metadata_id"] == "55d3d3aea3c"


RETL_POSTGRES = "WvlvcGEJsT"


def test_a_warehouses_create_reads_its_reverse_etl_entry_so_the_source_reads_no_catalog(
    engine: Engine, emulator: Any
) -> None:
    """The stack's Reverse ETL source follows its warehouse: the warehouse reads the entry
    beside its Test Connection, and the source's create sends its POST first."""
    up(engine, Warehouse, "dw", catalog_slug="postgres", name="DW", settings=POSTGRES_SETTINGS)
    assert len(_catalog_reads(emulator, RETL_POSTGRES)) == 1
    emulator.clear_request_log()

    up(engine, Source, "retl", catalog_slug="postgres-reverse-etl", settings=POSTGRES_SETTINGS)

    assert _catalog_reads(emulator, RETL_POSTGRES) == []
    first = emulator.request_log()[0]
    assert (first["method"], first["path"]) == ("POST", "/sources")
