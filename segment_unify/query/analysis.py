"""What a parsed query uses: events, properties, traits, windows, reducers, expression count.

These read the typed tree only; they do not look anything up in Segment. Every helper takes
query text (parsed first), a :class:`Query` or any node, and looks inside nested chains (funnel
conditions, dynamic values).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal as TypingLiteral

from segment_unify.query.nodes import (
    Aggregate,
    Between,
    Chain,
    Context,
    Count,
    Duration,
    Entity,
    Event,
    ExpiresAfter,
    First,
    Last,
    Mode,
    Property,
    Span,
    Trait,
    Unique,
    Within,
)
from segment_unify.query.parsed import Query

__all__ = [
    "ReducerUse",
    "Window",
    "events_used",
    "extractors",
    "primary_expression_count",
    "properties_used",
    "reducers",
    "traits_used",
    "walk",
    "windows",
]

Node = object  # query text, a Query, or any tree node
_LEAVES = (Span, Duration)


def walk(node: Node) -> Iterator[object]:
    """Every node under ``node`` (itself included), depth first in source order."""
    if isinstance(node, str):
        from segment_unify.query.parser import parse

        node = parse(node)
    if isinstance(node, Query):
        node = node.root
    yield node
    if not dataclasses.is_dataclass(node) or isinstance(node, _LEAVES):
        return
    for field in dataclasses.fields(node):
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        children = value if isinstance(value, tuple) else (value,)
        for child in children:
            if dataclasses.is_dataclass(child) and not isinstance(child, _LEAVES):
                yield from walk(child)


Extractor = Event | Entity | Trait | Property | Context


def extractors(query: Query | Node) -> list[Extractor]:
    """Every extractor call (``literal`` excluded), in source order."""
    kinds = (Event, Entity, Trait, Property, Context)
    return [node for node in walk(query) if isinstance(node, kinds)]


def primary_expression_count(query: Query | Node) -> int:
    """Extractor calls other than ``literal`` (Segment allows at most 50 per definition).

    Segment does not define "primary expression" further; counting extractor calls is the
    reading its reference suggests. Bare and explicit literals are not counted.
    """
    return len(extractors(query))


def events_used(query: Query | Node) -> set[str]:
    return {node.name for node in walk(query) if isinstance(node, Event)}


def properties_used(query: Query | Node) -> set[str]:
    """Event/entity property names, including ``property(parent: ...)`` ones."""
    return {node.name for node in walk(query) if isinstance(node, Property)}


def traits_used(query: Query | Node) -> set[str]:
    """Trait keys referenced with ``trait(...)`` (also other audiences / computed traits)."""
    return {node.key for node in walk(query) if isinstance(node, Trait)}


@dataclass(frozen=True)
class Window:
    """A time filter on one chain: ``within``, ``between`` or ``expires_after``.

    ``length`` is how far back the window reaches (``between``'s far end); ``start`` is
    ``between``'s near end. ``source`` is the event name or entity slug the chain reads.
    """

    kind: TypingLiteral["within", "between", "expires_after"]
    length: Duration
    start: Duration | None
    parent: bool
    source: str

    @property
    def hours(self) -> float:
        return self.length.hours

    @property
    def days(self) -> float:
        return self.length.days


def _source(chain: Chain) -> str:
    return chain.source.name if isinstance(chain.source, Event) else chain.source.slug


def windows(query: Query | Node) -> list[Window]:
    found: list[Window] = []
    for chain in (node for node in walk(query) if isinstance(node, Chain)):
        for step in chain.steps:
            if isinstance(step, Within):
                found.append(Window("within", step.duration, None, step.parent, _source(chain)))
            elif isinstance(step, Between):
                found.append(Window("between", step.end, step.start, step.parent, _source(chain)))
            elif isinstance(step, ExpiresAfter):
                found.append(Window("expires_after", step.duration, None, False, _source(chain)))
    return found


@dataclass(frozen=True)
class ReducerUse:
    """One reducer call: ``function`` is its name; ``count`` after ``unique`` has
    ``of_unique=True``. ``min_frequency`` is set for ``mode`` only."""

    function: str
    property: str | None
    source: str
    as_type: str | None = None
    min_frequency: int | None = None
    of_unique: bool = False


def reducers(query: Query | Node) -> list[ReducerUse]:
    found: list[ReducerUse] = []
    for chain in (node for node in walk(query) if isinstance(node, Chain)):
        source, after_unique = _source(chain), False
        for step in chain.steps:
            if isinstance(step, Count):
                found.append(ReducerUse("count", None, source, of_unique=after_unique))
            elif isinstance(step, Aggregate):
                target = _target(step.target)
                found.append(ReducerUse(step.function, target, source, step.as_type))
            elif isinstance(step, Mode):
                target = _target(step.target)
                found.append(ReducerUse("mode", target, source, step.as_type, step.min_frequency))
            elif isinstance(step, (First, Last, Unique)):
                name = type(step).__name__.lower()
                found.append(ReducerUse(name, _target(step.target), source))
                after_unique = isinstance(step, Unique)
    return found


def _target(target: Property | Context) -> str:
    return target.name if isinstance(target, Property) else target.path
