"""``ComputedTrait``: a computed trait of a Unify space, defined in Segment's query language.

Segment: ``POST /spaces/{spaceId}/computed-traits`` (200), ``GET|PATCH|DELETE
/spaces/{spaceId}/computed-traits/{id}``; the client paces them to Segment's limits (create 10/min,
list 25/min, get 100/min, remove 20/min). The name is the natural key (Segment
derives the trait ``key`` from it when it is made, unique in the space, and never changes it); a
lost create is resolved by finding the name in the list. ``key`` is an input defaulting to the
key the name gives (``provider.keys``): a rename that changes it replaces the trait, so a stack
that renamed and a stack made fresh from the same program hold the same key. ``options``
cannot be changed by Segment's PATCH, so changing them replaces the trait, as does moving it to
another space.

``check`` parses a query given as text with the query-language parser: a query that does not
parse, or that produces true/false instead of a value, is a ``CheckFailure`` on
``definition.query`` at preview. Before a create (and an update of the definition), the events
the query reads must have been seen in the space (``GET /spaces/{id}/events``): Segment builds
traits only on events it has received; Flex's traits need one completed Flex interaction first.
Not handled: the trait's computation or backfill progress (``status`` is Segment's word).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider._constants import MAX_PAGE_SIZE
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._edit_lock import patch_when_unlocked
from segment_unify.provider.resources._event_properties import prefetch
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._read_cache import READS
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._space_object import (
    QueryBuilder,
    builder_definition,
    camel_options,
    key_failures,
    known_definition,
    options_state,
    query_failures,
    require_key,
    space_key_of,
    space_object_id,
    split_space_object_id,
)
from segment_unify.provider.resources._space_object import (
    require_events_seen as events_seen,
)

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.computed_trait import (
        ComputedTraitInputs,
        TraitDefinition,
    )

# The input models are in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "ComputedTraitInputs", "TraitDefinition", "TraitOptionsInputs")

OPTION_KEYS = {
    "include_historical_data": "includeHistoricalData",
    "include_anonymous_users": "includeAnonymousUsers",
    "backfill_duration_days": "backfillDurationDays",
}


@dataclass
class TraitOptions:
    """Segment's computed-trait options (not part of the query)."""

    include_historical_data: bool | None = None
    """Compute over events received before the trait existed (Segment's default: on)."""
    include_anonymous_users: bool | None = None
    backfill_duration_days: int | None = None
    """How many days of history the backfill reads."""


@dataclass
class ComputedTraitArgs:
    """Arguments of a ``ComputedTrait``."""

    space_id: pulumi.Input[str] | None = None
    name: pulumi.Input[str] | None = None
    """Display name; Segment derives the trait key from it (``Total Calls`` -> ``total_calls``)."""
    key: pulumi.Input[str] | None = None
    """The trait key; by default the one the name gives. Segment's API takes no key, so a
    declared one must be the name's (check says which name gives it): declaring it makes a
    rename that would change the key fail at preview instead of replacing the trait."""
    description: pulumi.Input[str] | None = None
    enabled: pulumi.Input[bool] = True
    definition: pulumi.Input[str] | pulumi.Input[Mapping[str, Any]] | QueryBuilder | None = None
    """A query builder, a query string (a ``USERS`` trait) or ``{"type", "query"}``."""
    options: TraitOptions | None = None
    """Defaults to the builder's options when ``definition`` is a builder."""

    def __post_init__(self) -> None:
        builder = self.definition
        self.definition = builder_definition(builder)
        if self.options is None:
            self.options = builder_options(builder)


def builder_options(builder: Any) -> TraitOptions | None:
    """A ``TraitQuery``'s options (``to_api()`` gives Segment's keys) as ``TraitOptions``."""
    to_api = getattr(getattr(builder, "options", None), "to_api", None)
    if not callable(to_api):
        return None
    names = {key: name for name, key in OPTION_KEYS.items()}
    api = to_api()
    return TraitOptions(**{names[key]: value for key, value in api.items() if key in names})


def trait_state(trait: Mapping[str, Any]) -> dict[str, Any]:
    definition = trait.get("definition") or {}
    return {
        "space_id": trait.get("spaceId"),
        "name": trait.get("name"),
        "description": trait.get("description"),
        "enabled": bool(trait.get("enabled")),
        "definition": {"type": definition.get("type"), "query": definition.get("query")},
        "options": options_state(trait.get("options"), OPTION_KEYS),
        "computed_trait_id": trait.get("id"),
        "key": trait.get("key"),
        "status": trait.get("status"),
    }


def definition_failures(definition: TraitDefinition) -> list[dyn.CheckFailure]:
    from segment_unify.provider.query import ResultKind  # loaded by the first query checked

    return query_failures("definition.query", definition.query, ResultKind.SCALAR, definition.type)


def require_events_seen(client: SegmentClient, inputs: ComputedTraitInputs) -> None:
    query = inputs.definition.query
    events_seen(client, "computed trait", inputs.name, inputs.space_id, query)


class ComputedTraitProvider(SegmentProvider["ComputedTraitInputs"]):
    kind = "computed trait"
    inputs_model = LazyModel("ComputedTraitInputs")
    # A new key is a new trait: Segment never changes the key a trait was made with.
    replace_on = frozenset({"space_id", "options", "key"})
    lenient_fields = frozenset({"options"})
    natural_key: ClassVar[str | None] = "name"
    unique_key: ClassVar[bool] = True
    import_id_form: ClassVar[str] = "<spaceId>/<computedTraitId>"

    def natural_key_of(self, props: Mapping[str, Any]) -> tuple[Any, ...] | None:
        return space_key_of(props)

    def extra_failures(self, inputs: ComputedTraitInputs) -> list[dyn.CheckFailure]:
        failures = key_failures(self.kind, inputs.model_dump())
        failures += definition_failures(inputs.definition)
        if not failures:
            prefetch(inputs.space_id, inputs.definition.query)
        return failures

    def partial_failures(self, known: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        from segment_unify.provider.resources._inputs.computed_trait import TraitDefinition

        definition = known_definition(TraitDefinition, known.get("definition"))
        failures = key_failures(self.kind, known)
        return failures if definition is None else failures + definition_failures(definition)

    def segment_create(
        self, client: SegmentClient, inputs: ComputedTraitInputs
    ) -> tuple[str, dict[str, Any]]:
        require_events_seen(client, inputs)
        body: dict[str, Any] = {
            "name": inputs.name,
            "enabled": inputs.enabled,
            "definition": inputs.definition.model_dump(),
        }
        if inputs.description is not None:
            body["description"] = inputs.description
        options = camel_options(inputs.options.model_dump(), OPTION_KEYS)
        if options:
            body["options"] = options
        path = f"/spaces/{inputs.space_id}/computed-traits"
        trait = client.post("CreateComputedTrait", path, body)["computedTrait"]
        made = f"{path}/{trait['id']}"
        require_key(client, self.kind, trait, inputs.key, made, "RemoveComputedTraitFromSpace")
        return space_object_id(inputs.space_id, trait["id"]), trait_state(trait)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        space_id, trait_id = split_space_object_id(id_, "computedTraitId")
        if READS.enabled():
            # A refresh reads every trait: one listing of the space serves them all.
            listed = READS.take(
                ("computed-traits", client.base_url, space_id),
                trait_id,
                lambda: _list_traits(client, space_id),
            )
            return trait_state(listed) if listed is not None else None
        path = f"/spaces/{space_id}/computed-traits/{trait_id}"
        return trait_state(client.get("GetComputedTrait", path)["computedTrait"])

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: ComputedTraitInputs, changed: set[str]
    ) -> dict[str, Any]:
        space_id, trait_id = split_space_object_id(id_, "computedTraitId")
        path = f"/spaces/{space_id}/computed-traits/{trait_id}"
        if "definition" in changed:
            require_events_seen(client, inputs)
        body: dict[str, Any] = {
            key: value
            for key, value in (
                ("name", inputs.name),
                ("description", inputs.description),
                ("enabled", inputs.enabled),
                ("definition", inputs.definition.model_dump()),
            )
            if key in changed
        }
        if not body:
            return trait_state(client.get("GetComputedTrait", path)["computedTrait"])
        operation = "UpdateComputedTraitForSpace"
        what = f"computed trait {inputs.name!r}"
        trait = patch_when_unlocked(client, operation, path, body, what)["computedTrait"]
        return trait_state(trait)

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        space_id, trait_id = split_space_object_id(id_, "computedTraitId")
        client.delete(
            "RemoveComputedTraitFromSpace", f"/spaces/{space_id}/computed-traits/{trait_id}"
        )

    def segment_find(
        self, client: SegmentClient, inputs: ComputedTraitInputs
    ) -> tuple[str, dict[str, Any]] | None:
        path = f"/spaces/{inputs.space_id}/computed-traits"
        for trait in client.paginate("ListComputedTraits", path, "computedTraits"):
            if trait.get("name") == inputs.name:
                return space_object_id(inputs.space_id, trait["id"]), trait_state(trait)
        return None


def _list_traits(client: SegmentClient, space_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
    path = f"/spaces/{space_id}/computed-traits"
    for trait in client.paginate("ListComputedTraits", path, "computedTraits", count=MAX_PAGE_SIZE):
        yield trait["id"], trait


class ComputedTrait(SegmentResource, module="segment", name="ComputedTrait"):
    """A computed trait. ``ComputedTrait("calls", space_id=..., name=..., definition=q)``."""

    _segment_provider = ComputedTraitProvider()
    _args_type = ComputedTraitArgs
    _computed = ("computed_trait_id", "key", "status")

    space_id: pulumi.Output[str]
    name: pulumi.Output[str]
    description: pulumi.Output[str | None]
    enabled: pulumi.Output[bool]
    definition: pulumi.Output[dict[str, Any]]
    options: pulumi.Output[dict[str, Any]]
    computed_trait_id: pulumi.Output[str]
    key: pulumi.Output[str]
    """The trait key profiles carry (``trait('<key>')`` in other queries)."""
    status: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        args: ComputedTraitArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
