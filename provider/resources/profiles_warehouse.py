"""``ProfilesWarehouse``: Profiles Sync, a warehouse a Unify space writes its profiles to.

Segment: ``POST /spaces/{spaceId}/profiles-warehouses`` (201),
``PATCH|DELETE /spaces/{spaceId}/profiles-warehouses/{warehouseId}``; there is no GET of one,
so a read lists the space's profiles warehouses and picks the id (a missing space, or the id
absent from the list, means gone). The Pulumi id is ``<spaceId>/<warehouseId>``. Segment masks
credentials in ``settings`` on every answer; the state keeps what was last written (the whole
``settings`` output is secret), and since Segment's PATCH requires ``settings`` every time, an
update always sends them. The natural key is name + catalog entry within the space. Changing
the space or the catalog entry replaces it. Not handled: selective sync.
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
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._naming import join_id, split_id
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.profiles_warehouse import (
        ProfilesWarehouseInputs,
    )

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "ProfilesWarehouseInputs")

ID_PARTS = ("spaceId", "warehouseId")


@dataclass
class ProfilesWarehouseArgs:
    """Arguments of a ``ProfilesWarehouse``."""

    space_id: pulumi.Input[str] | None = None
    catalog_slug: pulumi.Input[str] | None = None
    """``postgres``, ``bigquery``, ``redshift`` or ``snowflake``."""
    metadata_id: pulumi.Input[str] | None = None
    """Catalog metadata id, for entries ``catalog_slug`` does not know."""
    name: pulumi.Input[str] | None = None
    """Autonamed from the resource name if omitted."""
    enabled: pulumi.Input[bool] = True
    settings: pulumi.Input[Mapping[str, Any]] | None = field(default=None, repr=False)
    """Connection settings and credentials (a secret output)."""
    schema_name: pulumi.Input[str] | None = None
    """The schema profiles are written to; Segment picks one if omitted."""


def profiles_warehouse_state(warehouse: Mapping[str, Any]) -> dict[str, Any]:
    metadata = warehouse.get("metadata") or {}
    settings = dict(warehouse.get("settings") or {})
    # Segment's shape has no name field; like warehouses, it may keep the name in settings.
    name = warehouse.get("name")
    if name is None:
        name = settings.pop("name", None)
    return {
        "space_id": warehouse.get("spaceId"),
        "warehouse_id": warehouse.get("id"),
        "name": name,
        "enabled": bool(warehouse.get("enabled")),
        "settings": settings,
        "schema_name": warehouse.get("schemaName"),
        "metadata_id": metadata.get("id"),
        "catalog_slug": metadata.get("slug"),
        "workspace_id": warehouse.get("workspaceId"),
    }


def _path(space_id: str, warehouse_id: str | None = None) -> str:
    base = f"/spaces/{space_id}/profiles-warehouses"
    return f"{base}/{warehouse_id}" if warehouse_id else base


class ProfilesWarehouseProvider(SegmentProvider["ProfilesWarehouseInputs"]):
    kind = "profiles warehouse"
    inputs_model = LazyModel("ProfilesWarehouseInputs")
    replace_on = frozenset({"space_id", "metadata_id"})
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("space_id", "metadata_id")
    import_id_form: ClassVar[str] = "<spaceId>/<warehouseId>"

    def extra_failures(self, inputs: ProfilesWarehouseInputs) -> list[dyn.CheckFailure]:
        failures = inputs.catalog_failures()
        if "name" in inputs.settings:
            # Segment keeps the name in settings.name; two places for it would drift apart.
            failures.append(
                dyn.CheckFailure("settings", "give the name as name, not settings.name")
            )
        return failures

    def segment_create(
        self, client: SegmentClient, inputs: ProfilesWarehouseInputs
    ) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any] = {
            "metadataId": inputs.metadata_id,
            "name": inputs.name,
            "enabled": inputs.enabled,
            "settings": inputs.settings,
        }
        if inputs.schema_name is not None:
            body["schemaName"] = inputs.schema_name
        created = client.post("CreateProfilesWarehouse", _path(inputs.space_id), body)
        warehouse = created["profilesWarehouse"]
        return join_id(inputs.space_id, warehouse["id"]), profiles_warehouse_state(warehouse)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        space_id, warehouse_id = split_id(id_, ID_PARTS)
        for warehouse in self._list(client, space_id):
            if warehouse.get("id") == warehouse_id:
                return self.program_view(profiles_warehouse_state(warehouse), prior)
        return None

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        state = with_program_slug(state, props, catalog.WAREHOUSES)
        if state["name"] is None and props.get("name"):
            state["name"] = props["name"]
        if props and props.get("schema_name") is None:
            # Left to Segment by the program: its choice is no difference.
            state["schema_name"] = None
        return state

    def segment_update(
        self,
        client: SegmentClient,
        id_: str,
        inputs: ProfilesWarehouseInputs,
        changed: set[str],
    ) -> dict[str, Any]:
        space_id, warehouse_id = split_id(id_, ID_PARTS)
        # Segment's PATCH requires settings every time; sending ours unchanged is a no-op.
        body: dict[str, Any] = {"settings": inputs.settings}
        for name, key in (("name", "name"), ("enabled", "enabled"), ("schema_name", "schemaName")):
            if name in changed and getattr(inputs, name) is not None:
                body[key] = getattr(inputs, name)
        updated = client.patch(
            "UpdateProfilesWarehouseForSpaceWarehouse", _path(space_id, warehouse_id), body
        )
        return profiles_warehouse_state(updated["profilesWarehouse"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        space_id, warehouse_id = split_id(id_, ID_PARTS)
        client.delete("RemoveProfilesWarehouseFromSpace", _path(space_id, warehouse_id))

    def segment_find(
        self, client: SegmentClient, inputs: ProfilesWarehouseInputs
    ) -> tuple[str, dict[str, Any]] | None:
        for warehouse in self._list(client, inputs.space_id):
            state = profiles_warehouse_state(warehouse)
            if state["name"] == inputs.name and state["metadata_id"] == inputs.metadata_id:
                return join_id(inputs.space_id, warehouse["id"]), state
        return None

    @staticmethod
    def _list(client: SegmentClient, space_id: str) -> list[dict[str, Any]]:
        return list(
            client.paginate("ListProfilesWarehouseInSpace", _path(space_id), "profilesWarehouses")
        )


class ProfilesWarehouse(SegmentResource[Any], module="segment", name="ProfilesWarehouse"):
    """Profiles Sync: ``ProfilesWarehouse("sync", space_id=..., catalog_slug="snowflake", ...)``."""

    _segment_provider = ProfilesWarehouseProvider()
    _args_type = ProfilesWarehouseArgs
    _computed = ("warehouse_id", "workspace_id")
    _secret_outputs = ("settings",)

    space_id: pulumi.Output[str]
    warehouse_id: pulumi.Output[str]
    catalog_slug: pulumi.Output[str]
    metadata_id: pulumi.Output[str]
    name: pulumi.Output[str]
    enabled: pulumi.Output[bool]
    settings: pulumi.Output[dict[str, Any]]
    schema_name: pulumi.Output[str | None]
    workspace_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: ProfilesWarehouseArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
