"""What the objects living in a Unify space share: the space id, ids, options, queries.

- ``space_object_id`` / ``split_space_object_id``: Pulumi ids ``<spaceId>/<objectId>``.
- ``known_definition``: a ``definition`` as its model, while it is known and valid.
- ``builder_definition``: the definition of a query builder (``TraitQuery``, ``Condition``) that
  has no ``to_prop()``, taken from its ``definition`` before the scaffold turns props into dicts.
- ``query_failures``: a query definition checked with the query-language parser at preview, as a
  ``CheckFailure`` on its field with line and column, instead of a 422 from Segment at ``up``.
- ``key_failures`` / ``require_key``: a computed trait's or audience's ``key`` is the one its
  name gives (``provider.keys``), at check and again against what Segment made.
- ``events_not_seen``: which of a query's events Segment has not seen in the space yet (names
  once seen are remembered by the provider process, and listed ahead when a space is adopted:
  ``_read_ahead``); ``require_events_seen`` also checks the properties, values and traits the
  query reads (``_event_properties``).

The query language (and lark) is imported by the first query checked, not with this module.
Not handled here: what a query means (Segment computes it), and events seen after the check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pulumi.dynamic as dyn

from segment_unify.provider.errors import SegmentError, SegmentResourceError
from segment_unify.provider.keys import key_mismatch
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._event_properties import (
    require_properties_seen,
    require_traits_listed,
)
from segment_unify.provider.resources._naming import join_id, split_id
from segment_unify.provider.resources._read_ahead import known_events, list_seen_events
from segment_unify.provider.resources._values import contains_unknown

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.base import QueryDefinition
    from segment_unify.query import DefinitionType, ResultKind

D = TypeVar("D", bound="QueryDefinition")


class SupportsToProp(Protocol):
    """A query builder: ``to_prop()`` gives the definition Segment stores."""

    def to_prop(self) -> Any: ...


class SupportsDefinition(Protocol):
    """A query builder (``TraitQuery``, ``Condition``): ``definition`` is Segment's mapping."""

    @property
    def definition(self) -> Mapping[str, str]: ...


QueryBuilder = SupportsToProp | SupportsDefinition


def known_definition(model: type[D], value: Any) -> D | None:
    """``value`` as a ``model``, or None while it is unknown or invalid (reported elsewhere)."""
    from pydantic import ValidationError as PydanticValidationError

    if value is None or contains_unknown(value):
        return None
    try:
        return model.model_validate(value)
    except PydanticValidationError:
        return None


def space_key_of(props: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """A computed trait's or audience's key in its space: Segment derives it from the name
    (``Total Calls`` -> ``total_calls``) and keeps it unique among both kinds."""
    space_id, name = props.get("space_id"), props.get("name")
    if not isinstance(space_id, str) or not isinstance(name, str) or contains_unknown(name):
        return None
    if contains_unknown(space_id):
        return None
    key = "_".join("".join(ch if ch.isalnum() else " " for ch in name.lower()).split())
    return ("computed trait or audience", space_id, key)


def space_object_id(space_id: str, object_id: str) -> str:
    return join_id(space_id, object_id)


def split_space_object_id(id_: str, name: str) -> tuple[str, str]:
    space_id, object_id = split_id(id_, ("spaceId", name))
    return space_id, object_id


def builder_definition(value: Any) -> Any:
    """A query builder's ``definition`` mapping; any other value as it is. An Output of a
    builder (``trait.key.apply(lambda k: trait(k) >= 3)``) becomes an Output of its mapping."""
    import pulumi

    if isinstance(value, pulumi.Output):
        return value.apply(_resolved_definition)
    if isinstance(value, str | Mapping) or callable(getattr(value, "to_prop", None)):
        return value
    definition = getattr(value, "definition", None)
    return dict(definition) if isinstance(definition, Mapping) else value


def _resolved_definition(value: Any) -> Any:
    to_prop = getattr(value, "to_prop", None)
    return to_prop() if callable(to_prop) else builder_definition(value)


def query_failures(
    field: str, query: str, expect: ResultKind, definition_type: DefinitionType | None
) -> list[dyn.CheckFailure]:
    """Parse ``query``, check Segment's limits and that it produces ``expect``.

    A SCALAR expectation also takes a LIST (the "unique list" computed trait). ``ANY``/``ALL``
    are checked against ``definition_type`` (ACCOUNTS only), as is ``entity()`` (LINKED only),
    unless it is not known yet (None).
    """
    from segment_unify.query import QueryError, validate

    try:
        validate(query, expect=expect, definition_type=definition_type)
    except QueryError as exc:
        return [dyn.CheckFailure(field, str(exc))]
    return []


def query_events(query: str) -> list[str]:
    """The event names a (valid) query reads, sorted."""
    from segment_unify.query import events_used, validate

    return sorted(events_used(validate(query)))


def events_not_seen(client: SegmentClient, space_id: str, names: Iterable[str]) -> list[str]:
    """Which of ``names`` are not among the events Segment has seen in the space, each with
    `` (did you mean '...'?)`` where a seen event's name is close (a misspelling, not an event
    still to come)."""
    from segment_unify.provider.resources._event_properties import did_you_mean

    wanted = list(dict.fromkeys(names))
    if known_events(client, space_id, wanted):
        return []
    seen = list_seen_events(client, space_id)
    missing = []
    for name in wanted:
        if name not in seen:
            guess = did_you_mean(name, seen)
            missing.append(f"{name!r}" + (f" (did you mean {guess!r}?)" if guess else ""))
    return missing


def quoted(names: Iterable[str]) -> str:
    return ", ".join(repr(name) for name in names)


def require_events_seen(
    client: SegmentClient, kind: str, name: str, space_id: str, query: str
) -> None:
    """Fail, naming them, when ``query`` reads events the space has not received: Segment
    computes traits and audiences only on events it has seen."""
    missing = events_not_seen(client, space_id, query_events(query))
    if missing:
        misspelled = any("did you mean" in m for m in missing)
        fix = "fix a misspelled name, or " if misspelled else ""
        raise SegmentResourceError(
            f"{kind} {name!r} reads events Segment has not seen in space {space_id!r}: "
            f"{', '.join(missing)}. Segment builds computed traits and audiences only on events "
            "the space has received (its docs: for Flex traits, complete at least one Flex "
            f"interaction first): {fix}send them, then run `pulumi up` again."
        )
    concurrently(
        lambda: require_properties_seen(client, kind, name, space_id, query),
        lambda: require_traits_listed(client, kind, name, space_id, query),
    )


def key_failures(kind: str, known: Mapping[str, Any]) -> list[dyn.CheckFailure]:
    """A declared ``key`` the (known) name cannot give, as a failure on ``key``."""
    name, key = known.get("name"), known.get("key")
    if not isinstance(name, str) or not isinstance(key, str) or not key:
        return []
    reason = key_mismatch(kind, name, key)
    return [] if reason is None else [dyn.CheckFailure("key", reason)]


def require_key(
    client: SegmentClient, kind: str, made: Mapping[str, Any], expected: str, path: str, op: str
) -> None:
    """Fail unless Segment gave the object just made at ``path`` the ``expected`` key.

    A different key would differ between stacks (Segment's derivation is not ours, or it
    changed): the object is removed again rather than kept under a key the program did not ask
    for, and the message says so.
    """
    got = made.get("key")
    if got == expected:
        return
    try:
        client.delete(op, path)
        removed = "it was removed again"
    except SegmentError as exc:
        removed = f"removing it failed too ({exc}); delete it in Segment's app"
    raise SegmentResourceError(
        f"Segment made {kind} {made.get('name')!r} with the key {got!r}, not {expected!r} as "
        f"derived from its name; {removed}. Choose a name of letters, digits and spaces, whose "
        "key Segment derives the same way in every stack."
    )
