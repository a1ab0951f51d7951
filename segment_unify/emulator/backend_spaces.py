"""Unify spaces and what lives in them besides computations: events and traits seen,
profiles warehouses (Profiles Sync).

Rules emulated: spaces exist only by seeding (no Public API route creates one);
`GET .../traits` lists seeded traits (predictions included, as COMPUTED), and computed traits
(COMPUTED) and audiences (AUDIENCE) once a profile carries them (not when they are made:
`backend_trait_values.carried_computations`); profiles warehouse settings are masked, hold
the name in `settings.name` and get catalog defaults. Not emulated: sorting of events and traits
(insertion order is kept; event properties sort by name on request), selective sync.
"""

from __future__ import annotations

from .backend_core import patch_warehouse
from .backend_trait_values import TraitValuesMixin
from .catalog import JsonObject
from .errors import NotFound
from .ids import new_id
from .inputs import (
    CreateProfilesWarehouseInput,
    EventPropertiesQuery,
    UpdateProfilesWarehouseInput,
)
from .masking import mask_settings
from .pagination import PageRequest
from .records import (
    EventRecord,
    ProfilesWarehouseRecord,
    SpaceRecord,
    TraitRecord,
    WorkspaceRecord,
)


class SpacesMixin(TraitValuesMixin):
    # -- spaces, events, traits ---------------------------------------------------------
    @staticmethod
    def render_space(space: SpaceRecord) -> JsonObject:
        return {"id": space.id, "slug": space.slug, "name": space.name}

    def list_spaces(self, workspace: WorkspaceRecord, page: PageRequest) -> JsonObject:
        rendered = [self.render_space(s) for s in self.store.list(SpaceRecord, workspace.id)]
        return page.listing("spaces", rendered)

    def get_space(self, workspace: WorkspaceRecord, space_id: str) -> JsonObject:
        return {"space": self.render_space(self.space(workspace, space_id))}

    def list_events(
        self, workspace: WorkspaceRecord, space_id: str, page: PageRequest, search: str | None
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        events = [
            {"name": e.name, "type": e.type, "lastSeenAt": e.last_seen_at}
            for e in self.store.list(EventRecord, workspace.id, space.id)
            if not search or search.lower() in e.name.lower()
        ]
        return page.listing("events", events)

    def list_event_properties(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        event_name: str,
        page: PageRequest,
        query: EventPropertiesQuery,
    ) -> JsonObject:
        """ListPropertiesFromEvent: the property names the event's messages carried (404 for
        an event the space has not seen), sample values when asked for."""
        space = self.space(workspace, space_id)
        event = self.store.get(EventRecord, f"{space.id}:{event_name}")
        if event is None or event.workspace_id != workspace.id:
            raise NotFound()
        properties: list[JsonObject] = []
        for name, samples in event.properties.items():
            if query.search and query.search.lower() not in name.lower():
                continue
            item: JsonObject = {
                "name": name,
                "type": "PROPERTY",
                "eventName": event.name,
                "lastSeenAt": event.last_seen_at,
            }
            if query.include_sample_values:
                item["samples"] = samples[: query.samples_count]
            properties.append(item)
        if query.sort_by == "name":
            properties.sort(key=lambda p: str(p["name"]), reverse=query.sort_dir == "desc")
        return page.listing("eventProperties", properties)

    def list_traits(
        self, workspace: WorkspaceRecord, space_id: str, page: PageRequest, search: str | None
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        traits: list[JsonObject] = []
        for seen in self.store.list(TraitRecord, workspace.id, space.id):
            trait: JsonObject = {
                "trait": seen.trait,
                "type": seen.type,
                "lastSeenAt": seen.last_seen_at,
            }
            if seen.samples is not None:
                trait["samples"] = list(seen.samples)
            traits.append(trait)
        # A computed trait or audience is listed once a profile carries it, not when made.
        traits += self.carried_computations(space)
        if search:
            traits = [t for t in traits if search.lower() in str(t["trait"]).lower()]
        return page.listing("traits", traits)

    # -- profiles warehouses ------------------------------------------------------------
    def render_profiles_warehouse(self, warehouse: ProfilesWarehouseRecord) -> JsonObject:
        rendered: JsonObject = {
            "id": warehouse.id,
            "spaceId": warehouse.space_id,
            "metadata": self.catalog.get("warehouses", warehouse.metadata_id),
            "workspaceId": warehouse.workspace_id,
            "enabled": warehouse.enabled,
            "settings": mask_settings(
                warehouse.settings, self.catalog.secret_options("warehouses", warehouse.metadata_id)
            ),
        }
        if warehouse.schema_name is not None:
            rendered["schemaName"] = warehouse.schema_name
        return rendered

    def create_profiles_warehouse(
        self, workspace: WorkspaceRecord, space_id: str, body: CreateProfilesWarehouseInput
    ) -> JsonObject:
        metadata = self.metadata("warehouses", body.metadata_id)
        with self.store.lock:
            space = self.space(workspace, space_id)
            existing = self.store.list(ProfilesWarehouseRecord, workspace.id, space.id)
            default_name = f"{metadata['name']}_{len(existing) + 1}"
            warehouse = ProfilesWarehouseRecord(
                id=new_id(),
                workspace_id=workspace.id,
                space_id=space.id,
                metadata_id=body.metadata_id,
                enabled=True if body.enabled is None else body.enabled,
                settings=self.warehouse_settings(
                    body.metadata_id, body.settings, body.name, default_name
                ),
                schema_name=body.schema_name,
            )
            self.store.put(warehouse)
        return {"profilesWarehouse": self.render_profiles_warehouse(warehouse)}

    def list_profiles_warehouses(
        self, workspace: WorkspaceRecord, space_id: str, page: PageRequest
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        rendered = [
            self.render_profiles_warehouse(w)
            for w in self.store.list(ProfilesWarehouseRecord, workspace.id, space.id)
        ]
        return page.listing("profilesWarehouses", rendered)

    def _profiles_warehouse(
        self, workspace: WorkspaceRecord, space_id: str, warehouse_id: str
    ) -> ProfilesWarehouseRecord:
        return self.in_space(ProfilesWarehouseRecord, workspace, space_id, warehouse_id)

    def update_profiles_warehouse(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        warehouse_id: str,
        body: UpdateProfilesWarehouseInput,
    ) -> JsonObject:
        with self.store.lock:
            warehouse = self._profiles_warehouse(workspace, space_id, warehouse_id)
            patch_warehouse(warehouse, body)
            if body.schema_name is not None:
                warehouse.schema_name = body.schema_name
            self.store.put(warehouse)
        return {"profilesWarehouse": self.render_profiles_warehouse(warehouse)}

    def delete_profiles_warehouse(
        self, workspace: WorkspaceRecord, space_id: str, warehouse_id: str
    ) -> JsonObject:
        return self.delete_in_space(ProfilesWarehouseRecord, workspace, space_id, warehouse_id)
