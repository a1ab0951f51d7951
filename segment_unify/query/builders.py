"""Typed builders for the computed-trait kinds of Segment's UI.

One builder per kind: ``event_counter``, ``aggregation`` (sum/avg/min/max), ``most_frequent``,
``first``, ``last``, ``unique_list`` and ``unique_list_count``. Each returns an immutable
:class:`TraitQuery`; ``.where(...)``, ``.within(...)``, ``.with_options(...)`` and friends
return new ones::

    most_frequent("Flex - Engagement Initiated", "channelType", min_frequency=2)
        .where(prop("direction") == "Inbound").within(days=90)

``.query`` is the query text (checked by the parser, so a builder never emits a query Segment's
grammar would refuse), ``.definition`` the Public API ``{"type", "query"}`` object and
``.options.to_api()`` its ``options``. Comparator calls (``.at_least(1)``, ``.equals("SMS")``)
turn a builder into an audience :class:`Condition`.

The mapping from UI kinds to queries is inferred from the query-language reference; Segment
does not publish it. Predictions and recommended items have no query form and are not here.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field, replace
from typing import Any
from typing import Literal as TypingLiteral

from segment_unify.provider.resources.trait_options import TraitOptions
from segment_unify.query.conditions import Comparable, Condition, ValueRef, make_duration
from segment_unify.query.nodes import (
    Aggregate,
    Between,
    BoolExpr,
    Chain,
    Context,
    Count,
    Event,
    ExpiresAfter,
    First,
    Last,
    Mode,
    Property,
    Reducer,
    ResultKind,
    Sources,
    Step,
    Unique,
    Where,
    Within,
)
from segment_unify.query.printer import format_node
from segment_unify.query.vocabulary import MAX_TYPES, MODE_TYPES

__all__ = [
    "TraitKind",
    "TraitOptions",
    "TraitQuery",
    "aggregation",
    "event_counter",
    "first",
    "last",
    "most_frequent",
    "unique_list",
    "unique_list_count",
]


class TraitKind(enum.Enum):
    """The computed-trait types of Segment's UI that have a query form."""

    EVENT_COUNTER = "event_counter"
    AGGREGATION = "aggregation"
    MOST_FREQUENT = "most_frequent"
    FIRST = "first"
    LAST = "last"
    UNIQUE_LIST = "unique_list"
    UNIQUE_LIST_COUNT = "unique_list_count"


WindowStep = Within | Between | ExpiresAfter


@dataclass(frozen=True)
class TraitQuery(Comparable):
    """An event, optional filters, and the reducer(s) of one computed-trait kind."""

    kind: TraitKind
    event: str
    reducers: tuple[Reducer, ...]
    condition: BoolExpr | None = None
    window: WindowStep | None = None
    excluded_sources: tuple[str, ...] = ()
    options: TraitOptions = field(default_factory=TraitOptions)
    definition_type: TypingLiteral["USERS", "ACCOUNTS"] = "USERS"

    # --- refinements (each returns a new builder) -------------------------------------------

    def where(self, condition: Condition) -> TraitQuery:
        """Only count events matching ``condition``; several calls are ANDed together."""
        if not isinstance(condition, Condition):
            raise TypeError(f"where() takes a condition such as prop('x') == 1, not {condition!r}")
        if condition.pending:
            raise TypeError("where() filters an event's properties; trait(...) is for audiences")
        node = condition.node
        if self.condition is not None:
            node = (Condition(self.condition) & condition).node
        return replace(self, condition=node)

    def within(
        self, *, days: int | None = None, hours: int | None = None, parent: bool = False
    ) -> TraitQuery:
        """A sliding window (batch computed); ``parent=True`` measures from a funnel's parent
        event. Replaces any earlier window."""
        return replace(self, window=Within(make_duration(days=days, hours=hours), parent))

    def between(
        self,
        *,
        days: tuple[int, int] | None = None,
        hours: tuple[int, int] | None = None,
        parent: bool = False,
    ) -> TraitQuery:
        """Events between ``(near, far)`` days or hours ago. Replaces any earlier window."""
        if days is not None and hours is None:
            near, far = days
            start, end = make_duration(days=near), make_duration(days=far)
        elif hours is not None and days is None:
            near, far = hours
            start, end = make_duration(hours=near), make_duration(hours=far)
        else:
            raise TypeError("give between() either days=(near, far) or hours=(near, far)")
        if start.total_seconds >= end.total_seconds:
            raise ValueError(f"between() needs near < far, got {start} and {end}")
        return replace(self, window=Between(start, end, parent))

    def expires_after(
        self, *, seconds: int | None = None, hours: int | None = None, days: int | None = None
    ) -> TraitQuery:
        """A session window (real time; 30 minutes to 90 days). Replaces any earlier window."""
        duration = make_duration(days=days, hours=hours, seconds=seconds)
        return replace(self, window=ExpiresAfter(duration))

    def excluding_sources(self, *source_ids: str) -> TraitQuery:
        if not source_ids or not all(isinstance(s, str) and s for s in source_ids):
            raise TypeError("excluding_sources() takes one or more source ids")
        return replace(self, excluded_sources=self.excluded_sources + tuple(source_ids))

    def with_options(self, **options: bool | int | None) -> TraitQuery:
        """``TraitOptions`` to set, by name (``include_historical_data=True``); None keeps the
        current value."""
        from segment_unify.provider.resources._declare import names

        known = names(TraitOptions)
        unknown = sorted(set(options) - set(known))
        if unknown:
            raise TypeError(f"with_options() takes {', '.join(known)}; not {', '.join(unknown)}")
        given: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
        return replace(self, options=replace(self.options, **given))

    def for_accounts(self) -> TraitQuery:
        """An ACCOUNTS-level trait (aggregating over the account's users)."""
        return replace(self, definition_type="ACCOUNTS")

    # --- output ------------------------------------------------------------------------------

    @property
    def node(self) -> Chain:
        steps: list[Step] = []
        if self.condition is not None:
            steps.append(Where(self.condition))
        if self.excluded_sources:
            steps.append(Sources(self.excluded_sources))
        if self.window is not None:
            steps.append(self.window)
        return Chain(Event(self.event), (*steps, *self.reducers))

    @property
    def result_kind(self) -> ResultKind:
        return ResultKind.LIST if self.kind is TraitKind.UNIQUE_LIST else ResultKind.SCALAR

    @functools.cached_property
    def query(self) -> str:
        """The query text, checked by the parser and the documented limits."""
        from segment_unify.query.validate import validate

        text = format_node(self.node)
        validate(text, expect=self.result_kind, definition_type=self.definition_type)
        return text

    @property
    def definition(self) -> dict[str, str]:
        """The Public API computed-trait ``definition``."""
        return {"type": self.definition_type, "query": self.query}

    def to_prop(self) -> dict[str, str]:
        """As a computed trait's ``definition`` argument: ``definition``."""
        return self.definition

    def __str__(self) -> str:
        return format_node(self.node)

    def _subject(self) -> Chain:
        if self.kind is TraitKind.UNIQUE_LIST:
            raise TypeError("a unique list cannot be compared; use unique_list_count(...)")
        return self.node


def _event(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise TypeError(f"an event name must be a non-empty str, not {name!r}")
    return name


def _target(value: object) -> Property | Context:
    if isinstance(value, str) and value:
        return Property(value)
    if isinstance(value, ValueRef) and isinstance(value.node, (Property, Context)):
        return value.node
    raise TypeError(f"expected a property name, prop(...) or ctx(...), not {value!r}")


def _build(kind: TraitKind, event: str, *reducers: Reducer) -> TraitQuery:
    return TraitQuery(kind, _event(event), tuple(reducers))


def event_counter(event: str) -> TraitQuery:
    """How many times ``event`` happened: ``event('E').count()``."""
    return _build(TraitKind.EVENT_COUNTER, event, Count())


def aggregation(
    event: str,
    function: TypingLiteral["sum", "avg", "min", "max"],
    property: str | ValueRef,
    *,
    as_type: TypingLiteral["number", "string"] | None = None,
) -> TraitQuery:
    """Sum, average, minimum or maximum of a numeric property; ``as_type="string"`` makes
    min/max compare as text."""
    if function not in ("sum", "avg", "min", "max"):
        raise ValueError(f"function must be sum, avg, min or max, not {function!r}")
    if as_type is not None and (function not in ("min", "max") or as_type not in MAX_TYPES):
        raise ValueError(f"as_type {as_type!r} is not available for {function}")
    return _build(TraitKind.AGGREGATION, event, Aggregate(function, _target(property), as_type))


def most_frequent(
    event: str,
    property: str | ValueRef,
    *,
    min_frequency: int = 2,
    as_type: TypingLiteral["string", "number", "array"] | None = None,
) -> TraitQuery:
    """The most common value seen at least ``min_frequency`` times (ties go to the
    alphabetically first value). The UI needs the property tracked at least twice."""
    if isinstance(min_frequency, bool) or not isinstance(min_frequency, int) or min_frequency < 1:
        raise ValueError(f"min_frequency must be a whole number >= 1, not {min_frequency!r}")
    if as_type is not None and as_type not in MODE_TYPES:
        raise ValueError(f"as_type must be string, number or array, not {as_type!r}")
    mode = Mode(_target(property), min_frequency, as_type)
    return _build(TraitKind.MOST_FREQUENT, event, mode)


def first(event: str, property: str | ValueRef) -> TraitQuery:
    """The first value of ``property`` seen."""
    return _build(TraitKind.FIRST, event, First(_target(property)))


def last(event: str, property: str | ValueRef) -> TraitQuery:
    """The last value of ``property`` seen."""
    return _build(TraitKind.LAST, event, Last(_target(property)))


def unique_list(event: str, property: str | ValueRef) -> TraitQuery:
    """The unique values of ``property`` (a list, alphabetical in Segment)."""
    return _build(TraitKind.UNIQUE_LIST, event, Unique(_target(property)))


def unique_list_count(event: str, property: str | ValueRef) -> TraitQuery:
    """How many unique values ``property`` had."""
    return _build(TraitKind.UNIQUE_LIST_COUNT, event, Unique(_target(property)), Count())
