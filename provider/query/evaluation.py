"""``evaluate()``: a definition's value for one profile, from its events, at a given time.

A pure function: no clock, no I/O. Events are Segment messages (what the Tracking API takes
and the Profile API's `events` returns): ``type``, ``event`` (track) or ``name`` (page,
screen), ``properties``, ``context``, ``timestamp`` (ISO-8601 text or a datetime), and
``source_id``/``sourceId`` for ``sources(...)``. Traits are the profile's, by key (also other
computed traits and audiences by key).

Semantics, where Segment's reference leaves them open the choice is named:
- ``event(E)``: the events named E (a track's ``event``; a page's or screen's ``name``, else
  ``Page Viewed``/``Screen Viewed``; ``Identify``, ``Group``, ``Alias``) with a timestamp no
  later than ``at`` (later ones have not happened yet).
- ``within(D)``: timestamps in [at - D, at]; ``between(A, B)``: in [at - B, at - A]. With
  ``parent:``, inside a ``where`` of another event: [parent, parent + D] (resp. + A .. + B),
  i.e. after the parent event, as Segment's "returned within 5 days" example reads.
- ``where(C)``: the events for which C holds; ``property(p)`` and ``context(p)`` read the
  event (a ``.`` descends into objects), ``property(parent: p)`` the parent event.
- ``count()``: how many events. ``sum``/``avg``/``min``/``max``: over the numeric values
  (numbers, and text that reads as one); ``min``/``max`` ``as string`` compare text. With no
  value they give ``None`` (the trait has no value), ``count()`` gives 0.
- ``mode(p, d)``: the value seen most often, if at least ``d`` times (as text; ties go to the
  alphabetically first, as Segment documents). ``first(p)``/``last(p)``: the value on the
  earliest/latest event that has one. ``unique(p)``: the distinct values, in the order first
  seen; ``.count()`` after it: how many.
- Comparisons: numbers compare as numbers when both sides read as numbers, else as text;
  ``differs``, ``none_of`` and the order comparators are false on a missing value (Segment
  documents this for ``differs``); ``contains`` is a substring test against any argument (on a
  list value: against any element). Date comparators read the value as an ISO timestamp;
  ``within_last(D)`` is [at - D, at], ``within_next(D)`` [at, at + D], ``before_last(D)``
  before at - D, ``after_next(D)`` after at + D.
Not evaluated (raise QueryEvaluationError): ``entity(...)`` (linked audiences), ``ANY``/``ALL``
(account audiences), ``expires_after`` (session windows), ``mode(... as array)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from segment_unify.provider.query.errors import QueryError
from segment_unify.provider.query.nodes import (
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
    ExpiresAfter,
    First,
    Junction,
    Last,
    Literal,
    Mode,
    Property,
    Query,
    Sources,
    Timestamp,
    Trait,
    Unary,
    Unique,
    Where,
    Within,
)
from segment_unify.provider.query.parser import parse
from segment_unify.provider.query.printer import format_node

__all__ = ["QueryEvaluationError", "evaluate", "event_name"]

Message = Mapping[str, Any]

_NAMED_BY_TYPE = {"identify": "Identify", "group": "Group", "alias": "Alias"}


class QueryEvaluationError(QueryError):
    """A construct the evaluator does not compute."""


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
) -> Any:
    """The value of ``definition`` for a profile with these events and traits at ``at``.

    A computed trait's query gives its value (a number, text, a list, or None); an audience's
    gives True or False.
    """
    query = parse(definition) if isinstance(definition, str) else definition
    moment = _aware(at)
    timed = sorted(
        (_Event(message, _time(message)) for message in events),
        key=lambda event: event.at,
    )
    profile = _Profile([e for e in timed if e.at <= moment], moment, dict(traits or {}))
    root = query.root
    if isinstance(root, Chain):
        return profile.chain(root, None)
    return profile.holds(root, _Scope(None, None))


@dataclass(frozen=True)
class _Event:
    message: Message
    at: datetime


@dataclass(frozen=True)
class _Scope:
    """Where a condition is read: the event a ``where`` tests, and the event of the chain
    that chain is nested in (what ``parent:`` means)."""

    event: _Event | None
    parent: _Event | None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, Timestamp):
        value = value.text
    if not isinstance(value, str):
        return None
    try:
        return _aware(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def _time(message: Message) -> datetime:
    moment = _parse_time(message.get("timestamp") or message.get("receivedAt"))
    if moment is None:
        raise QueryEvaluationError(f"event {event_name(message)!r} has no readable timestamp")
    return moment


def _path(container: Any, path: str) -> Any:
    if isinstance(container, Mapping) and path in container:
        return container[path]
    for key in path.split("."):
        if not isinstance(container, Mapping):
            return None
        container = container.get(key)
    return container


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(left: Any, right: Any) -> bool:
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return a == b
    return _text(left) == _text(right)


def _order(left: Any, right: Any) -> int:
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    x, y = _text(left), _text(right)
    return (x > y) - (x < y)


def _delta(duration: Duration) -> timedelta:
    return timedelta(seconds=duration.total_seconds)


@dataclass
class _Profile:
    events: list[_Event]
    at: datetime
    traits: dict[str, Any]

    # -- streams and reducers -------------------------------------------------------------
    def chain(self, chain: Chain, parent: _Event | None) -> Any:
        if isinstance(chain.source, Entity):
            raise QueryEvaluationError("entity(...) (linked audiences) is not evaluated")
        stream = [e for e in self.events if event_name(e.message) == chain.source.name]
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
                raise QueryEvaluationError("expires_after(...) (session windows) is not evaluated")
            elif isinstance(step, Count):
                return len(values) if values is not None else len(stream)
            elif isinstance(step, Unique):
                values = _unique(self._values(step.target, stream))
            else:
                return self._reduce(step, stream)
        return values if values is not None else stream

    def _in_window(self, step: Within | Between, event: _Event, parent: _Event | None) -> bool:
        if step.parent:
            if parent is None:
                raise QueryEvaluationError("a parent: window needs a parent event")
            if isinstance(step, Within):
                return parent.at <= event.at <= parent.at + _delta(step.duration)
            near, far = sorted((_delta(step.start), _delta(step.end)))
            return parent.at + near <= event.at <= parent.at + far
        if isinstance(step, Within):
            return self.at - _delta(step.duration) <= event.at <= self.at
        near, far = sorted((_delta(step.start), _delta(step.end)))
        return self.at - far <= event.at <= self.at - near

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
            if reducer.as_type == "array":
                raise QueryEvaluationError("mode(... as array) is not evaluated")
            counts = Counter(_text(value) for value in values)
            frequent = [v for v, n in counts.items() if n >= reducer.min_frequency]
            return min(frequent, key=lambda v: (-counts[v], v)) if frequent else None
        if reducer.function in ("min", "max") and reducer.as_type == "string":
            texts = [_text(value) for value in values]
            return (min if reducer.function == "min" else max)(texts) if texts else None
        numbers = [n for n in (_number(value) for value in values) if n is not None]
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
            if condition.operator != "NOT":
                raise QueryEvaluationError(
                    f"{condition.operator} (account audiences) is not evaluated"
                )
            return not self.holds(condition.operand, scope)
        return self._compare(condition, scope)

    def _scalar(self, node: Any, scope: _Scope) -> Any:
        if isinstance(node, Literal):
            return node.value.text if isinstance(node.value, Timestamp) else node.value
        if isinstance(node, Trait):
            return _path(self.traits, node.key)
        if isinstance(node, Chain):
            # A chain inside a where runs with the tested event as its parent.
            return self.chain(node, scope.event)
        if isinstance(node, (Property, Context)):
            source = scope.parent if isinstance(node, Property) and node.parent else scope.event
            if source is None:
                raise QueryEvaluationError(f"{format_node(node)} has no event to read here")
            if isinstance(node, Property):
                return _path(source.message.get("properties"), node.name)
            return _path(source.message.get("context"), node.path)
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
        if comparator in _DATE_COMPARATORS:
            return self._date(comparator, value, comparison.arguments)
        given = [self._scalar(argument, scope) for argument in comparison.arguments]
        return _COMPARE[comparator](value, given)

    def _date(self, comparator: Comparator, value: Any, arguments: Sequence[Any]) -> bool:
        moment = _parse_time(value)
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
        bound = _parse_time(argument.value if isinstance(argument, Literal) else argument)
        if bound is None:
            raise QueryEvaluationError(f"{comparator.value} needs a date")
        return moment < bound if comparator is Comparator.BEFORE_DATE else moment > bound


def _source(message: Message) -> Any:
    return message.get("source_id", message.get("sourceId"))


def _unique(values: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if not any(_same(value, known) for known in seen):
            seen.append(value)
    return seen


def _contains(value: Any, needles: list[Any]) -> bool:
    haystacks = value if isinstance(value, list) else [value]
    return any(_text(n) in _text(h) for h in haystacks for n in needles)


_DATE_COMPARATORS = {
    Comparator.BEFORE_DATE,
    Comparator.AFTER_DATE,
    Comparator.WITHIN_LAST,
    Comparator.WITHIN_NEXT,
    Comparator.BEFORE_LAST,
    Comparator.AFTER_NEXT,
}

_COMPARE: dict[Comparator, Callable[[Any, list[Any]], bool]] = {
    Comparator.EQUALS: lambda v, a: _same(v, a[0]),
    Comparator.DIFFERS: lambda v, a: not _same(v, a[0]),
    Comparator.GREATER_THAN: lambda v, a: a[0] is not None and _order(v, a[0]) > 0,
    Comparator.AT_LEAST: lambda v, a: a[0] is not None and _order(v, a[0]) >= 0,
    Comparator.LESS_THAN: lambda v, a: a[0] is not None and _order(v, a[0]) < 0,
    Comparator.AT_MOST: lambda v, a: a[0] is not None and _order(v, a[0]) <= 0,
    Comparator.CONTAINS: _contains,
    Comparator.OMITS: lambda v, a: not _contains(v, a),
    Comparator.STARTS_WITH: lambda v, a: _text(v).startswith(_text(a[0])),
    Comparator.ENDS_WITH: lambda v, a: _text(v).endswith(_text(a[0])),
    Comparator.ONE_OF: lambda v, a: any(_same(v, x) for x in a),
    Comparator.NONE_OF: lambda v, a: not any(_same(v, x) for x in a),
}
