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
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog
from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._catalog_field import with_program_slug
from segment_unify.provider.resources._catalog_lookup import ResolvesCatalogSlugs
from segment_unify.provider.resources._declare import (
    Args,
    Prop,
    arg,
    from_segment,
    out,
    to_segment,
)
from segment_unify.provider.resources._naming import join_id, split_id
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._test_connection import require_connection

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

ID_PARTS = ("spaceId", "warehouseId")


class ProfilesWarehouseArgs(Args):
    """Arguments of a ``ProfilesWarehouse``."""

    check_base: ClassVar[str] = "warehouse.WarehouseChecks"

    space_id: Prop[str] = fields.space_id(default=..., checked=False)
    """The Unify space (``UnifySpace.space_id``) of the Profiles Sync warehouse; moving it replaces
    it."""
    catalog_slug: Prop[str] = fields.catalog_slug(default=None)
    """Catalog slug, e.g. ``postgres``, ``bigquery``, ``redshift`` or ``snowflake``."""
    metadata_id: Prop[str] = fields.metadata_id(default=None)
    """Catalog metadata id, for entries ``catalog_slug`` does not know; a change replaces the
    warehouse."""
    name: Prop[str] = fields.autonamed(default=None)
    """Autonamed from the resource name if omitted."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether Segment syncs profiles to it."""
    settings: Prop[Mapping[str, Any]] = fields.settings(default={}, secret=True, write_only=True)
    """Connection settings and credentials (a secret output)."""
    schema_name: Prop[str] = arg(
        segment="schemaName", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", default=None
    )
    """The schema profiles are written to; Segment picks one if omitted."""
    warehouse_id: Prop[str] = out(answer="id")
    """Segment's id of the warehouse."""
    workspace_id: Prop[str] = out(segment="workspaceId")
    """The workspace it is in."""


def profiles_warehouse_state(warehouse: Mapping[str, Any]) -> dict[str, Any]:
    state = from_segment(ProfilesWarehouseArgs, warehouse)
    settings = dict(state["settings"])
    # Segment's shape has no name field; like warehouses, it may keep the name in settings.
    if state["name"] is None:
        state["name"] = settings.pop("name", None)
    return {**state, "settings": settings}


def _path(space_id: str, warehouse_id: str | None = None) -> str:
    base = f"/spaces/{space_id}/profiles-warehouses"
    return f"{base}/{warehouse_id}" if warehouse_id else base


class ProfilesWarehouseProvider(ResolvesCatalogSlugs, SegmentProvider[Any]):
    catalog_family: ClassVar[str] = "warehouses"
    kind = "profiles warehouse"
    declaration = ProfilesWarehouseArgs
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("space_id", "metadata_id")
    import_id_form: ClassVar[str] = "<spaceId>/<warehouseId>"

    def extra_failures(self, inputs: Any) -> list[dyn.CheckFailure]:
        failures: list[dyn.CheckFailure] = inputs.catalog_failures()
        if "name" in inputs.settings:
            # Segment keeps the name in settings.name; two places for it would drift apart.
            failures.append(
                dyn.CheckFailure("settings", "give the name as name, not settings.name")
            )
        return failures

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        assert inputs.metadata_id is not None  # resolved from the catalog before a create
        what = f"Profiles Sync warehouse {inputs.name!r}"
        require_connection(client, what, inputs.metadata_id, inputs.settings)
        body = to_segment(ProfilesWarehouseArgs, inputs.model_dump(), step="create")
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
        inputs: Any,
        changed: set[str],
    ) -> dict[str, Any]:
        space_id, warehouse_id = split_id(id_, ID_PARTS)
        if "settings" in changed and inputs.metadata_id is not None:
            what = f"Profiles Sync warehouse {inputs.name!r}"
            require_connection(client, what, inputs.metadata_id, inputs.settings, creating=False)
        # Segment's PATCH requires settings every time; sending ours unchanged is a no-op.
        sent = {name for name in changed if getattr(inputs, name) is not None} | {"settings"}
        body = to_segment(ProfilesWarehouseArgs, inputs.model_dump(), step="update", only=sent)
        updated = client.patch(
            "UpdateProfilesWarehouseForSpaceWarehouse", _path(space_id, warehouse_id), body
        )
        return profiles_warehouse_state(updated["profilesWarehouse"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        space_id, warehouse_id = split_id(id_, ID_PARTS)
        client.delete("RemoveProfilesWarehouseFromSpace", _path(space_id, warehouse_id))

    def segment_matches(
        self, client: SegmentClient, inputs: Any
    ) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for warehouse in self._list(client, inputs.space_id):
            state = profiles_warehouse_state(warehouse)
            if state["name"] == inputs.name and state["metadata_id"] == inputs.metadata_id:
                found.append((join_id(inputs.space_id, warehouse["id"]), state))
        return found

    @staticmethod
    def _list(client: SegmentClient, space_id: str) -> list[dict[str, Any]]:
        return list(
            client.paginate("ListProfilesWarehouseInSpace", _path(space_id), "profilesWarehouses")
        )


class ProfilesWarehouse(
    SegmentResource[ProfilesWarehouseArgs],
    ProfilesWarehouseArgs,
    module="segment",
    name="ProfilesWarehouse",
):
    """Profiles Sync: ``ProfilesWarehouse("sync", space_id=..., catalog_slug="snowflake", ...)``."""

    _segment_provider = ProfilesWarehouseProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: ProfilesWarehouseArgs,
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
            space_id: pulumi.Input[str],
            catalog_slug: pulumi.Input[str] | None = None,
            metadata_id: pulumi.Input[str] | None = None,
            name: pulumi.Input[str] | None = None,
            enabled: pulumi.Input[bool] | None = True,
            settings: pulumi.Input[Mapping[str, Any]] | None = {},  # noqa: B006
            schema_name: pulumi.Input[str] | None = None,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
