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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._catalog_field import with_program_slug
from segment_unify.provider.resources._catalog_lookup import ResolvesCatalogSlugs
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._test_connection import require_connection

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.warehouse import WarehouseInputs

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "WarehouseInputs")


@dataclass
class WarehouseArgs:
    """Arguments of a ``Warehouse``."""

    catalog_slug: pulumi.Input[str] | None = None
    """``postgres``, ``bigquery``, ``redshift`` or ``snowflake``."""
    metadata_id: pulumi.Input[str] | None = None
    """Catalog metadata id, for entries ``catalog_slug`` does not know."""
    name: pulumi.Input[str] | None = None
    """Autonamed from the resource name if omitted."""
    enabled: pulumi.Input[bool] = True
    settings: pulumi.Input[Mapping[str, Any]] | None = field(default=None, repr=False)
    """Connection settings and credentials (a secret output)."""


def warehouse_state(warehouse: Mapping[str, Any]) -> dict[str, Any]:
    metadata = warehouse.get("metadata") or {}
    settings = dict(warehouse.get("settings") or {})
    name = settings.pop("name", None)
    return {
        "name": name,
        "enabled": bool(warehouse.get("enabled")),
        "settings": settings,
        "metadata_id": metadata.get("id"),
        "catalog_slug": metadata.get("slug"),
        "workspace_id": warehouse.get("workspaceId"),
    }


class WarehouseProvider(ResolvesCatalogSlugs, SegmentProvider["WarehouseInputs"]):
    catalog_family: ClassVar[str] = "warehouses"
    kind = "warehouse"
    inputs_model = LazyModel("WarehouseInputs")
    replace_on = frozenset({"metadata_id"})
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("metadata_id",)

    def extra_failures(self, inputs: WarehouseInputs) -> list[dyn.CheckFailure]:
        failures = inputs.catalog_failures()
        if "name" in inputs.settings:
            # Segment keeps the name in settings.name; two places for it would drift apart.
            failures.append(
                dyn.CheckFailure("settings", "give the name as name, not settings.name")
            )
        return failures

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        return with_program_slug(state, props, catalog.WAREHOUSES)

    def segment_create(
        self, client: SegmentClient, inputs: WarehouseInputs
    ) -> tuple[str, dict[str, Any]]:
        assert inputs.metadata_id is not None  # resolved from the catalog before a create
        require_connection(
            client, f"warehouse {inputs.name!r}", inputs.metadata_id, inputs.settings
        )
        body = {
            "metadataId": inputs.metadata_id,
            "name": inputs.name,
            "enabled": inputs.enabled,
            "settings": inputs.settings,
            # Segment would otherwise load every source of the workspace into it, another
            # stack's included; the program declares the connections it wants.
            "disconnectAllSources": True,
        }
        warehouse = client.post("CreateWarehouse", "/warehouses", body)["warehouse"]
        return warehouse["id"], warehouse_state(warehouse)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        warehouse = client.get("GetWarehouse", f"/warehouses/{id_}")["warehouse"]
        return with_program_slug(warehouse_state(warehouse), prior, catalog.WAREHOUSES)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: WarehouseInputs, changed: set[str]
    ) -> dict[str, Any]:
        if "settings" in changed and inputs.metadata_id is not None:
            what = f"warehouse {inputs.name!r}"
            require_connection(client, what, inputs.metadata_id, inputs.settings, creating=False)
        # Segment's PATCH requires settings every time; sending ours unchanged is a no-op.
        body: dict[str, Any] = {"settings": inputs.settings}
        if "name" in changed:
            body["name"] = inputs.name
        if "enabled" in changed:
            body["enabled"] = inputs.enabled
        warehouse = client.patch("UpdateWarehouse", f"/warehouses/{id_}", body)["warehouse"]
        return warehouse_state(warehouse)

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteWarehouse", f"/warehouses/{id_}")

    def segment_find(
        self, client: SegmentClient, inputs: WarehouseInputs
    ) -> tuple[str, dict[str, Any]] | None:
        for warehouse in client.paginate("ListWarehouses", "/warehouses", "warehouses"):
            state = warehouse_state(warehouse)
            if state["name"] == inputs.name and state["metadata_id"] == inputs.metadata_id:
                return warehouse["id"], state
        return None


class Warehouse(SegmentResource, module="segment", name="Warehouse"):
    """A Segment warehouse. ``Warehouse("dw", catalog_slug="postgres", settings={...})``."""

    _segment_provider = WarehouseProvider()
    _args_type = WarehouseArgs
    _computed = ("workspace_id",)
    _secret_outputs = ("settings",)

    catalog_slug: pulumi.Output[str]
    metadata_id: pulumi.Output[str]
    name: pulumi.Output[str]
    enabled: pulumi.Output[bool]
    settings: pulumi.Output[dict[str, Any]]
    workspace_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: WarehouseArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
