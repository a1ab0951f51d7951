"""``Audience``: an audience of a Unify space (Engage), defined in Segment's query language.

Segment: ``POST /spaces/{spaceId}/audiences`` (200), ``GET|PATCH|DELETE
/spaces/{spaceId}/audiences/{id}``; create, update and remove are paced to 50/min, list to 60/min.
The name is the natural key (Segment derives the audience ``key`` from it when it is made, unique
in the space among audiences and computed traits, and never changes it); a lost create is
resolved by finding the name in the list. ``key`` is an input defaulting to the key the name
gives (``provider.keys``). Changing the space, the audience type or the key (a rename that gives
another key) replaces the audience; name, description, enabled,
definition and options are updated in place.

``check`` parses a query given as text: an audience's query must produce true or false (a
comparison or junction), so a value-producing query, or one that does not parse, is a
``CheckFailure`` on ``definition.query`` at preview; ``definition.target_entity`` is for
``LINKED`` audiences only. Not handled: audience previews, sizes, schedules and activations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._edit_lock import patch_when_unlocked
from segment_unify.provider.resources._event_properties import prefetch
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._space_object import (
    QueryBuilder,
    builder_definition,
    camel_options,
    key_failures,
    known_definition,
    options_state,
    query_failures,
    require_events_seen,
    require_key,
    space_key_of,
    space_object_id,
    split_space_object_id,
)
from segment_unify.provider.resources._values import contains_unknown

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.audience import (
        AudienceDefinition,
        AudienceInputs,
    )

# The input models (the public ``AudienceDefinition`` among them) are in _inputs, built on
# first use, yet importable from here.
__getattr__ = moved_names(__name__, "AudienceDefinition", "AudienceInputs", "AudienceOptionsInputs")

OPTION_KEYS = {
    "include_historical_data": "includeHistoricalData",
    "filter_by_external_ids": "filterByExternalIds",
    "backfill_event_data_days": "backfillEventDataDays",
}
AudienceType = Literal["USERS", "ACCOUNTS", "LINKED"]


@dataclass
class AudienceOptions:
    """Segment's audience options (not part of the query)."""

    include_historical_data: bool | None = None
    filter_by_external_ids: list[str] | None = None
    """Identifiers a profile needs to count (Segment's default: user_id, email, the IDFAs)."""
    backfill_event_data_days: int | None = None


@dataclass
class AudienceArgs:
    """Arguments of an ``Audience``."""

    space_id: pulumi.Input[str] | None = None
    name: pulumi.Input[str] | None = None
    key: pulumi.Input[str] | None = None
    """The audience key; by default the one the name gives (see ``ComputedTraitArgs.key``)."""
    description: pulumi.Input[str] | None = None
    enabled: pulumi.Input[bool] = True
    audience_type: pulumi.Input[str] = "USERS"
    """``USERS``, ``ACCOUNTS`` or ``LINKED``; changing it replaces the audience."""
    definition: pulumi.Input[str] | pulumi.Input[Mapping[str, Any]] | QueryBuilder | None = None
    """A query builder, a query string, or ``{"query", "target_entity"?}``."""
    options: AudienceOptions | None = None

    def __post_init__(self) -> None:
        self.definition = builder_definition(self.definition)


def definition_failures(
    definition: AudienceDefinition, audience_type: AudienceType | None
) -> list[dyn.CheckFailure]:
    """The query must be boolean; a target entity is for LINKED audiences only."""
    from segment_unify.provider.query import ResultKind  # loaded by the first query checked

    failures = query_failures(
        "definition.query", definition.query, ResultKind.BOOLEAN, audience_type
    )
    if definition.target_entity is not None and audience_type not in ("LINKED", None):
        failures.append(
            dyn.CheckFailure(
                "definition.target_entity",
                f"target_entity is for LINKED audiences only (audience_type is {audience_type})",
            )
        )
    return failures


def definition_body(definition: AudienceDefinition) -> dict[str, Any]:
    body: dict[str, Any] = {"query": definition.query}
    if definition.target_entity is not None:
        body["targetEntity"] = definition.target_entity
    return body


def audience_state(audience: Mapping[str, Any]) -> dict[str, Any]:
    definition = audience.get("definition") or {}
    state_definition: dict[str, Any] = {"query": definition.get("query")}
    if definition.get("targetEntity") is not None:
        state_definition["target_entity"] = definition["targetEntity"]
    return {
        "space_id": audience.get("spaceId"),
        "name": audience.get("name"),
        "description": audience.get("description"),
        "enabled": bool(audience.get("enabled")),
        "audience_type": audience.get("audienceType"),
        "definition": state_definition,
        "options": options_state(audience.get("options"), OPTION_KEYS),
        "audience_id": audience.get("id"),
        "key": audience.get("key"),
        "status": audience.get("status"),
    }


class AudienceProvider(SegmentProvider["AudienceInputs"]):
    kind = "audience"
    inputs_model = LazyModel("AudienceInputs")
    # A new key is a new audience: Segment never changes the key an audience was made with.
    replace_on = frozenset({"space_id", "audience_type", "key"})
    # Segment may fill in a default target entity and option keys the program left out.
    lenient_fields = frozenset({"definition", "options"})
    natural_key: ClassVar[str | None] = "name"
    unique_key: ClassVar[bool] = True
    import_id_form: ClassVar[str] = "<spaceId>/<audienceId>"

    def natural_key_of(self, props: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return space_key_of(props)

    def extra_failures(self, inputs: AudienceInputs) -> list[dyn.CheckFailure]:
        failures = key_failures(self.kind, inputs.model_dump())
        failures += definition_failures(inputs.definition, inputs.audience_type)
        if not failures:
            prefetch(inputs.space_id, inputs.definition.query)
        return failures

    def partial_failures(self, known: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        from segment_unify.provider.resources._inputs.audience import AudienceDefinition

        definition = known_definition(AudienceDefinition, known.get("definition"))
        audience_type = known.get("audience_type")
        if audience_type not in ("USERS", "ACCOUNTS", "LINKED"):
            audience_type = None
        failures = key_failures(self.kind, known)
        if definition is None:
            return failures
        return failures + definition_failures(definition, audience_type)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.DiffResult:
        result = super().diff(_id, _olds, _news)
        # Segment cannot change a linked audience's target entity after creation (the update
        # model's definition has only the query), so a new one replaces the audience.
        new_target = (_news.get("definition") or {}).get("target_entity")
        old_target = (_olds.get("definition") or {}).get("target_entity")
        if new_target is not None and not contains_unknown(new_target) and new_target != old_target:
            result.replaces = sorted({*(result.replaces or []), "definition"})
            result.changes = True
        return result

    def segment_create(
        self, client: SegmentClient, inputs: AudienceInputs
    ) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any] = {
            "name": inputs.name,
            "enabled": inputs.enabled,
            "definition": definition_body(inputs.definition),
            "audienceType": inputs.audience_type,
        }
        if inputs.description is not None:
            body["description"] = inputs.description
        options = camel_options(inputs.options.model_dump(), OPTION_KEYS)
        if options:
            body["options"] = options
        path = f"/spaces/{inputs.space_id}/audiences"
        query = inputs.definition.query
        require_events_seen(client, self.kind, inputs.name, inputs.space_id, query)
        audience = client.post("CreateAudience", path, body)["audience"]
        made = f"{path}/{audience['id']}"
        require_key(client, self.kind, audience, inputs.key, made, "RemoveAudienceFromSpace")
        return space_object_id(inputs.space_id, audience["id"]), audience_state(audience)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        space_id, audience_id = split_space_object_id(id_, "audienceId")
        path = f"/spaces/{space_id}/audiences/{audience_id}"
        return audience_state(client.get("GetAudience", path)["audience"])

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: AudienceInputs, changed: set[str]
    ) -> dict[str, Any]:
        space_id, audience_id = split_space_object_id(id_, "audienceId")
        path = f"/spaces/{space_id}/audiences/{audience_id}"
        body: dict[str, Any] = {
            key: value
            for key, value in (
                ("name", inputs.name),
                ("description", inputs.description),
                ("enabled", inputs.enabled),
                # UpdateAudienceForSpaceInput's definition has no targetEntity (a change of
                # it is a replacement, see diff): only the query goes.
                ("definition", {"query": inputs.definition.query}),
                ("options", camel_options(inputs.options.model_dump(), OPTION_KEYS)),
            )
            if key in changed
        }
        if not body:
            return audience_state(client.get("GetAudience", path)["audience"])
        if "definition" in body:
            query = inputs.definition.query
            require_events_seen(client, self.kind, inputs.name, inputs.space_id, query)
        what = f"audience {inputs.name!r}"
        answer = patch_when_unlocked(client, "UpdateAudienceForSpace", path, body, what)
        return audience_state(answer["audience"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        space_id, audience_id = split_space_object_id(id_, "audienceId")
        client.delete("RemoveAudienceFromSpace", f"/spaces/{space_id}/audiences/{audience_id}")

    def segment_find(
        self, client: SegmentClient, inputs: AudienceInputs
    ) -> tuple[str, dict[str, Any]] | None:
        path = f"/spaces/{inputs.space_id}/audiences"
        for audience in client.paginate("ListAudiences", path, "audiences"):
            if audience.get("name") == inputs.name:
                return space_object_id(inputs.space_id, audience["id"]), audience_state(audience)
        return None


class Audience(SegmentResource, module="segment", name="Audience"):
    """An audience. ``Audience("callers", space_id=..., name=..., definition=q)``."""

    _segment_provider = AudienceProvider()
    _args_type = AudienceArgs
    _computed = ("audience_id", "key", "status")

    space_id: pulumi.Output[str]
    name: pulumi.Output[str]
    description: pulumi.Output[str | None]
    enabled: pulumi.Output[bool]
    audience_type: pulumi.Output[str]
    definition: pulumi.Output[dict[str, Any]]
    options: pulumi.Output[dict[str, Any]]
    audience_id: pulumi.Output[str]
    key: pulumi.Output[str]
    status: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: AudienceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
