"""Sources, warehouses, their connections, and destinations.

Rules emulated: source slugs are unique per workspace and lowercase (422 on `slug`); the
source name defaults to the slug; a new event or cloud source is connected to every warehouse
of the workspace unless `disconnectAllWarehouses` is true, and a new warehouse to every such
source unless `disconnectAllSources` is true (Reverse ETL and `personas-compute` sources are
never connected to warehouses); connecting twice is accepted (201 again). A warehouse's name
lives in its `settings.name` (default `<Catalog name>_<n>`), and catalog option defaults are
added to its settings. PATCH merges `settings` key by key (a `null` value removes a key; a
masked value keeps the stored one). Deleting a source deletes its destinations (and their
subscriptions), Reverse ETL models and warehouse connections; a space's `personas-compute`
source cannot be deleted (422). Test Connection (`/warehouses/validation`) refuses settings
missing a required option of the catalog entry and answers `FAILED` for hosts under
`.invalid`. Not emulated: logging in to a database, labels, write-key rotation, tracking plans.
"""

from __future__ import annotations

import re

from .backend_core import SUCCESS, BackendCore, patch_warehouse
from .catalog import JsonObject
from .errors import NotFound, ValidationFailure
from .ids import new_id, new_write_key
from .inputs import (
    CreateDestinationInput,
    CreateSourceInput,
    CreateWarehouseInput,
    UpdateDestinationInput,
    UpdateSourceInput,
    UpdateWarehouseInput,
    WarehouseValidationInput,
)
from .masking import mask_settings, patch_settings
from .pagination import PageRequest
from .records import (
    ConnectionRecord,
    DestinationRecord,
    ModelRecord,
    SourceRecord,
    SubscriptionRecord,
    SyncRecord,
    WarehouseRecord,
    WorkspaceRecord,
)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_WAREHOUSE_CONNECTABLE = ("event", "cloud")
_UNREACHABLE = re.compile(r"\.invalid\.?(:\d+)?$", re.IGNORECASE)


class ConnectionsMixin(BackendCore):
    # -- sources ------------------------------------------------------------------------
    def _check_slug(
        self, workspace: WorkspaceRecord, slug: str, exclude: str | None = None
    ) -> None:
        if not _SLUG.match(slug):
            raise ValidationFailure(
                '"slug" must contain only lowercase letters, digits, "-" and "_"', field="slug"
            )
        for source in self.store.list(SourceRecord, workspace.id):
            if source.slug == slug and source.id != exclude:
                raise ValidationFailure(f'A source with slug "{slug}" already exists', field="slug")

    def _check_source_settings(self, metadata_id: str, settings: JsonObject | None) -> None:
        """A Reverse ETL source's settings, when given, hold what its own catalog entry
        requires (a 422 naming the first missing option): not its warehouse's options."""
        if not settings:
            return
        for option in self.metadata("sources", metadata_id).get("options", []):
            name = str(option["name"])
            if option.get("required") and "defaultValue" not in option and not settings.get(name):
                raise ValidationFailure(f'"settings.{name}" is required', field=f"settings.{name}")

    def create_source(self, workspace: WorkspaceRecord, body: CreateSourceInput) -> JsonObject:
        self.metadata("sources", body.metadata_id)
        kind = self.catalog.source_kind(body.metadata_id)
        if kind == "personas":
            raise ValidationFailure(
                '"metadataId" names a source only a Unify space can create', field="metadataId"
            )
        if kind == "retl":
            self._check_source_settings(body.metadata_id, body.settings)
        with self.store.lock:
            self._check_slug(workspace, body.slug)
            source = SourceRecord(
                id=new_id(),
                workspace_id=workspace.id,
                slug=body.slug,
                name=body.slug,
                metadata_id=body.metadata_id,
                enabled=body.enabled,
                write_keys=[new_write_key()],
                settings=dict(body.settings or {}),
                labels=[],
            )
            self.store.put(source)
            if kind in _WAREHOUSE_CONNECTABLE and not body.disconnect_all_warehouses:
                for warehouse in self.store.list(WarehouseRecord, workspace.id):
                    self._connect(workspace, warehouse.id, source.id)
        return {"source": self.render_source(source)}

    def list_sources(self, workspace: WorkspaceRecord, page: PageRequest) -> JsonObject:
        sources = [self.render_source(s) for s in self.store.list(SourceRecord, workspace.id)]
        return page.listing("sources", sources)

    def get_source(self, workspace: WorkspaceRecord, source_id: str) -> JsonObject:
        source = self.owned(SourceRecord, workspace, source_id)
        return {"source": self.render_source(source), "trackingPlanId": None}

    def update_source(
        self, workspace: WorkspaceRecord, source_id: str, body: UpdateSourceInput
    ) -> JsonObject:
        with self.store.lock:
            source = self.owned(SourceRecord, workspace, source_id)
            if body.slug is not None:
                self._check_slug(workspace, body.slug, exclude=source.id)
                source.slug = body.slug
            if body.name is not None:
                source.name = body.name
            if body.enabled is not None:
                source.enabled = body.enabled
            settings = patch_settings(source.settings, body.settings)
            if body.settings and self.catalog.source_kind(source.metadata_id) == "retl":
                self._check_source_settings(source.metadata_id, settings)
            source.settings = settings
            self.store.put(source)
        return {"source": self.render_source(source)}

    def delete_source(self, workspace: WorkspaceRecord, source_id: str) -> JsonObject:
        with self.store.lock:
            source = self.owned(SourceRecord, workspace, source_id)
            if source.space_id is not None:
                raise ValidationFailure(
                    "The personas-compute source of a Unify space cannot be deleted",
                    field="sourceId",
                )
            for destination in self.store.list(DestinationRecord, workspace.id):
                if destination.source_id == source.id:
                    self._delete_destination(destination)
            for model in self.store.list(ModelRecord, workspace.id):
                if model.source_id == source.id:
                    self.store.delete(ModelRecord, model.id)
                    for sync in self.store.list(SyncRecord, workspace.id, model.id):
                        self.store.delete(SyncRecord, sync.id)
            for connection in self.store.list(ConnectionRecord, workspace.id):
                if connection.source_id == source.id:
                    self.store.delete(ConnectionRecord, connection.id)
            self.store.delete(SourceRecord, source.id)
        return dict(SUCCESS)

    def list_connected_destinations(
        self, workspace: WorkspaceRecord, source_id: str, page: PageRequest
    ) -> JsonObject:
        source = self.owned(SourceRecord, workspace, source_id)
        destinations = [
            self.render_destination(d)
            for d in self.store.list(DestinationRecord, workspace.id)
            if d.source_id == source.id
        ]
        return page.listing("destinations", destinations)

    # -- warehouses ---------------------------------------------------------------------
    def create_warehouse(
        self, workspace: WorkspaceRecord, body: CreateWarehouseInput
    ) -> JsonObject:
        metadata = self.metadata("warehouses", body.metadata_id)
        with self.store.lock:
            same_kind = [
                w
                for w in self.store.list(WarehouseRecord, workspace.id)
                if w.metadata_id == body.metadata_id
            ]
            default_name = f"{metadata['name']}_{len(same_kind) + 1}"
            warehouse = WarehouseRecord(
                id=new_id(),
                workspace_id=workspace.id,
                metadata_id=body.metadata_id,
                enabled=True if body.enabled is None else body.enabled,
                settings=self.warehouse_settings(
                    body.metadata_id, body.settings, body.name, default_name
                ),
            )
            self.store.put(warehouse)
            if not body.disconnect_all_sources:
                for source in self.store.list(SourceRecord, workspace.id):
                    if self.catalog.source_kind(source.metadata_id) in _WAREHOUSE_CONNECTABLE:
                        self._connect(workspace, warehouse.id, source.id)
        return {"warehouse": self.render_warehouse(warehouse)}

    def list_warehouses(self, workspace: WorkspaceRecord, page: PageRequest) -> JsonObject:
        rendered = [
            self.render_warehouse(w) for w in self.store.list(WarehouseRecord, workspace.id)
        ]
        return page.listing("warehouses", rendered)

    def get_warehouse(self, workspace: WorkspaceRecord, warehouse_id: str) -> JsonObject:
        return {
            "warehouse": self.render_warehouse(self.owned(WarehouseRecord, workspace, warehouse_id))
        }

    def update_warehouse(
        self, workspace: WorkspaceRecord, warehouse_id: str, body: UpdateWarehouseInput
    ) -> JsonObject:
        with self.store.lock:
            warehouse = self.owned(WarehouseRecord, workspace, warehouse_id)
            patch_warehouse(warehouse, body)
            self.store.put(warehouse)
        return {"warehouse": self.render_warehouse(warehouse)}

    def delete_warehouse(self, workspace: WorkspaceRecord, warehouse_id: str) -> JsonObject:
        with self.store.lock:
            warehouse = self.owned(WarehouseRecord, workspace, warehouse_id)
            for connection in self.store.list(ConnectionRecord, workspace.id, warehouse.id):
                self.store.delete(ConnectionRecord, connection.id)
            self.store.delete(WarehouseRecord, warehouse.id)
        return dict(SUCCESS)

    def validate_warehouse(
        self, workspace: WorkspaceRecord, body: WarehouseValidationInput
    ) -> JsonObject:
        """Segment's Test Connection: settings missing a required option are refused (422,
        naming it); settings that name a host Segment cannot reach answer `FAILED`.

        Without a real database to log in to, "cannot reach" is a host under `.invalid`, the
        top-level domain reserved never to resolve (RFC 6761), in any setting (a Postgres
        `hostname`, a Snowflake `account`, a BigQuery `project`)."""
        metadata = self.metadata("warehouses", body.metadata_id)
        for option in metadata.get("options", []):
            name = str(option["name"])
            defaulted = "defaultValue" in option
            if option.get("required") and not defaulted and not body.settings.get(name):
                raise ValidationFailure(f'"settings.{name}" is required', field=f"settings.{name}")
        unreachable = any(
            isinstance(value, str) and _UNREACHABLE.search(value)
            for value in body.settings.values()
        )
        return {"status": "FAILED" if unreachable else "CONNECTED"}

    # -- warehouse <-> source connections -----------------------------------------------
    def _connect(self, workspace: WorkspaceRecord, warehouse_id: str, source_id: str) -> None:
        self.store.put(
            ConnectionRecord(
                id=f"{warehouse_id}:{source_id}",
                workspace_id=workspace.id,
                warehouse_id=warehouse_id,
                source_id=source_id,
            )
        )

    def add_connection(
        self, workspace: WorkspaceRecord, warehouse_id: str, source_id: str
    ) -> JsonObject:
        with self.store.lock:
            self.owned(WarehouseRecord, workspace, warehouse_id)
            source = self.owned(SourceRecord, workspace, source_id)
            if self.catalog.source_kind(source.metadata_id) not in _WAREHOUSE_CONNECTABLE:
                raise ValidationFailure(
                    "This source cannot be connected to a warehouse", field="sourceId"
                )
            self._connect(workspace, warehouse_id, source_id)
        return {"status": "CONNECTED"}

    def remove_connection(
        self, workspace: WorkspaceRecord, warehouse_id: str, source_id: str
    ) -> JsonObject:
        with self.store.lock:
            self.owned(WarehouseRecord, workspace, warehouse_id)
            self.owned(SourceRecord, workspace, source_id)
            if not self.store.delete(ConnectionRecord, f"{warehouse_id}:{source_id}"):
                raise NotFound("The source is not connected to this warehouse")
        return dict(SUCCESS)

    def list_connected_sources(
        self, workspace: WorkspaceRecord, warehouse_id: str, page: PageRequest
    ) -> JsonObject:
        self.owned(WarehouseRecord, workspace, warehouse_id)
        sources = []
        for connection in self.store.list(ConnectionRecord, workspace.id, warehouse_id):
            source = self.store.get(SourceRecord, connection.source_id)
            if source is not None:
                sources.append(self.render_source(source))
        return page.listing("sources", sources)

    # -- destinations -------------------------------------------------------------------
    def render_destination(self, destination: DestinationRecord) -> JsonObject:
        rendered: JsonObject = {"id": destination.id}
        if destination.name is not None:
            rendered["name"] = destination.name
        rendered |= {
            "enabled": destination.enabled,
            "metadata": self.catalog.get("destinations", destination.metadata_id),
            "sourceId": destination.source_id,
            "settings": mask_settings(
                destination.settings,
                self.catalog.secret_options("destinations", destination.metadata_id),
            ),
        }
        return rendered

    def create_destination(
        self, workspace: WorkspaceRecord, body: CreateDestinationInput
    ) -> JsonObject:
        self.metadata("destinations", body.metadata_id)
        with self.store.lock:
            self.referenced(SourceRecord, workspace, body.source_id, "sourceId")
            destination = DestinationRecord(
                id=new_id(),
                workspace_id=workspace.id,
                name=body.name,
                enabled=False if body.enabled is None else body.enabled,
                metadata_id=body.metadata_id,
                source_id=body.source_id,
                settings=dict(body.settings),
            )
            self.store.put(destination)
        return {"destination": self.render_destination(destination)}

    def list_destinations(self, workspace: WorkspaceRecord, page: PageRequest) -> JsonObject:
        rendered = [
            self.render_destination(d) for d in self.store.list(DestinationRecord, workspace.id)
        ]
        return page.listing("destinations", rendered)

    def get_destination(self, workspace: WorkspaceRecord, destination_id: str) -> JsonObject:
        destination = self.owned(DestinationRecord, workspace, destination_id)
        return {"destination": self.render_destination(destination)}

    def update_destination(
        self, workspace: WorkspaceRecord, destination_id: str, body: UpdateDestinationInput
    ) -> JsonObject:
        with self.store.lock:
            destination = self.owned(DestinationRecord, workspace, destination_id)
            if "name" in body.model_fields_set:
                destination.name = body.name
            if body.enabled is not None:
                destination.enabled = body.enabled
            destination.settings = patch_settings(destination.settings, body.settings)
            self.store.put(destination)
        return {"destination": self.render_destination(destination)}

    def _delete_destination(self, destination: DestinationRecord) -> None:
        subscriptions = self.store.list(
            SubscriptionRecord, destination.workspace_id, destination.id
        )
        for subscription in subscriptions:
            self.store.delete(SubscriptionRecord, subscription.id)
        self.store.delete(DestinationRecord, destination.id)

    def delete_destination(self, workspace: WorkspaceRecord, destination_id: str) -> JsonObject:
        with self.store.lock:
            self._delete_destination(self.owned(DestinationRecord, workspace, destination_id))
        return dict(SUCCESS)
