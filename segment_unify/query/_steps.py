"""Filters, reducers and comparators: the calls of a chain after its extractor.

Each reader checks the arguments a function documents (durations and their units, ``parent:``,
``{exclude: ...}``, reducer targets and their ``as`` types, comparator values) and builds the
typed step. Expressions inside them (``where`` conditions, comparator values) are read by the
subclass, :class:`~segment_unify.query._convert.Converter`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal as TypingLiteral
from typing import cast

from lark import Token, Tree

from segment_unify.query._arguments import ArgumentReader, Item
from segment_unify.query.nodes import (
    Aggregate,
    Argument,
    Between,
    BoolExpr,
    Chain,
    Comparator,
    Comparison,
    Context,
    Count,
    Duration,
    ExpiresAfter,
    Filter,
    First,
    Junction,
    Last,
    Literal,
    Mode,
    Property,
    Reducer,
    Sources,
    Trait,
    Unary,
    Unique,
    Where,
    Within,
)
from segment_unify.query.vocabulary import (
    MAX_TYPES,
    MODE_TYPES,
    REDUCERS,
    SESSION_UNITS,
    WINDOW_UNITS,
)

__all__ = ["REDUCER_HINT", "Scope", "StepReader", "Value", "quoted"]

Value = Comparison | Junction | Unary | Chain | Trait | Property | Context | Literal

_Function = TypingLiteral["sum", "avg", "min", "max"]
_MaxType = TypingLiteral["number", "string"] | None
_ModeType = TypingLiteral["string", "number", "array"] | None

_ARGUMENT_SHAPES = ("typed", "duration", "keyword", "brace", "bracket")
_ISO_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)

REDUCER_HINT = "a reducer (" + ", ".join(REDUCERS) + ")"
_TARGET = "property(...) or context(...)"
_DURATION = "a duration such as '7 days'"
_ONE_VALUE = (
    Comparator.EQUALS,
    Comparator.DIFFERS,
    Comparator.GREATER_THAN,
    Comparator.AT_LEAST,
    Comparator.LESS_THAN,
    Comparator.AT_MOST,
)
_ONE_STRING = (Comparator.OMITS, Comparator.STARTS_WITH, Comparator.ENDS_WITH)


def quoted(names: tuple[str, ...]) -> list[str]:
    return [f"'{name}'" for name in names]


@dataclass(frozen=True)
class Scope:
    """How many ``where(...)`` enclose this point, and whether it is a reducer's argument."""

    where_depth: int = 0
    reducer_arg: bool = False


class StepReader(ArgumentReader):
    """Reads chain steps; the expression readers are supplied by the subclass."""

    def expr(self, item: Item, scope: Scope) -> Value:
        raise NotImplementedError

    def condition(self, item: Item, scope: Scope) -> BoolExpr:
        raise NotImplementedError

    def value(self, item: Item, scope: Scope) -> Argument:
        raise NotImplementedError

    def plain(self, item: Item, what: str) -> None:
        """Rejects argument-only forms (``7 days``, ``x as string``, ``name:``, braces, lists)."""
        if isinstance(item, Tree) and item.data in _ARGUMENT_SHAPES:
            if item.data == "typed":
                raise self.error_after(item.children[0], ["')'", "','"])
            raise self.error_on(item, [what])

    def filter(self, name: str, call: Tree[Token], scope: Scope) -> Filter:
        args, span = self.arguments(call), self.span(call)
        if name == "where":
            self.arity(call, args, 1, "a condition")
            arg = args[0]
            if isinstance(arg, Tree) and arg.data == "brace":  # where({...}), as the table shows
                inner = self.arguments(arg)
                self.arity(arg, inner, 1, "a condition")
                arg = inner[0]
            return Where(self.condition(arg, Scope(scope.where_depth + 1)), span=span)
        if name == "sources":
            return Sources(self.excluded_sources(call, args), span=span)
        if name == "within":
            self.arity(call, args, 1, _DURATION)
            parent, duration = self.window_bound(args[0], scope)
            return Within(duration, parent, span=span)
        if name == "between":
            self.arity(call, args, 2, _DURATION)
            parent, start = self.window_bound(args[0], scope)
            parent_end, end = self.window_bound(args[1], scope)
            return Between(start, end, parent or parent_end, span=span)
        self.arity(call, args, 1, _DURATION)
        return ExpiresAfter(self.duration(args[0], SESSION_UNITS), span=span)

    def window_bound(self, item: Item, scope: Scope) -> tuple[bool, Duration]:
        keyword, value = self.keyword(item)
        if keyword not in (None, "parent"):
            raise self.error_on(item, ["'parent:'", _DURATION])
        if keyword == "parent" and scope.where_depth < 1:
            raise self.error_on(
                item, reason="parent: needs an enclosing event chain, and there is none here"
            )
        return keyword == "parent", self.duration(value, WINDOW_UNITS)

    def excluded_sources(self, call: Tree[Token], args: list[Item]) -> tuple[str, ...]:
        if len(args) == 1 and isinstance(args[0], Tree) and args[0].data == "brace":
            args = self.arguments(args[0])
        if not args:
            raise self.error_at(self.end(call) - 1, ["'{exclude: ...}'"])
        keyword, first = self.keyword(args[0])
        if keyword != "exclude":
            raise self.error_on(args[0], ["'exclude:'"])
        values = self.flatten_lists([first, *args[1:]])
        if not values:
            raise self.error_after(args[0], ["a quoted source id"])
        return tuple(self.string(value, "a quoted source id") for value in values)

    def reducer(self, name: str, call: Tree[Token], scope: Scope) -> Reducer:
        args, span = self.arguments(call), self.span(call)
        target_scope = Scope(scope.where_depth, reducer_arg=True)
        if name == "count":
            self.arity(call, args, 0, "')'")
            return Count(span=span)
        if name == "mode":
            self.arity(call, args, 2, "the minimum frequency")
            target, mode_type = self.target(args[0], target_scope, MODE_TYPES)
            frequency = self.whole_number(args[1], "a whole number (the minimum frequency)")
            return Mode(target, frequency, cast(_ModeType, mode_type), span=span)
        self.arity(call, args, 1, _TARGET)
        types = MAX_TYPES if name in ("min", "max") else ()
        target, as_type = self.target(args[0], target_scope, types)
        if name in ("sum", "avg", "min", "max"):
            function = cast(_Function, name)
            return Aggregate(function, target, cast(_MaxType, as_type), span=span)
        if name == "first":
            return First(target, span=span)
        if name == "last":
            return Last(target, span=span)
        return Unique(target, span=span)

    def target(
        self, item: Item, scope: Scope, types: tuple[str, ...]
    ) -> tuple[Property | Context, str | None]:
        as_type = None
        if isinstance(item, Tree) and item.data == "typed" and types:
            item, type_token = item.children
            if str(type_token) not in types:
                raise self.error_on(type_token, quoted(types))
            as_type = str(type_token)
        self.plain(item, _TARGET)
        node = self.expr(item, scope)
        if not isinstance(node, (Property, Context)):
            raise self.error_on(item, [_TARGET])
        return node, as_type

    def comparator(
        self,
        subject: Chain | Trait | Property | Context,
        comparator: Comparator,
        call: Tree[Token],
        scope: Scope,
    ) -> Comparison:
        args = self.arguments(call)
        arguments: tuple[Argument, ...]
        if comparator in _ONE_VALUE:
            self.arity(call, args, 1, "a value")
            arguments = (self.value(args[0], scope),)
        elif comparator in (Comparator.ABSENT, Comparator.EXISTS):
            self.arity(call, args, 0, "')'")
            arguments = ()
        elif comparator in _ONE_STRING:
            self.arity(call, args, 1, "a quoted string")
            arguments = (self.string_literal(args[0]),)
        elif comparator in (Comparator.CONTAINS, Comparator.ONE_OF, Comparator.NONE_OF):
            values = self.flatten_lists(args)
            if not values:
                raise self.error_at(self.end(call) - 1, ["a quoted string"])
            if comparator is Comparator.CONTAINS:
                arguments = tuple(self.string_literal(value) for value in values)
            else:
                arguments = tuple(self.plain_literal(value) for value in values)
        elif comparator in (Comparator.BEFORE_DATE, Comparator.AFTER_DATE):
            self.arity(call, args, 1, "a date or timestamp")
            arguments = (self.timestamp(args[0]),)
        else:
            self.arity(call, args, 1, _DURATION)
            arguments = (self.duration(args[0], WINDOW_UNITS),)
        start = subject.span.start if subject.span else self.start(call)
        span = self.span_range(start, self.end(call))
        return Comparison(subject, comparator, arguments, span=span)

    def string_literal(self, item: Item) -> Literal:
        return Literal(self.string(item, "a quoted string"), span=self.span(item))

    def plain_literal(self, item: Item) -> Literal:
        token = self.bare_literal(item)
        if token is None or token.type == "TIMESTAMP":
            raise self.error_on(item, ["a quoted string", "a number"])
        return Literal(self.literal_value(token), span=self.span(item))

    def timestamp(self, item: Item) -> Literal:
        token = self.bare_literal(item)
        if token is not None and (
            token.type == "TIMESTAMP"
            or (token.type == "STRING" and _ISO_DATE.fullmatch(str(self.literal_value(token))))
        ):
            return Literal(self.literal_value(token), span=self.span(item))
        raise self.error_on(item, ["a date or timestamp such as 2023-12-07T18:50:00Z"])
