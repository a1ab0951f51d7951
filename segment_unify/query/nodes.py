"""The typed syntax tree of Segment's query language.

Every node is a frozen dataclass. Source positions (``span``) and purely cosmetic choices
(``literal(5)`` versus a bare ``5``, ``equals(5)`` versus ``= 5``) are kept for messages and
re-printing but left out of equality, so two spellings of the same query compare equal.

A call chain is a :class:`Chain` (``event(...)`` or ``entity(...)`` followed by filters and
reducers) or a bare scalar extractor (:class:`Trait`, :class:`Property`, :class:`Context`);
a comparator call or infix operator turns either into a :class:`Comparison`. The tree holds
only chains that obey the documented return-type table: the parser rejects the others.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

__all__ = [
    "Aggregate",
    "Argument",
    "Between",
    "BoolExpr",
    "Chain",
    "Comparator",
    "Comparison",
    "Context",
    "Count",
    "Duration",
    "Entity",
    "Event",
    "ExpiresAfter",
    "Filter",
    "First",
    "Junction",
    "Last",
    "Literal",
    "LiteralValue",
    "Mode",
    "Property",
    "Reducer",
    "ResultKind",
    "ScalarExtractor",
    "Sources",
    "Span",
    "Step",
    "TimeUnit",
    "Timestamp",
    "Unary",
    "Unique",
    "Where",
    "Within",
]


@dataclass(frozen=True)
class Span:
    """Where a node sits in the query text (1-based line/column, 0-based offsets)."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


class ResultKind(enum.Enum):
    """What a whole definition produces: audiences need BOOLEAN, computed traits SCALAR.

    LIST is the ListScalar of ``unique(...)`` without ``count()`` (the "unique list" trait).
    """

    SCALAR = "scalar"
    LIST = "list"
    BOOLEAN = "boolean"


class TimeUnit(enum.Enum):
    SECOND = "second"
    HOUR = "hour"
    DAY = "day"

    @property
    def seconds(self) -> int:
        return {"second": 1, "hour": 3600, "day": 86400}[self.value]


@dataclass(frozen=True)
class Duration:
    """``<int> <unit>``, as in ``within(7 days)``."""

    amount: int
    unit: TimeUnit

    @property
    def total_seconds(self) -> int:
        return self.amount * self.unit.seconds

    @property
    def hours(self) -> float:
        return self.total_seconds / 3600

    @property
    def days(self) -> float:
        return self.total_seconds / 86400

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value}{'' if self.amount == 1 else 's'}"


@dataclass(frozen=True)
class Timestamp:
    """A bare (unquoted) date ``2023-12-07`` or ISO-8601 timestamp, kept as written."""

    text: str


LiteralValue = str | int | float | Timestamp


@dataclass(frozen=True)
class Literal:
    value: LiteralValue
    explicit: bool = field(default=False, compare=False)  # written as literal(...)
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


# --- extractors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    name: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Entity:
    """A Data Graph relationship slug (linked audiences only)."""

    slug: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Trait:
    """A profile trait, or another audience or computed trait by its key."""

    key: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Property:
    """An event or entity property; ``parent`` means the parent event of a funnel."""

    name: str
    parent: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Context:
    path: str
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


ScalarExtractor = Trait | Property | Context


# --- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    condition: BoolExpr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Sources:
    exclude: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Within:
    duration: Duration
    parent: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Between:
    start: Duration
    end: Duration
    parent: bool = False
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class ExpiresAfter:
    """A session window; always computed in real time."""

    duration: Duration
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


Filter = Where | Sources | Within | Between | ExpiresAfter


# --- reducers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Aggregate:
    """``sum``/``avg``/``min``/``max``; ``as_type`` (min/max only) picks numeric or text order."""

    function: TypingLiteral["sum", "avg", "min", "max"]
    target: Property | Context
    as_type: TypingLiteral["number", "string"] | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Mode:
    """Most frequent value seen at least ``min_frequency`` times."""

    target: Property | Context
    min_frequency: int
    as_type: TypingLiteral["string", "number", "array"] | None = None
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class First:
    target: Property | Context
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Last:
    target: Property | Context
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Unique:
    """The list of unique values (a ListScalar: only ``count()`` may follow)."""

    target: Property | Context
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


Reducer = Count | Aggregate | Mode | First | Last | Unique
Step = Filter | Reducer


@dataclass(frozen=True)
class Chain:
    """``event(...)`` / ``entity(...)`` followed by filters and reducers, in call order."""

    source: Event | Entity
    steps: tuple[Step, ...] = ()
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)

    @property
    def result(self) -> TypingLiteral["stream", "scalar", "list"]:
        """``stream`` until a reducer, ``list`` after ``unique``, else ``scalar``."""
        reducers = [s for s in self.steps if not isinstance(s, _FILTERS)]
        if not reducers:
            return "stream"
        return "list" if isinstance(reducers[-1], Unique) else "scalar"


_FILTERS = (Where, Sources, Within, Between, ExpiresAfter)


# --- comparisons and junctions ---------------------------------------------------------------


class Comparator(enum.Enum):
    EQUALS = "equals"
    DIFFERS = "differs"
    ABSENT = "absent"
    EXISTS = "exists"
    GREATER_THAN = "greater_than"
    AT_LEAST = "at_least"
    LESS_THAN = "less_than"
    AT_MOST = "at_most"
    CONTAINS = "contains"
    OMITS = "omits"
    STARTS_WITH = "starts_with"
    ENDS_WITH = "ends_with"
    ONE_OF = "one_of"
    NONE_OF = "none_of"
    BEFORE_DATE = "before_date"
    AFTER_DATE = "after_date"
    WITHIN_LAST = "within_last"
    WITHIN_NEXT = "within_next"
    BEFORE_LAST = "before_last"
    AFTER_NEXT = "after_next"

    @property
    def symbol(self) -> str | None:
        """The infix operator this comparator may be written as, if any."""
        return _SYMBOLS.get(self)


_SYMBOLS = {
    Comparator.EQUALS: "=",
    Comparator.DIFFERS: "!=",
    Comparator.GREATER_THAN: ">",
    Comparator.AT_LEAST: ">=",
    Comparator.LESS_THAN: "<",
    Comparator.AT_MOST: "<=",
}

Argument = Literal | Duration | Trait | Property | Context | Chain


@dataclass(frozen=True)
class Comparison:
    subject: Chain | Trait | Property | Context
    comparator: Comparator
    arguments: tuple[Argument, ...] = ()
    infix: bool = field(default=False, compare=False)  # written with =, !=, >, ...
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Junction:
    """``A AND B AND ...`` or ``A OR B OR ...`` (nested ones of the same operator flattened)."""

    operator: TypingLiteral["AND", "OR"]
    operands: tuple[BoolExpr, ...]
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Unary:
    """``NOT x``; ``ANY x`` / ``ALL x`` (some / every user of an account)."""

    operator: TypingLiteral["NOT", "ANY", "ALL"]
    operand: BoolExpr
    span: Span | None = field(default=None, compare=False, repr=False, kw_only=True)


BoolExpr = Comparison | Junction | Unary
