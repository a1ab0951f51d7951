"""Shared state and helpers of the backend: store, catalog, ownership checks, rendering.

Every object belongs to one workspace; an object of another workspace is reported exactly
like a missing one (404), as Segment does for a token scoped to one workspace.
"""

from __future__ import annotations

from typing import Any, TypeVar

from .catalog import Catalog, JsonObject
from .errors import NotFound, ValidationFailure
from .ids import digest
from .inputs import UpdateProfilesWarehouseInput, UpdateWarehouseInput
from .masking import mask_settings, omit_secrets, patch_settings
from .records import (
    AudienceRecord,
    ProfilesWarehouseRecord,
    Record,
    SourceRecord,
    SpaceObject,
    SpaceRecord,
    WarehouseRecord,
    WorkspaceRecord,
)
from .store import Store

R = TypeVar("R", bound=Record)
S = TypeVar("S", bound=SpaceObject)

SUCCESS: JsonObject = {"status": "SUCCESS"}


def patch_warehouse(
    warehouse: WarehouseRecord | ProfilesWarehouseRecord,
    body: UpdateWarehouseInput | UpdateProfilesWarehouseInput,
) -> None:
    """The PATCH both kinds of warehouse take: Segment keeps a warehouse's name in its settings."""
    warehouse.settings = patch_settings(warehouse.settings, body.settings)
    if body.name is not None:
        warehouse.settings["name"] = body.name
    if body.enabled is not None:
        warehouse.enabled = body.enabled


class BackendCore:
    def __init__(self, store: Store, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog

    def audience_size(self, audience: AudienceRecord) -> JsonObject | None:
        """GetAudience's `size`, where the backend computes membership (`backend_previews`)."""
        return None

    # -- auth ---------------------------------------------------------------------------
    def workspace_for_token(self, token: str) -> WorkspaceRecord | None:
        token_digest = digest(token)
        for workspace in self.store.list(WorkspaceRecord):
            if token_digest in workspace.token_digests:
                return workspace
        return None

    # -- lookups ------------------------------------------------------------------------
    def owned(
        self, cls: type[R], workspace: WorkspaceRecord, object_id: str, message: str | None = None
    ) -> R:
        record = self.store.get(cls, object_id)
        if record is None or record.workspace_id != workspace.id:
            raise NotFound(message)
        return record

    def space(self, workspace: WorkspaceRecord, space_id: str) -> SpaceRecord:
        return self.owned(SpaceRecord, workspace, space_id)

    def in_space(
        self, cls: type[S], workspace: WorkspaceRecord, space_id: str, object_id: str
    ) -> S:
        """An object of the space; one of another space is as missing as an unknown id."""
        space = self.space(workspace, space_id)
        record = self.owned(cls, workspace, object_id)
        if record.space_id != space.id:
            raise NotFound()
        return record

    def delete_in_space(
        self, cls: type[S], workspace: WorkspaceRecord, space_id: str, object_id: str
    ) -> JsonObject:
        """Delete an object of the space that has nothing hanging off it."""
        with self.store.lock:
            self.store.delete(cls, self.in_space(cls, workspace, space_id, object_id).id)
        return dict(SUCCESS)

    def metadata(self, family: str, metadata_id: str, field: str = "metadataId") -> JsonObject:
        entry = self.catalog.get(family, metadata_id)
        if entry is None:
            raise ValidationFailure(f'"{field}" does not name a known catalog item', field=field)
        return entry

    def referenced(self, cls: type[R], workspace: WorkspaceRecord, object_id: str, field: str) -> R:
        """An object named in a request body: unknown ids are a 422 on that field."""
        record = self.store.get(cls, object_id)
        if record is None or record.workspace_id != workspace.id:
            raise ValidationFailure(f'"{field}" does not name an existing object', field=field)
        return record

    # -- rendering ----------------------------------------------------------------------
    def render_source(self, source: SourceRecord) -> JsonObject:
        return {
            "id": source.id,
            "slug": source.slug,
            "name": source.name,
            "metadata": self.catalog.get("sources", source.metadata_id),
            "workspaceId": source.workspace_id,
            "enabled": source.enabled,
            "writeKeys": list(source.write_keys),
            "settings": mask_settings(source.settings),
            "labels": list(source.labels),
        }

    def render_warehouse(self, warehouse: WarehouseRecord) -> JsonObject:
        secrets = self.catalog.secret_options("warehouses", warehouse.metadata_id)
        return {
            "id": warehouse.id,
            "metadata": self.catalog.get("warehouses", warehouse.metadata_id),
            "workspaceId": warehouse.workspace_id,
            "enabled": warehouse.enabled,
            "settings": omit_secrets(warehouse.settings, secrets),
        }

    def warehouse_settings(
        self, metadata_id: str, settings: dict[str, Any], name: str | None, default_name: str
    ) -> dict[str, Any]:
        """Settings as Segment stores them: catalog defaults added, the name kept inside."""
        stored = self.catalog.option_defaults("warehouses", metadata_id) | dict(settings)
        if name is not None:
            stored["name"] = name
        stored.setdefault("name", default_name)
        return stored
