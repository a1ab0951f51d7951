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
The provider code is the audience's too (``_query_object``).
Not handled: the trait's computation or backfill progress (``status`` is Segment's word).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload

import pulumi

from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._declare import Args, Prop, arg, out
from segment_unify.provider.resources._query_object import QueryObjectProvider
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._space_object import (
    QueryBuilder,
    builder_definition,
)
from segment_unify.provider.resources.trait_options import TraitOptions

if TYPE_CHECKING:
    from segment_unify.query import ResultKind

__all__ = ["ComputedTrait", "ComputedTraitArgs", "TraitDefinition", "TraitOptions"]


class TraitDefinition(Args):
    """A computed trait's ``definition``: its query, and whose profiles it is computed for."""

    check_base: ClassVar[str] = "QueryDefinition"

    type: Prop[Literal["USERS", "ACCOUNTS"]] = arg(segment="type", default="USERS")
    """``USERS`` (the default) or ``ACCOUNTS``."""
    query: Prop[str] = arg(segment="query", min_length=1)
    """The query, in Segment's query language."""


class ComputedTraitArgs(Args):
    """Arguments of a ``ComputedTrait``."""

    check_base: ClassVar[str] = "ComputedInputs"

    space_id: Prop[str] = fields.space_id(default=...)
    """The Unify space (``UnifySpace.space_id``) of the trait; moving it replaces it."""
    name: Prop[str] = arg(segment="name", min_length=1, max_length=200)
    """Display name; Segment derives the trait key from it (``Total Calls`` -> ``total_calls``)."""
    key: Prop[str] = arg(
        segment="key", replaces=True, create=False, update=False, max_length=200, default=None
    )
    """The trait key profiles carry (``trait('<key>')`` in other queries); by default the one the
    name gives. Segment's API takes no key, so a declared one must be the name's: declaring it
    makes a rename that would change the key fail at preview instead of replacing the trait."""
    description: Prop[str] = arg(segment="description", default=None, clearable=False)
    """What the trait means, shown in Segment."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether Segment computes it."""
    definition: Prop[str | Mapping[str, Any] | QueryBuilder] = arg(
        segment="definition", nested=TraitDefinition
    )
    """A query builder, a query string (a ``USERS`` trait) or ``{"type", "query"}``."""
    options: Prop[TraitOptions] = arg(
        segment="options",
        nested=TraitOptions,
        replaces=True,
        lenient=True,
        update=False,
        default=None,
    )
    """Segment's options (``TraitOptions``); by default the builder's when ``definition`` is one.
    Segment cannot change them: a change replaces the trait."""
    computed_trait_id: Prop[str] = out(segment="id")
    """Segment's id of the trait."""
    status: Prop[str | None] = out(segment="status")
    """Segment's word on the trait's computation."""

    def __post_init__(self) -> None:
        builder = self.definition
        self.definition = builder_definition(builder)
        if self.options is None:
            self.options = builder_options(builder)


def builder_options(builder: Any) -> TraitOptions | None:
    """A ``TraitQuery``'s options: the one ``TraitOptions`` both take."""
    options = getattr(builder, "options", None)
    return options if isinstance(options, TraitOptions) else None


class ComputedTraitProvider(QueryObjectProvider):
    kind = "computed trait"
    declaration = ComputedTraitArgs
    noun = "ComputedTrait"
    collection = "computed-traits"

    def result_kind(self) -> ResultKind:
        from segment_unify.query import ResultKind  # loaded by the first query checked

        return ResultKind.SCALAR


class ComputedTrait(
    SegmentResource[ComputedTraitArgs], ComputedTraitArgs, module="segment", name="ComputedTrait"
):
    """A computed trait: ``ComputedTrait("calls", space_id=..., name=..., definition=q)``."""

    _segment_provider = ComputedTraitProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: ComputedTraitArgs,
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
            definition: pulumi.Input[str | Mapping[str, Any] | QueryBuilder],
            options: pulumi.Input[TraitOptions] | None = None,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
