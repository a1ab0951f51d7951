"""Unify spaces and what lives in them: events and traits seen, computed traits, audiences,
profiles warehouses (Profiles Sync).

Rules emulated: spaces exist only by seeding (no Public API route creates one); a computed
trait's `key` is its name in snake_case, unique among the space's computed traits and
audiences (422 on `name`), and never changes; an empty or unbalanced query is a 422 on
`definition.query`; status is `Live` when enabled, `Disabled` otherwise. `GET .../traits`
lists seeded traits (predictions included, as COMPUTED), computed traits (COMPUTED) and
audiences (AUDIENCE). Profiles warehouse settings are masked and hold the name in
`settings.name`. Not emulated: query semantics, computation, audience sizes, activations,
previews, selective sync, sorting of events/traits (insertion order is kept).
"""

from __future__ import annotations

from typing import TypeVar

from .backend_core import SUCCESS, BackendCore
from .catalog import JsonObject
from .errors import NotFound, ValidationFailure
from .ids import UNIFY_ID_LENGTH, new_id, now_iso, snake_case
from .inputs import (
    CreateAudienceInput,
    CreateComputedTraitInput,
    CreateProfilesWarehouseInput,
    UpdateAudienceInput,
    UpdateComputedTraitInput,
    UpdateProfilesWarehouseInput,
    dump_options,
)
from .masking import mask_settings, patch_settings
from .pagination import PageRequest
from .records import (
    AudienceRecord,
    ComputedTraitRecord,
    EventRecord,
    ProfilesWarehouseRecord,
    SpaceObject,
    SpaceRecord,
    TraitRecord,
    WorkspaceRecord,
)

S = TypeVar("S", bound=SpaceObject)


def check_query(query: str, field: str = "definition.query") -> None:
    """Refuses what cannot be a query: empty, unbalanced parentheses or quotes."""
    if not query.strip():
        raise ValidationFailure(f'"{field}" is not allowed to be empty', field=field)
    depth, quote = 0, ""
    for char in query:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                break
    if depth != 0 or quote:
        raise ValidationFailure(f'"{field}" is not a valid query', field=field)


def _status(enabled: bool) -> str:
    return "Live" if enabled else "Disabled"


class SpacesMixin(BackendCore):
    # -- spaces, events, traits ---------------------------------------------------------
    @staticmethod
    def render_space(space: SpaceRecord) -> JsonObject:
        return {"id": space.id, "slug": space.slug, "name": space.name}

    def list_spaces(self, workspace: WorkspaceRecord, page: PageRequest) -> JsonObject:
        rendered = [self.render_space(s) for s in self.store.list(SpaceRecord, workspace.id)]
        items, pagination = page.slice(rendered)
        return {"spaces": items, "pagination": pagination}

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
        items, pagination = page.slice(events)
        return {"events": items, "pagination": pagination}

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
        for computed in self.store.list(ComputedTraitRecord, workspace.id, space.id):
            traits.append(
                {"trait": computed.key, "type": "COMPUTED", "lastSeenAt": computed.updated_at}
            )
        for audience in self.store.list(AudienceRecord, workspace.id, space.id):
            traits.append(
                {"trait": audience.key, "type": "AUDIENCE", "lastSeenAt": audience.updated_at}
            )
        if search:
            traits = [t for t in traits if search.lower() in str(t["trait"]).lower()]
        items, pagination = page.slice(traits)
        return {"traits": items, "pagination": pagination}

    def _check_key_free(self, workspace: WorkspaceRecord, space_id: str, key: str) -> None:
        taken = {c.key for c in self.store.list(ComputedTraitRecord, workspace.id, space_id)}
        taken |= {a.key for a in self.store.list(AudienceRecord, workspace.id, space_id)}
        if not key:
            raise ValidationFailure('"name" must contain letters or digits', field="name")
        if key in taken:
            raise ValidationFailure(
                f'A computed trait or audience with key "{key}" already exists', field="name"
            )

    # -- computed traits ----------------------------------------------------------------
    @staticmethod
    def render_computed_trait(trait: ComputedTraitRecord) -> JsonObject:
        rendered: JsonObject = {"id": trait.id, "spaceId": trait.space_id, "name": trait.name}
        if trait.description is not None:
            rendered["description"] = trait.description
        rendered |= {
            "key": trait.key,
            "enabled": trait.enabled,
            "definition": dict(trait.definition),
            "status": _status(trait.enabled),
            "createdBy": trait.created_by,
            "updatedBy": trait.updated_by,
            "createdAt": trait.created_at,
            "updatedAt": trait.updated_at,
        }
        if trait.options is not None:
            rendered["options"] = dict(trait.options)
        return rendered

    def _in_space(
        self, cls: type[S], workspace: WorkspaceRecord, space_id: str, object_id: str
    ) -> S:
        """An object of the space; one of another space is as missing as an unknown id."""
        space = self.space(workspace, space_id)
        record = self.owned(cls, workspace, object_id)
        if record.space_id != space.id:
            raise NotFound()
        return record

    def create_computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, body: CreateComputedTraitInput
    ) -> JsonObject:
        with self.store.lock:
            space = self.space(workspace, space_id)
            check_query(body.definition.query)
            key = snake_case(body.name)
            self._check_key_free(workspace, space.id, key)
            now = now_iso()
            trait = ComputedTraitRecord(
                id=new_id(UNIFY_ID_LENGTH),
                workspace_id=workspace.id,
                space_id=space.id,
                name=body.name,
                description=body.description,
                key=key,
                enabled=True if body.enabled is None else body.enabled,
                definition=body.definition.model_dump(),
                options=dump_options(body.options),
                created_by=workspace.user_id,
                updated_by=workspace.user_id,
                created_at=now,
                updated_at=now,
            )
            self.store.put(trait)
        return {"computedTrait": self.render_computed_trait(trait)}

    def list_computed_traits(
        self, workspace: WorkspaceRecord, space_id: str, page: PageRequest
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        rendered = [
            self.render_computed_trait(t)
            for t in self.store.list(ComputedTraitRecord, workspace.id, space.id)
        ]
        items, pagination = page.slice(rendered)
        return {"computedTraits": items, "pagination": pagination}

    def _computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, trait_id: str
    ) -> ComputedTraitRecord:
        return self._in_space(ComputedTraitRecord, workspace, space_id, trait_id)

    def get_computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, trait_id: str
    ) -> JsonObject:
        return {
            "computedTrait": self.render_computed_trait(
                self._computed_trait(workspace, space_id, trait_id)
            )
        }

    def update_computed_trait(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        trait_id: str,
        body: UpdateComputedTraitInput,
    ) -> JsonObject:
        with self.store.lock:
            trait = self._computed_trait(workspace, space_id, trait_id)
            if body.definition is not None:
                check_query(body.definition.query)
                trait.definition = body.definition.model_dump()
            if body.name is not None:
                trait.name = body.name
            if "description" in body.model_fields_set:
                trait.description = body.description
            if body.enabled is not None:
                trait.enabled = body.enabled
            trait.updated_by, trait.updated_at = workspace.user_id, now_iso()
            self.store.put(trait)
        return {"computedTrait": self.render_computed_trait(trait)}

    def delete_computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, trait_id: str
    ) -> JsonObject:
        with self.store.lock:
            trait = self._computed_trait(workspace, space_id, trait_id)
            self.store.delete(ComputedTraitRecord, trait.id)
        return dict(SUCCESS)

    # -- audiences ----------------------------------------------------------------------
    @staticmethod
    def render_audience(audience: AudienceRecord) -> JsonObject:
        rendered: JsonObject = {
            "computeCadence": {"type": "REAL_TIME"},
            "id": audience.id,
            "spaceId": audience.space_id,
            "name": audience.name,
        }
        if audience.description is not None:
            rendered["description"] = audience.description
        rendered |= {
            "key": audience.key,
            "enabled": audience.enabled,
            "definition": dict(audience.definition),
            "status": _status(audience.enabled),
            "createdBy": audience.created_by,
            "updatedBy": audience.updated_by,
            "createdAt": audience.created_at,
            "updatedAt": audience.updated_at,
            "audienceType": audience.audience_type,
        }
        if audience.options is not None:
            rendered["options"] = dict(audience.options)
        return rendered

    def _audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str
    ) -> AudienceRecord:
        return self._in_space(AudienceRecord, workspace, space_id, audience_id)

    def create_audience(
        self, workspace: WorkspaceRecord, space_id: str, body: CreateAudienceInput
    ) -> JsonObject:
        with self.store.lock:
            space = self.space(workspace, space_id)
            check_query(body.definition.query)
            key = snake_case(body.name)
            self._check_key_free(workspace, space.id, key)
            now = now_iso()
            audience = AudienceRecord(
                id=new_id(UNIFY_ID_LENGTH, prefix="aud_"),
                workspace_id=workspace.id,
                space_id=space.id,
                name=body.name,
                description=body.description,
                key=key,
                enabled=True if body.enabled is None else body.enabled,
                definition=body.definition.model_dump(by_alias=True, exclude_none=True),
                audience_type=body.audience_type,
                options=dump_options(body.options),
                created_by=workspace.user_id,
                updated_by=workspace.user_id,
                created_at=now,
                updated_at=now,
            )
            self.store.put(audience)
        return {"audience": self.render_audience(audience)}

    def list_audiences(
        self, workspace: WorkspaceRecord, space_id: str, page: PageRequest, search: str | None
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        rendered = [
            self.render_audience(a)
            for a in self.store.list(AudienceRecord, workspace.id, space.id)
            if not search or search.lower() in a.name.lower()
        ]
        items, pagination = page.slice(rendered)
        return {"audiences": items, "pagination": pagination}

    def get_audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str
    ) -> JsonObject:
        return {"audience": self.render_audience(self._audience(workspace, space_id, audience_id))}

    def update_audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str, body: UpdateAudienceInput
    ) -> JsonObject:
        with self.store.lock:
            audience = self._audience(workspace, space_id, audience_id)
            if body.definition is not None:
                check_query(body.definition.query)
                audience.definition = body.definition.model_dump(by_alias=True, exclude_none=True)
            if body.name is not None:
                audience.name = body.name
            if "description" in body.model_fields_set:
                audience.description = body.description
            if body.enabled is not None:
                audience.enabled = body.enabled
            if body.options is not None:
                audience.options = dump_options(body.options)
            audience.updated_by, audience.updated_at = workspace.user_id, now_iso()
            self.store.put(audience)
        return {"audience": self.render_audience(audience)}

    def delete_audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str
    ) -> JsonObject:
        with self.store.lock:
            audience = self._audience(workspace, space_id, audience_id)
            self.store.delete(AudienceRecord, audience.id)
        return dict(SUCCESS)

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
        items, pagination = page.slice(rendered)
        return {"profilesWarehouses": items, "pagination": pagination}

    def _profiles_warehouse(
        self, workspace: WorkspaceRecord, space_id: str, warehouse_id: str
    ) -> ProfilesWarehouseRecord:
        return self._in_space(ProfilesWarehouseRecord, workspace, space_id, warehouse_id)

    def update_profiles_warehouse(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        warehouse_id: str,
        body: UpdateProfilesWarehouseInput,
    ) -> JsonObject:
        with self.store.lock:
            warehouse = self._profiles_warehouse(workspace, space_id, warehouse_id)
            warehouse.settings = patch_settings(warehouse.settings, body.settings)
            if body.name is not None:
                warehouse.settings["name"] = body.name
            if body.enabled is not None:
                warehouse.enabled = body.enabled
            if body.schema_name is not None:
                warehouse.schema_name = body.schema_name
            self.store.put(warehouse)
        return {"profilesWarehouse": self.render_profiles_warehouse(warehouse)}

    def delete_profiles_warehouse(
        self, workspace: WorkspaceRecord, space_id: str, warehouse_id: str
    ) -> JsonObject:
        with self.store.lock:
            warehouse = self._profiles_warehouse(workspace, space_id, warehouse_id)
            self.store.delete(ProfilesWarehouseRecord, warehouse.id)
        return dict(SUCCESS)
