"""Computations of a space: computed traits and audiences.

Rules emulated: `key` is the name in snake_case, unique among the space's computed traits and
audiences (422 on `name`), and never changes; an empty or unbalanced query is a 422 on
`definition.query`; status is `Live` when enabled, `Disabled` otherwise; an object of
another space is 404. `GetAudience` gives an enabled audience's `size` (its members now:
`backend_previews`). Not emulated here: query semantics, computation, activations, schedules
(values and previews: `backend_trait_values`, `backend_previews`).
"""

from __future__ import annotations

from typing import Any

from .backend_core import BackendCore
from .catalog import JsonObject
from .edit_locks import EditLocks
from .errors import ValidationFailure
from .ids import UNIFY_ID_LENGTH, new_id, now_iso, snake_case
from .inputs import (
    CreateAudienceInput,
    CreateComputedTraitInput,
    UpdateAudienceInput,
    UpdateComputedTraitInput,
    dump_options,
)
from .pagination import PageRequest
from .records import AudienceRecord, ComputedTraitRecord, WorkspaceRecord


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


class ComputationsMixin(BackendCore):
    edit_locks: EditLocks

    def _check_key_free(self, workspace: WorkspaceRecord, space_id: str, key: str) -> None:
        taken = {c.key for c in self.store.list(ComputedTraitRecord, workspace.id, space_id)}
        taken |= {a.key for a in self.store.list(AudienceRecord, workspace.id, space_id)}
        if not key:
            raise ValidationFailure('"name" must contain letters or digits', field="name")
        if key in taken:
            raise ValidationFailure(
                f'A computed trait or audience with key "{key}" already exists', field="name"
            )

    def _new_computation(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        body: CreateComputedTraitInput | CreateAudienceInput,
        definition: JsonObject,
    ) -> dict[str, Any]:
        """The fields a new computed trait or audience shares, once its query and key pass."""
        space = self.space(workspace, space_id)
        check_query(body.definition.query)
        key = snake_case(body.name)
        self._check_key_free(workspace, space.id, key)
        now = now_iso()
        return {
            "workspace_id": workspace.id,
            "space_id": space.id,
            "name": body.name,
            "description": body.description,
            "key": key,
            "enabled": True if body.enabled is None else body.enabled,
            "definition": definition,
            "options": dump_options(body.options),
            "created_by": workspace.user_id,
            "updated_by": workspace.user_id,
            "created_at": now,
            "updated_at": now,
        }

    # -- computed traits ----------------------------------------------------------------
    @staticmethod
    def render_computed_trait(trait: ComputedTraitRecord) -> JsonObject:
        return _render_computation(trait)

    def create_computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, body: CreateComputedTraitInput
    ) -> JsonObject:
        with self.store.lock:
            trait = ComputedTraitRecord(
                id=new_id(UNIFY_ID_LENGTH),
                **self._new_computation(workspace, space_id, body, body.definition.model_dump()),
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
        return page.listing("computedTraits", rendered)

    def _computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, trait_id: str
    ) -> ComputedTraitRecord:
        return self.in_space(ComputedTraitRecord, workspace, space_id, trait_id)

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
            self.edit_locks.refuse_if_locked("computed trait", trait.id)
            definition = None if body.definition is None else body.definition.model_dump()
            _update_computation(trait, workspace, body, definition)
            self.store.put(trait)
            self.edit_locks.lock(trait.id)
        return {"computedTrait": self.render_computed_trait(trait)}

    def delete_computed_trait(
        self, workspace: WorkspaceRecord, space_id: str, trait_id: str
    ) -> JsonObject:
        return self.delete_in_space(ComputedTraitRecord, workspace, space_id, trait_id)

    # -- audiences ----------------------------------------------------------------------
    def render_audience(self, audience: AudienceRecord) -> JsonObject:
        rendered = {
            "computeCadence": {"type": "REAL_TIME"},
            **_render_computation(audience),
            "audienceType": audience.audience_type,
        }
        if self.edit_locks.locked(audience.id):
            rendered["status"] = "Locked"
        return rendered

    def _audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str
    ) -> AudienceRecord:
        return self.in_space(AudienceRecord, workspace, space_id, audience_id)

    def create_audience(
        self, workspace: WorkspaceRecord, space_id: str, body: CreateAudienceInput
    ) -> JsonObject:
        with self.store.lock:
            definition = body.definition.model_dump(by_alias=True, exclude_none=True)
            audience = AudienceRecord(
                id=new_id(UNIFY_ID_LENGTH, prefix="aud_"),
                audience_type=body.audience_type,
                **self._new_computation(workspace, space_id, body, definition),
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
        return page.listing("audiences", rendered)

    def get_audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str
    ) -> JsonObject:
        audience = self._audience(workspace, space_id, audience_id)
        rendered = self.render_audience(audience)
        size = self.audience_size(audience) if audience.enabled else None
        if size is not None:
            rendered["size"] = size
        return {"audience": rendered}

    def update_audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str, body: UpdateAudienceInput
    ) -> JsonObject:
        with self.store.lock:
            audience = self._audience(workspace, space_id, audience_id)
            self.edit_locks.refuse_if_locked("audience", audience.id)
            # The update carries only the query; the target entity stays as created.
            definition = (
                None
                if body.definition is None
                else {**audience.definition, "query": body.definition.query}
            )
            _update_computation(audience, workspace, body, definition)
            if body.options is not None:
                audience.options = dump_options(body.options)
            self.store.put(audience)
            self.edit_locks.lock(audience.id)
        return {"audience": self.render_audience(audience)}

    def delete_audience(
        self, workspace: WorkspaceRecord, space_id: str, audience_id: str
    ) -> JsonObject:
        return self.delete_in_space(AudienceRecord, workspace, space_id, audience_id)


def _update_computation(
    record: ComputedTraitRecord | AudienceRecord,
    workspace: WorkspaceRecord,
    body: UpdateComputedTraitInput | UpdateAudienceInput,
    definition: JsonObject | None,
) -> None:
    """What an update of a computed trait or audience changes alike (``definition`` dumped)."""
    if body.definition is not None:
        check_query(body.definition.query)
    if definition is not None:
        record.definition = definition
    if body.name is not None:
        record.name = body.name
    if "description" in body.model_fields_set:
        record.description = body.description
    if body.enabled is not None:
        record.enabled = body.enabled
    record.updated_by, record.updated_at = workspace.user_id, now_iso()


def _render_computation(record: ComputedTraitRecord | AudienceRecord) -> JsonObject:
    """The fields computed traits and audiences share (ComputedTraitSummary / AudienceSummary)."""
    rendered: JsonObject = {"id": record.id, "spaceId": record.space_id, "name": record.name}
    if record.description is not None:
        rendered["description"] = record.description
    rendered |= {
        "key": record.key,
        "enabled": record.enabled,
        "definition": dict(record.definition),
        "status": _status(record.enabled),
        "createdBy": record.created_by,
        "updatedBy": record.updated_by,
        "createdAt": record.created_at,
        "updatedAt": record.updated_at,
    }
    if record.options is not None:
        rendered["options"] = dict(record.options)
    return rendered
