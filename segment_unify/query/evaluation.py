"""``evaluate()``: a definition's value for one profile, from its events, at a given time.

A pure function: no clock, no I/O. Events are Segment messages (what the Tracking API takes
and the Profile API's `events` returns): ``type``, ``event`` (track) or ``name`` (page,
screen), ``properties``, ``context``, ``timestamp`` (ISO-8601 text or a datetime), and
``source_id``/``sourceId`` for ``sources(...)``. Traits are the profile's, by key (also other
computed traits and audiences by key). Every construct the parser accepts is evaluated; the
semantics, with the choices made where Segment's reference leaves them open, are written down
in ``segment_unify/query/query-language.md``.

- ``entity(slug)`` (linked audiences) reads ``entities=``: the profile's Data Graph rows by
  relationship slug, each a mapping of column to value; inside a ``where`` of an entity chain,
  ``entity(slug)`` reads the row's nested relationship (the row's value under ``slug``, a list
  of rows) and ``property(c)`` the row's column.
- ``ANY x`` / ``ALL x`` (account audiences) evaluate ``x`` over ``users=``: the account's
  users, each a :class:`Member` with its own events and traits. The events and traits given
  directly are the account's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from segment_unify.query._values import (
    COMPARE,
    DATE_COMPARATORS,
    aware,
    parse_time,
    path,
    text,
    to_number,
    unique,
)
from segment_unify.query.errors import QueryError
from segment_unify.query.nodes import (
    Aggregate,
    Between,
    BoolExpr,
    Chain,
    Comparator,
    Comparison,
    Context,
    Count,
    Duration,
    Entity,
    Event,
    ExpiresAfter,
    First,
    Junction,
    Last,
    Literal,
    Mode,
    Property,
    Sources,
    Timestamp,
    Trait,
    Unary,
    Unique,
    Where,
    Within,
)
from segment_unify.query.parsed import Query
from segment_unify.query.parser import parse
from segment_unify.query.printer import format_node

__all__ = ["Member", "QueryEvaluationError", "evaluate", "event_name"]

Message = Mapping[str, Any]
Row = Mapping[str, Any]

_NAMED_BY_TYPE = {"identify": "Identify", "group": "Group", "alias": "Alias"}


class QueryEvaluationError(QueryError):
    """A definition that cannot be computed from what was given (an event without a time,
    ``ANY``/``ALL`` without the account's users, a time window over entity rows)."""


@dataclass(frozen=True)
class Member:
    """One user of an account, for ``ANY``/``ALL``: its events and traits."""

    events: Sequence[Message] = ()
    traits: Mapping[str, Any] = field(default_factory=dict)


def event_name(message: Message) -> str:
    """The name under which Segment lists a message's event."""
    kind = str(message.get("type") or "track")
    if kind == "track":
        return str(message.get("event") or "")
    if kind in ("page", "screen"):
        return str(message.get("name") or f"{kind.capitalize()} Viewed")
    return _NAMED_BY_TYPE.get(kind, kind)


def evaluate(
    definition: str | Query,
    events: Iterable[Message],
    at: datetime,
    traits: Mapping[str, Any] | None = None,
    *,
    entities: Mapping[str, Sequence[Row]] | None = None,
    users: Sequence[Member] | None = None,
) -> Any:
    """The value of ``definition`` for a profile with these events and traits at ``at``.

    A computed trait's query gives its value (a number, text, a list, or None); an audience's
    gives True or False. ``entities`` are the profile's Data Graph rows (``entity(...)``);
    ``users`` an account's users (``ANY``/``ALL``).
    """
    query = parse(definition) if isinstance(definition, str) else definition
    profile = _profile(events, aware(at), traits, entities, users)
    root = query.root
    if isinstance(root, Chain):
        return profile.chain(root, None)
    return profile.holds(root, _Scope(None, None))


@dataclass(frozen=True)
class _Event:
    """An item of a stream: a message with its time, or an entity row (no time)."""

    message: Message
    at: datetime | None
    row: Row | None = None


@dataclass(frozen=True)
class _Scope:
    """Where a condition is read: the event a ``where`` tests, and the event of the chain
    that chain is nested in (what ``parent:`` means)."""

    event: _Event | None
    parent: _Event | None


def _time(message: Message) -> datetime:
    moment = parse_time(message.get("timestamp") or message.get("receivedAt"))
    if moment is None:
        raise QueryEvaluationError(f"event {event_name(message)!r} has no readable timestamp")
    return moment


def _delta(duration: Duration) -> timedelta:
    return timedelta(seconds=duration.total_seconds)


def _profile(
    events: Iterable[Message],
    at: datetime,
    traits: Mapping[str, Any] | None,
    entities: Mapping[str, Sequence[Row]] | None,
    users: Sequence[Member] | None,
) -> _Profile:
    timed = sorted((_Event(m, _time(m)) for m in events), key=lambda e: e.at or at)
    # Events later than ``at`` have not happened yet.
    happened = [e for e in timed if e.at is not None and e.at <= at]
    return _Profile(happened, at, dict(traits or {}), dict(entities or {}), users)


@dataclass
class _Profile:
    events: list[_Event]
    at: datetime
    traits: dict[str, Any]
    entities: dict[str, Sequence[Row]]
    users: Sequence[Member] | None

    # -- streams and reducers -------------------------------------------------------------
    def chain(self, chain: Chain, parent: _Event | None) -> Any:
        stream = self._stream(chain.source, parent)
        values: list[Any] | None = None
        for step in chain.steps:
            if isinstance(step, Where):
                stream = [e for e in stream if self.holds(step.condition, _Scope(e, parent))]
            elif isinstance(step, (Within, Between)):
                stream = [e for e in stream if self._in_window(step, e, parent)]
            elif isinstance(step, Sources):
                excluded = set(step.exclude)
                stream = [e for e in stream if _source(e.message) not in excluded]
            elif isinstance(step, ExpiresAfter):
                stream = self._session(stream, _delta(step.duration))
            elif isinstance(step, Count):
                return len(values) if values is not None else len(stream)
            elif isinstance(step, Unique):
                values = unique(self._values(step.target, stream))
            else:
                return self._reduce(step, stream)
        return values if values is not None else stream

    def _stream(self, source: Entity | Event, parent: _Event | None) -> list[_Event]:
        if isinstance(source, Event):
            return [e for e in self.events if event_name(e.message) == source.name]
        # Nested in a where of an entity chain: that row's relationship; else the profile's.
        if parent is not None and parent.row is not None:
            rows = parent.row.get(source.slug) or ()
        else:
            rows = self.entities.get(source.slug, ())
        return [_Event({"properties": row}, None, row) for row in rows if isinstance(row, Mapping)]

    def _in_window(self, step: Within | Between, event: _Event, parent: _Event | None) -> bool:
        if event.at is None:
            raise QueryEvaluationError("within/between need events; entity rows have no time")
        if step.parent:
            if parent is None or parent.at is None:
                raise QueryEvaluationError("a parent: window needs a parent event")
            if isinstance(step, Within):
                return parent.at <= event.at <= parent.at + _delta(step.duration)
            near, far = sorted((_delta(step.start), _delta(step.end)))
            return parent.at + near <= event.at <= parent.at + far
        if isinstance(step, Within):
            return self.at - _delta(step.duration) <= event.at <= self.at
        near, far = sorted((_delta(step.start), _delta(step.end)))
        return self.at - far <= event.at <= self.at - near

    def _session(self, stream: list[_Event], gap: timedelta) -> list[_Event]:
        """The current session: the last run of events no more than ``gap`` apart, if its last
        event is no more than ``gap`` before now (else the session has expired: none)."""
        times = [e.at for e in stream if e.at is not None]
        if len(times) != len(stream):
            raise QueryEvaluationError("expires_after(...) needs events; entity rows have no time")
        if not times or self.at - times[-1] > gap:
            return []
        start = len(times) - 1
        while start > 0 and times[start] - times[start - 1] <= gap:
            start -= 1
        return stream[start:]

    def _values(self, target: Property | Context, stream: Sequence[_Event]) -> list[Any]:
        found = (self._scalar(target, _Scope(event, None)) for event in stream)
        return [value for value in found if value is not None]

    def _reduce(self, reducer: Aggregate | Mode | First | Last, stream: list[_Event]) -> Any:
        values = self._values(reducer.target, stream)
        if isinstance(reducer, First):
            return values[0] if values else None
        if isinstance(reducer, Last):
            return values[-1] if values else None
        if isinstance(reducer, Mode):
            return _mode(values, reducer)
        if reducer.function in ("min", "max") and reducer.as_type == "string":
            texts = [text(value) for value in values]
            return (min if reducer.function == "min" else max)(texts) if texts else None
        numbers = [n for n in (to_number(value) for value in values) if n is not None]
        if not numbers:
            return None
        if reducer.function == "sum":
            return sum(numbers)
        if reducer.function == "avg":
            return sum(numbers) / len(numbers)
        return (min if reducer.function == "min" else max)(numbers)

    # -- conditions -------------------------------------------------------------------------
    def holds(self, condition: BoolExpr, scope: _Scope) -> bool:
        if isinstance(condition, Junction):
            results = (self.holds(operand, scope) for operand in condition.operands)
            return all(results) if condition.operator == "AND" else any(results)
        if isinstance(condition, Unary):
            if condition.operator == "NOT":
                return not self.holds(condition.operand, scope)
            return self._over_users(condition)
        return self._compare(condition, scope)

    def _over_users(self, condition: Unary) -> bool:
        if self.users is None:
            raise QueryEvaluationError(
                f"{condition.operator} (account audiences) needs the account's users: "
                "evaluate(..., users=[Member(events, traits), ...])"
            )
        results = [
            _profile(user.events, self.at, user.traits, None, None).holds(
                condition.operand, _Scope(None, None)
            )
            for user in self.users
        ]
        if condition.operator == "ANY":
            return any(results)
        # ALL over an account without users: no user satisfies it, so false.
        return bool(results) and all(results)

    def _scalar(self, node: Any, scope: _Scope) -> Any:
        if isinstance(node, Literal):
            return node.value.text if isinstance(node.value, Timestamp) else node.value
        if isinstance(node, Trait):
            return path(self.traits, node.key)
        if isinstance(node, Chain):
            # A chain inside a where runs with the tested event as its parent.
            return self.chain(node, scope.event)
        if isinstance(node, (Property, Context)):
            source = scope.parent if isinstance(node, Property) and node.parent else scope.event
            if source is None:
                raise QueryEvaluationError(f"{format_node(node)} has no event to read here")
            if isinstance(node, Property):
                return path(source.message.get("properties"), node.name)
            return path(source.message.get("context"), node.path)
        raise QueryEvaluationError(f"cannot read {type(node).__name__}")

    def _compare(self, comparison: Comparison, scope: _Scope) -> bool:
        value = self._scalar(comparison.subject, scope)
        comparator = comparison.comparator
        if comparator is Comparator.ABSENT:
            return value is None
        if comparator is Comparator.EXISTS:
            return value is not None
        if value is None:
            return False
        if comparator in DATE_COMPARATORS:
            return self._date(comparator, value, comparison.arguments)
        given = [self._scalar(argument, scope) for argument in comparison.arguments]
        return COMPARE[comparator](value, given)

    def _date(self, comparator: Comparator, value: Any, arguments: Sequence[Any]) -> bool:
        moment = parse_time(value)
        if moment is None:
            return False
        argument = arguments[0] if arguments else None
        if isinstance(argument, Duration):
            span = _delta(argument)
            return {
                Comparator.WITHIN_LAST: self.at - span <= moment <= self.at,
                Comparator.WITHIN_NEXT: self.at <= moment <= self.at + span,
                Comparator.BEFORE_LAST: moment < self.at - span,
                Comparator.AFTER_NEXT: moment > self.at + span,
            }[comparator]
        bound = parse_time(argument.value if isinstance(argument, Literal) else argument)
        if bound is None:
            raise QueryEvaluationError(f"{comparator.value} needs a date")
        return moment < bound if comparator is Comparator.BEFORE_DATE else moment > bound


def _mode(values: list[Any], reducer: Mode) -> Any:
    """The value seen most often, at least ``min_frequency`` times; ties to the alphabetically
    first. As text, except ``as array``: a whole array is one value, returned as the array."""
    counts = Counter(text(value) for value in values)
    frequent = [v for v, n in counts.items() if n >= reducer.min_frequency]
    if not frequent:
        return None
    winner = min(frequent, key=lambda v: (-counts[v], v))
    if reducer.as_type == "array":
        return next(value for value in values if text(value) == winner)
    return winner


def _source(message: Message) -> Any:
    return message.get("source_id", message.get("sourceId"))
