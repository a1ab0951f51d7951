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
``LINKED`` audiences only. The provider code is the computed trait's too (``_query_object``).
Not handled: audience previews, sizes, schedules and activations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._declare import Args, Prop, arg, out
from segment_unify.provider.resources._query_object import QueryObjectProvider
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._space_object import (
    QueryBuilder,
    builder_definition,
)
from segment_unify.provider.resources._values import contains_unknown
from segment_unify.provider.resources.trait_options import AudienceOptions

if TYPE_CHECKING:
    from segment_unify.query import ResultKind

__all__ = ["Audience", "AudienceArgs", "AudienceDefinition", "AudienceOptions", "AudienceType"]

AudienceType = Literal["USERS", "ACCOUNTS", "LINKED"]


class AudienceDefinition(Args):
    """An audience's ``definition``: its query, and for a linked audience its target entity."""

    check_base: ClassVar[str] = "QueryDefinition"

    query: Prop[str] = arg(segment="query", min_length=1)
    """The query, in Segment's query language: it must produce true or false."""
    target_entity: Prop[str] = arg(segment="targetEntity", update=False, default=None)
    """Linked audiences only; Segment cannot change it: a new one replaces the audience."""

    def to_prop(self) -> dict[str, Any]:
        """As a program argument: ``target_entity`` left out when not set."""
        prop = {"query": self.query}
        if self.target_entity is not None:
            prop["target_entity"] = self.target_entity
        return prop


class AudienceArgs(Args):
    """Arguments of an ``Audience``."""

    check_base: ClassVar[str] = "ComputedInputs"

    space_id: Prop[str] = fields.space_id(default=...)
    """The Unify space (``UnifySpace.space_id``) of the audience; moving it replaces it."""
    name: Prop[str] = arg(segment="name", min_length=1, max_length=200)
    """Display name; Segment derives the audience key from it."""
    key: Prop[str] = arg(
        segment="key", replaces=True, create=False, update=False, max_length=200, default=None
    )
    """The audience key; by default the one the name gives (see ``ComputedTraitArgs.key``)."""
    description: Prop[str] = arg(segment="description", default=None, clearable=False)
    """What the audience means, shown in Segment."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether Segment computes it."""
    audience_type: Prop[AudienceType] = arg(
        segment="audienceType", default="USERS", replaces=True, update=False
    )
    """``USERS``, ``ACCOUNTS`` or ``LINKED``; changing it replaces the audience."""
    definition: Prop[str | Mapping[str, Any] | QueryBuilder | AudienceDefinition] = arg(
        segment="definition", nested=AudienceDefinition, lenient=True
    )
    """A query builder's condition, a query string, or ``AudienceDefinition``."""
    options: Prop[AudienceOptions] = arg(
        segment="options", nested=AudienceOptions, lenient=True, default=None
    )
    """Segment's audience options (``AudienceOptions``)."""
    audience_id: Prop[str] = out(segment="id")
    """Segment's id of the audience."""
    status: Prop[str | None] = out(segment="status")
    """Segment's word on the audience's computation."""

    def __post_init__(self) -> None:
        self.definition = builder_definition(self.definition)


class AudienceProvider(QueryObjectProvider):
    kind = "audience"
    declaration = AudienceArgs
    noun = "Audience"
    collection = "audiences"

    def result_kind(self) -> ResultKind:
        from segment_unify.query import ResultKind  # loaded by the first query checked

        return ResultKind.BOOLEAN

    def definition_type(self, definition: Any, known: Mapping[str, Any]) -> Any:
        audience_type = known.get("audience_type")
        return audience_type if audience_type in ("USERS", "ACCOUNTS", "LINKED") else None

    def definition_failures(self, definition: Any, known: Mapping[str, Any]) -> list[Any]:
        """The query must be boolean; a target entity is for LINKED audiences only."""
        failures = super().definition_failures(definition, known)
        audience_type = self.definition_type(definition, known)
        if definition.target_entity is not None and audience_type not in ("LINKED", None):
            failures.append(
                dyn.CheckFailure(
                    "definition.target_entity",
                    "target_entity is for LINKED audiences only "
                    f"(audience_type is {audience_type})",
                )
            )
        return failures

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


class Audience(SegmentResource[AudienceArgs], AudienceArgs, module="segment", name="Audience"):
    """An audience: ``Audience("callers", space_id=..., name=..., definition=q)``."""

    _segment_provider = AudienceProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: AudienceArgs,
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
            name: pulumi.Input[str],
            key: pulumi.Input[str] | None = None,
            description: pulumi.Input[str] | None = None,
            enabled: pulumi.Input[bool] | None = True,
            audience_type: pulumi.Input[AudienceType] | None = "USERS",
            definition: pulumi.Input[str | Mapping[str, Any] | QueryBuilder | AudienceDefinition],
            options: pulumi.Input[AudienceOptions] | None = None,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
