"""Typed builders for conditions: ``prop("direction") == "Inbound"``, ``trait("x") >= 5``.

Conditions combine with ``&`` (AND), ``|`` (OR) and ``~`` (NOT); ``any_user`` / ``all_users``
wrap one in ``ANY`` / ``ALL`` for account-level audiences. A condition on ``prop(...)`` or
``ctx(...)`` belongs inside an event builder's ``.where(...)``; one on ``trait(...)`` or on a
computed-trait builder (``event_counter(...).at_least(1)``) is an audience definition itself.

Python's ``and``/``or``/``not`` cannot be overloaded, so using a condition as a bool raises
TypeError rather than silently dropping half of it.
"""

from __future__ import annotations

import datetime
import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from segment_unify.query._pending import Pending, merge, pending_key, resolved, substitute
from segment_unify.query.nodes import (
    Argument,
    BoolExpr,
    Chain,
    Comparator,
    Comparison,
    Context,
    Duration,
    Junction,
    Literal,
    Property,
    ResultKind,
    Timestamp,
    TimeUnit,
    Trait,
    Unary,
)
from segment_unify.query.printer import format_node

if TYPE_CHECKING:
    import pulumi

    from segment_unify.query._pending import Keyed

__all__ = [
    "Comparable",
    "Condition",
    "ValueRef",
    "all_users",
    "any_user",
    "ctx",
    "make_duration",
    "prop",
    "trait",
]


def make_duration(
    *, days: int | None = None, hours: int | None = None, seconds: int | None = None
) -> Duration:
    """One :class:`Duration` in the smallest unit given (``days=1, hours=12`` is 36 hours)."""
    pairs = ((TimeUnit.DAY, days), (TimeUnit.HOUR, hours), (TimeUnit.SECOND, seconds))
    given = [(unit, amount) for unit, amount in pairs if amount is not None]
    if not given:
        raise TypeError("give the duration as days=, hours= or seconds=")
    for unit, amount in given:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ValueError(f"{unit.value}s must be a whole number >= 0, not {amount!r}")
    smallest = min((unit for unit, _ in given), key=lambda unit: unit.seconds)
    total = sum(unit.seconds * amount for unit, amount in given) // smallest.seconds
    if total < 1:
        raise ValueError("a duration must be at least 1 hour, day or second")
    return Duration(total, smallest)


def _name(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{what} must be a non-empty str, not {value!r}")
    return value


def _operand(value: object) -> Argument:
    """A Python value, a ``prop``/``trait``/``ctx`` reference or a scalar trait builder."""
    if isinstance(value, Comparable):
        return value._value_node()
    if isinstance(value, bool):
        raise TypeError("booleans are not query literals; compare against 'true' or 'false'")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be written in a query")
    if isinstance(value, (str, int, float)):
        return Literal(value)
    if isinstance(value, datetime.date):  # datetime included: both are written bare
        return Literal(Timestamp(value.isoformat()))
    raise TypeError(f"cannot use {type(value).__name__} {value!r} as a query value")


def _string(value: object) -> Literal:
    if not isinstance(value, str):
        raise TypeError(f"expected a str, not {value!r}")
    return Literal(value)


def _listed(value: object) -> Literal:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"expected a str or number, not {value!r}")
    return Literal(value)


def _date(value: object) -> Literal:
    if isinstance(value, datetime.date):
        return Literal(Timestamp(value.isoformat()))
    if isinstance(value, str):
        return Literal(value)
    raise TypeError(f"expected a date, datetime or ISO-8601 str, not {value!r}")


class Comparable:
    """The comparator calls shared by value references and computed-trait builders."""

    def _subject(self) -> Chain | Trait | Property | Context:
        raise NotImplementedError

    def _value_node(self) -> Argument:
        return self._subject()

    def _pending(self) -> Pending:
        return ()

    def _compare(self, comparator: Comparator, *arguments: Argument) -> Condition:
        infix = comparator.symbol is not None
        comparison = Comparison(self._subject(), comparator, arguments, infix=infix)
        return Condition(comparison, self._pending())

    def equals(self, value: object) -> Condition:
        return self._compare(Comparator.EQUALS, _operand(value))

    def differs(self, value: object) -> Condition:
        """``!=``; false when the value is null (add ``| ref.absent()`` to include nulls)."""
        return self._compare(Comparator.DIFFERS, _operand(value))

    def greater_than(self, value: object) -> Condition:
        return self._compare(Comparator.GREATER_THAN, _operand(value))

    def at_least(self, value: object) -> Condition:
        return self._compare(Comparator.AT_LEAST, _operand(value))

    def less_than(self, value: object) -> Condition:
        return self._compare(Comparator.LESS_THAN, _operand(value))

    def at_most(self, value: object) -> Condition:
        return self._compare(Comparator.AT_MOST, _operand(value))

    def exists(self) -> Condition:
        return self._compare(Comparator.EXISTS)

    def absent(self) -> Condition:
        return self._compare(Comparator.ABSENT)

    def contains(self, *values: str) -> Condition:
        """Substring match against any of ``values``."""
        if not values:
            raise TypeError("contains() needs at least one string")
        return self._compare(Comparator.CONTAINS, *map(_string, values))

    def omits(self, value: str) -> Condition:
        return self._compare(Comparator.OMITS, _string(value))

    def starts_with(self, value: str) -> Condition:
        return self._compare(Comparator.STARTS_WITH, _string(value))

    def ends_with(self, value: str) -> Condition:
        return self._compare(Comparator.ENDS_WITH, _string(value))

    def one_of(self, *values: str | int | float) -> Condition:
        if not values:
            raise TypeError("one_of() needs at least one value")
        return self._compare(Comparator.ONE_OF, *map(_listed, values))

    def none_of(self, *values: str | int | float) -> Condition:
        if not values:
            raise TypeError("none_of() needs at least one value")
        return self._compare(Comparator.NONE_OF, *map(_listed, values))

    def before_date(self, when: datetime.date | str) -> Condition:
        return self._compare(Comparator.BEFORE_DATE, _date(when))

    def after_date(self, when: datetime.date | str) -> Condition:
        return self._compare(Comparator.AFTER_DATE, _date(when))

    def within_last(self, *, days: int | None = None, hours: int | None = None) -> Condition:
        return self._compare(Comparator.WITHIN_LAST, make_duration(days=days, hours=hours))

    def within_next(self, *, days: int | None = None, hours: int | None = None) -> Condition:
        return self._compare(Comparator.WITHIN_NEXT, make_duration(days=days, hours=hours))

    def before_last(self, *, days: int | None = None, hours: int | None = None) -> Condition:
        return self._compare(Comparator.BEFORE_LAST, make_duration(days=days, hours=hours))

    def after_next(self, *, days: int | None = None, hours: int | None = None) -> Condition:
        return self._compare(Comparator.AFTER_NEXT, make_duration(days=days, hours=hours))


@dataclass(frozen=True, eq=False)
class ValueRef(Comparable):
    """``trait(...)``, ``property(...)`` or ``context(...)``; comparison operators build
    conditions (``==`` included, so refs are not hashable)."""

    node: Trait | Property | Context
    pending: Pending = ()
    """Trait keys known at ``up`` (``trait(resource)``), beside their placeholders in ``node``."""

    def _subject(self) -> Trait | Property | Context:
        return self.node

    def _pending(self) -> Pending:
        return self.pending

    def __eq__(self, other: object) -> Condition:  # type: ignore[override]
        return self.equals(other)

    def __ne__(self, other: object) -> Condition:  # type: ignore[override]
        return self.differs(other)

    def __gt__(self, other: object) -> Condition:
        return self.greater_than(other)

    def __ge__(self, other: object) -> Condition:
        return self.at_least(other)

    def __lt__(self, other: object) -> Condition:
        return self.less_than(other)

    def __le__(self, other: object) -> Condition:
        return self.at_most(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return format_node(self.node)


def prop(name: str, *, parent: bool = False) -> ValueRef:
    """An event property; ``parent=True`` reads the parent event in a funnel condition."""
    return ValueRef(Property(_name(name, "a property name"), parent))


def ctx(path: str) -> ValueRef:
    """An event's context field, e.g. ``ctx("page.url")``."""
    return ValueRef(Context(_name(path, "a context path")))


def trait(key: str | pulumi.Output[str] | Keyed) -> ValueRef:
    """A profile trait, or another audience or computed trait: by key, or by the resource (or
    an ``Output[str]`` key) of the same program, read at ``up`` (the audience then depends on
    it, and follows a rename)."""
    pending = None if isinstance(key, str) else pending_key(key)
    if pending is not None:
        placeholder, outputs = pending
        return ValueRef(Trait(placeholder), outputs)
    return ValueRef(
        Trait(_name(key, "a trait key, a ComputedTrait or Audience, or an Output[str]"))
    )


@dataclass(frozen=True)
class Condition:
    """A boolean query node. As an audience: ``.query`` and ``.definition``."""

    node: BoolExpr
    pending: Pending = field(default=(), compare=False)
    """Trait keys known at ``up`` (``trait(resource)``); the definition is then an Output."""

    def __and__(self, other: Condition) -> Condition:
        return _junction("AND", self, other)

    def __or__(self, other: Condition) -> Condition:
        return _junction("OR", self, other)

    def __invert__(self) -> Condition:
        return Condition(Unary("NOT", self.node), self.pending)

    def __bool__(self) -> bool:
        raise TypeError("combine conditions with &, | and ~, not and / or / not")

    @functools.cached_property
    def query(self) -> str:
        """The audience query; raises ValueError if it reads event properties outside a
        ``.where(...)``, QuerySyntaxError/QueryValidationError if Segment would reject it."""
        from segment_unify.query.validate import validate

        if self.pending:
            raise ValueError(
                f"{self} reads the key of a trait the program makes, known at `pulumi up`; "
                "pass the condition itself as the audience's definition"
            )
        loose = _loose_extractors(self.node)
        if loose:
            raise ValueError(
                f"{format_node(loose[0])} reads an event; use it inside an event builder's "
                ".where(...), or trait(...) for a profile trait"
            )
        text = format_node(self.node)
        validate(text, expect=ResultKind.BOOLEAN)
        return text

    @property
    def definition(self) -> dict[str, str]:
        """The Public API audience ``definition`` (the audience type is a separate field)."""
        return {"query": self.query}

    def to_prop(self) -> dict[str, str] | pulumi.Output[dict[str, str]]:
        """As an audience's ``definition``: the mapping, or an Output of it where a trait key
        is known at ``up`` only (it then carries the trait resource as a dependency)."""
        if not self.pending:
            return self.definition
        return resolved(
            self.pending, lambda keys: Condition(substitute(self.node, keys)).definition
        )

    def __str__(self) -> str:
        return format_node(self.node)


def _junction(operator: TypingLiteral["AND", "OR"], *conditions: object) -> Condition:
    operands: list[BoolExpr] = []
    pending: list[Pending] = []
    for condition in conditions:
        if not isinstance(condition, Condition):
            raise TypeError(f"cannot combine a condition with {condition!r}")
        node = condition.node
        pending.append(condition.pending)
        if isinstance(node, Junction) and node.operator == operator:
            operands.extend(node.operands)
        else:
            operands.append(node)
    return Condition(Junction(operator, tuple(operands)), merge(*pending))


def any_user(condition: Condition) -> Condition:
    """``ANY (...)``: at least one user of the account matches (ACCOUNTS definitions)."""
    return Condition(Unary("ANY", condition.node), condition.pending)


def all_users(condition: Condition) -> Condition:
    """``ALL (...)``: every user of the account matches (ACCOUNTS definitions)."""
    return Condition(Unary("ALL", condition.node), condition.pending)


def _loose_extractors(node: object) -> list[Property | Context]:
    """Property/context references outside any chain's where (invalid at audience level)."""
    if isinstance(node, (Property, Context)):
        return [node]
    if isinstance(node, Junction):
        return [found for child in node.operands for found in _loose_extractors(child)]
    if isinstance(node, Unary):
        return _loose_extractors(node.operand)
    if isinstance(node, Comparison):
        parts = [node.subject, *node.arguments]
        return [found for part in parts for found in _loose_extractors(part)]
    return []
