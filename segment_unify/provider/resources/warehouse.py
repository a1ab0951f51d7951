"""``Warehouse``: a Segment warehouse (Postgres, BigQuery, Redshift, Snowflake).

Segment: ``POST /warehouses`` (201), ``GET|PATCH|DELETE /warehouses/{id}``. Segment keeps the
warehouse's name inside its settings (``settings.name``) and masks credentials there on every
answer, so the state keeps the credentials last written (the whole ``settings`` output is
secret). The natural key is name + catalog entry; a lost create is resolved by finding both in
``GET /warehouses``. Changing the catalog entry replaces the warehouse; name, enabled and
settings are updated. Not handled: a key removed from ``settings`` stays in Segment (PATCH
merges settings key by key). A new warehouse is connected to no source
(``disconnectAllSources``): ``WarehouseSourceConnection`` declares the connections.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog
from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._catalog_field import with_program_slug
from segment_unify.provider.resources._catalog_lookup import ResolvesCatalogSlugs
from segment_unify.provider.resources._catalog_settings import read_reverse_etl_options
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._declare import Args, Prop, out, to_segment
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._test_connection import require_connection

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient


class WarehouseArgs(Args):
    """Arguments of a ``Warehouse``."""

    check_base: ClassVar[str] = "warehouse.WarehouseChecks"

    catalog_slug: Prop[str] = fields.catalog_slug(default=None)
    """Catalog slug, e.g. ``postgres``, ``bigquery``, ``redshift`` or ``snowflake``."""
    metadata_id: Prop[str] = fields.metadata_id(default=None)
    """Catalog metadata id, for entries ``catalog_slug`` does not know; a change replaces the
    warehouse."""
    name: Prop[str] = fields.autonamed(default=None, answer="settings.name")
    """Autonamed from the resource name if omitted. Segment keeps it in ``settings.name``."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether Segment loads data into it."""
    settings: Prop[Mapping[str, Any]] = fields.settings(default={}, secret=True, write_only=True)
    """Connection settings and credentials (a secret output; Segment masks them, so state keeps what
    was written)."""
    workspace_id: Prop[str] = out(segment="workspaceId")
    """The workspace the warehouse is in."""


class WarehouseProvider(ResolvesCatalogSlugs, SegmentProvider[Any]):
    catalog_family: ClassVar[str] = "warehouses"
    kind = "warehouse"
    declaration = WarehouseArgs
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("metadata_id",)

    def extra_failures(self, inputs: Any) -> list[dyn.CheckFailure]:
        failures: list[dyn.CheckFailure] = inputs.catalog_failures()
        if "name" in inputs.settings:
            # Segment keeps the name in settings.name; two places for it would drift apart.
            failures.append(
                dyn.CheckFailure("settings", "give the name as name, not settings.name")
            )
        return failures

    def state(self, answer: Mapping[str, Any]) -> dict[str, Any]:
        state = super().state(answer)
        # Segment keeps the name in settings: it is the name output, not a setting.
        state["settings"] = {k: v for k, v in state["settings"].items() if k != "name"}
        return state

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        return with_program_slug(state, props, catalog.WAREHOUSES)

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        metadata_id = inputs.metadata_id
        assert metadata_id is not None  # resolved from the catalog before a create
        # A read beside the Test Connection, for the Reverse ETL source made next: one round
        # trip for both instead of one each.
        concurrently(
            lambda: require_connection(
                client, f"warehouse {inputs.name!r}", metadata_id, inputs.settings
            ),
            lambda: read_reverse_etl_options(client, metadata_id),
        )
        body = to_segment(WarehouseArgs, inputs.model_dump(), step="create")
        # Segment would otherwise load every source of the workspace into it, another stack's
        # included; the program declares the connections it wants.
        body["disconnectAllSources"] = True
        warehouse = client.post("CreateWarehouse", "/warehouses", body)["warehouse"]
        return warehouse["id"], self.state(warehouse)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        warehouse = client.get("GetWarehouse", f"/warehouses/{id_}")["warehouse"]
        return with_program_slug(self.state(warehouse), prior, catalog.WAREHOUSES)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        if "settings" in changed and inputs.metadata_id is not None:
            what = f"warehouse {inputs.name!r}"
            require_connection(client, what, inputs.metadata_id, inputs.settings, creating=False)
        # Segment's PATCH requires settings every time; sending ours unchanged is a no-op.
        sent = {*changed, "settings"}
        body = to_segment(WarehouseArgs, inputs.model_dump(), step="update", only=sent)
        warehouse = client.patch("UpdateWarehouse", f"/warehouses/{id_}", body)["warehouse"]
        return self.state(warehouse)

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteWarehouse", f"/warehouses/{id_}")

    def segment_matches(
        self, client: SegmentClient, inputs: Any
    ) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for warehouse in client.paginate("ListWarehouses", "/warehouses", "warehouses"):
            state = self.state(warehouse)
            if state["name"] == inputs.name and state["metadata_id"] == inputs.metadata_id:
                found.append((warehouse["id"], state))
        return found


class Warehouse(SegmentResource[WarehouseArgs], WarehouseArgs, module="segment", name="Warehouse"):
    """A Segment warehouse: ``Warehouse("dw", catalog_slug="postgres", settings={...})``."""

    _segment_provider = WarehouseProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: WarehouseArgs,
            opts: pulumi.ResourceOptions | None = None,
            *,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        @overload
        def __init__(
            self,
            resource_name: str,
            args: None = None,
            opts: pulumi.ResourceOptions | None = None,
            *,
            catalog_slug: pulumi.Input[str] | None = None,
            metadata_id: pulumi.Input[str] | None = None,
            name: pulumi.Input[str] | None = None,
            enabled: pulumi.Input[bool] | None = True,
            settings: pulumi.Input[Mapping[str, Any]] | None = {},  # noqa: B006
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
