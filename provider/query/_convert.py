"""Lark's parse tree to the typed tree, checking every call against the return-type table.

The table (what may follow each call) comes from Segment's reference: an extractor
``event``/``entity`` and its filters take filters and reducers; a reducer result, or a scalar
extractor ``trait``/``property``/``context``, takes one comparator; ``unique(...)`` takes only
``count()``; a comparator or junction ends the chain. ``property``/``context`` only appear inside
``where(...)`` or as a reducer's argument, and ``parent:`` only where an enclosing chain exists.

Not checked: whether events, properties or traits exist, or whether a value's type suits the
property (Segment treats strings as interchangeable with other types for event properties).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal as TypingLiteral
from typing import cast

from lark import Token, Tree

from segment_unify.provider.query._arguments import ArgumentReader, Item
from segment_unify.provider.query.nodes import (
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
    Entity,
    Event,
    ExpiresAfter,
    Filter,
    First,
    Junction,
    Last,
    Literal,
    Mode,
    Property,
    Query,
    Reducer,
    ResultKind,
    Sources,
    Trait,
    Unary,
    Unique,
    Where,
    Within,
)
from segment_unify.provider.query.vocabulary import (
    COMPARATORS,
    EXTRACTORS,
    FILTERS,
    LEGACY_ALIASES,
    MAX_TYPES,
    MODE_TYPES,
    REDUCERS,
    SESSION_UNITS,
    SUGAR,
    WINDOW_UNITS,
)

__all__ = ["Converter"]

Value = Comparison | Junction | Unary | Chain | Trait | Property | Context | Literal

_Function = TypingLiteral["sum", "avg", "min", "max"]
_MaxType = TypingLiteral["number", "string"] | None
_ModeType = TypingLiteral["string", "number", "array"] | None

_BOOL = (Comparison, Junction, Unary)
_SCALARS = (Trait, Property, Context)
_ARGUMENT_SHAPES = ("typed", "duration", "keyword", "brace", "bracket")
_ISO_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)

_REDUCER = "a reducer (" + ", ".join(REDUCERS) + ")"
_COMPARISON = ("a comparison operator", "a comparator call such as .exists()")
_COUNT = "'.count()'"
_EXTRACTOR_NAMES = tuple(f"'{name}'" for name in EXTRACTORS)
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


def _quoted(names: tuple[str, ...]) -> list[str]:
    return [f"'{name}'" for name in names]


@dataclass(frozen=True)
class _Scope:
    """How many ``where(...)`` enclose this point, and whether it is a reducer's argument."""

    where_depth: int = 0
    reducer_arg: bool = False


class Converter(ArgumentReader):
    """Converts one parse tree of ``self.text``; raises QuerySyntaxError with positions."""

    def query(self, tree: Tree[Token]) -> Query:
        (root,) = tree.children
        node = self.expr(root, _Scope())
        if isinstance(node, _BOOL):
            return Query(node, ResultKind.BOOLEAN, self.text)
        if isinstance(node, Chain) and node.result != "stream":
            kind = ResultKind.LIST if node.result == "list" else ResultKind.SCALAR
            return Query(node, kind, self.text)
        if isinstance(node, Chain):
            raise self.error_after(root, [_REDUCER])
        if isinstance(node, _SCALARS):
            raise self.error_after(root, _COMPARISON)
        raise self.error_on(root, _EXTRACTOR_NAMES)

    # --- expressions -----------------------------------------------------------------------

    def expr(self, item: Item, scope: _Scope) -> Value:
        assert isinstance(item, Tree)
        data = item.data
        if data in ("or_expr", "and_expr"):
            operator: TypingLiteral["AND", "OR"] = "OR" if data == "or_expr" else "AND"
            operands: list[BoolExpr] = []
            for child in item.children:
                condition = self.condition(child, scope)
                if isinstance(condition, Junction) and condition.operator == operator:
                    operands.extend(condition.operands)  # (a AND b) AND c is a AND b AND c
                else:
                    operands.append(condition)
            return Junction(operator, tuple(operands), span=self.span(item))
        if data in ("not_", "any_", "all_"):
            unary = cast(TypingLiteral["NOT", "ANY", "ALL"], str(data)[:-1].upper())
            return Unary(unary, self.condition(item.children[0], scope), span=self.span(item))
        if data == "compare":
            return self.compare(item, scope)
        return self.postfix(item, scope)

    def plain(self, item: Item, what: str) -> None:
        """Rejects argument-only forms (``7 days``, ``x as string``, ``name:``, braces, lists)."""
        if isinstance(item, Tree) and item.data in _ARGUMENT_SHAPES:
            if item.data == "typed":
                raise self.error_after(item.children[0], ["')'", "','"])
            raise self.error_on(item, [what])

    def condition(self, item: Item, scope: _Scope) -> BoolExpr:
        self.plain(item, "a condition")
        node = self.expr(item, scope)
        if isinstance(node, _BOOL):
            return node
        if isinstance(node, Chain) and node.result == "stream":
            raise self.error_after(item, [_REDUCER])
        if isinstance(node, Chain) and node.result == "list":
            raise self.error_after(item, [_COUNT])
        if isinstance(node, Literal):
            raise self.error_on(item, ["a condition"])
        raise self.error_after(item, _COMPARISON)

    def value(self, item: Item, scope: _Scope) -> Argument:
        self.plain(item, "a value")
        node = self.expr(item, scope)
        if isinstance(node, (Literal, *_SCALARS)):
            return node
        if isinstance(node, Chain):
            if node.result == "stream":
                raise self.error_after(item, [_REDUCER])
            if node.result == "list":
                raise self.error_after(item, [_COUNT])
            return node
        raise self.error_on(item, ["a value"], reason="expected a value but found a condition")

    def compare(self, item: Tree[Token], scope: _Scope) -> Comparison:
        left_item, operator, right_item = item.children
        assert isinstance(operator, Token)
        left = self.expr(left_item, scope)
        if isinstance(left, _BOOL):
            raise self.error_on(operator, ["'AND'", "'OR'"])
        if isinstance(left, Literal):
            raise self.error_on(left_item, _EXTRACTOR_NAMES)
        if isinstance(left, Chain) and left.result != "scalar":
            raise self.error_on(operator, [_REDUCER if left.result == "stream" else _COUNT])
        right = self.value(right_item, scope)
        comparator = SUGAR[str(operator)]
        return Comparison(left, comparator, (right,), infix=True, span=self.span(item))

    # --- call chains -----------------------------------------------------------------------

    def postfix(self, item: Tree[Token], scope: _Scope) -> Value:
        primary, *calls = item.children
        assert isinstance(primary, Tree)
        node: Value
        if primary.data == "group":
            node = self.expr(primary.children[0], scope)
        elif primary.data == "literal":
            token = primary.children[0]
            assert isinstance(token, Token)
            node = Literal(self.literal_value(token), span=self.span(primary))
        else:
            node = self.head(primary, scope)
        for call in calls:
            assert isinstance(call, Tree)
            node = self.apply(node, call, scope)
        return node

    def head(self, call: Tree[Token], scope: _Scope) -> Value:
        name_token = call.children[0]
        name, args, span = str(name_token), self.arguments(call), self.span(call)
        if name in ("event", "entity", "trait"):
            self.arity(call, args, 1, f"a quoted {name} name")
            text = self.string(args[0], f"a quoted {name} name")
            if name == "trait":
                return Trait(text, span=span)
            source = Event(text, span=span) if name == "event" else Entity(text, span=span)
            return Chain(source, span=span)
        if name in ("property", "context"):
            return self.scoped_extractor(call, name, args, scope)
        if name == "literal":
            self.arity(call, args, 1, "a string, number, date or timestamp")
            token = self.bare_literal(args[0])
            if token is None:
                raise self.error_on(args[0], ["a string, number, date or timestamp"])
            return Literal(self.literal_value(token), explicit=True, span=span)
        raise self.error_on(name_token, _EXTRACTOR_NAMES)

    def scoped_extractor(
        self, call: Tree[Token], name: str, args: list[Item], scope: _Scope
    ) -> Property | Context:
        if scope.where_depth == 0 and not scope.reducer_arg:
            raise self.error_on(
                call,
                reason=f"{name}() may only be used inside where(...) or as a reducer's argument",
            )
        what = "a quoted property name" if name == "property" else "a quoted context path"
        self.arity(call, args, 1, what)
        keyword, value = self.keyword(args[0])
        if keyword is not None and (name == "context" or keyword != "parent"):
            raise self.error_on(args[0], [what])
        parent = keyword == "parent"
        if parent and scope.where_depth < (1 if scope.reducer_arg else 2):
            raise self.error_on(
                args[0], reason="parent: needs an enclosing event chain, and there is none here"
            )
        text = self.string(value, what)
        if name == "context":
            return Context(text, span=self.span(call))
        return Property(text, parent, span=self.span(call))

    def apply(self, node: Value, call: Tree[Token], scope: _Scope) -> Value:
        name_token = call.children[0]
        name = LEGACY_ALIASES.get(str(name_token), str(name_token))
        if isinstance(node, Literal):
            raise self.error_on(
                name_token, reason="nothing may follow a literal, but found {found}"
            )
        if isinstance(node, _BOOL):
            raise self.error_on(
                name_token, reason="nothing may follow a comparison, but found {found}"
            )
        if isinstance(node, _SCALARS) or node.result == "scalar":
            if name in COMPARATORS:
                return self.comparator(node, Comparator(name), call, scope)
            raise self.error_on(
                name_token,
                _quoted(COMPARATORS),
                reason="expected a comparator (" + ", ".join(COMPARATORS) + ") but found {found}",
            )
        step: Filter | Reducer
        if node.result == "list":
            if name != "count":
                raise self.error_on(name_token, ["'count'"])
            step = self.reducer(name, call, scope)
        elif name in FILTERS:
            step = self.filter(name, call, scope)
        elif name in REDUCERS:
            step = self.reducer(name, call, scope)
        else:
            raise self.error_on(
                name_token,
                _quoted(FILTERS + REDUCERS),
                reason=f"expected a filter ({', '.join(FILTERS)}) or {_REDUCER}"
                " but found {found}",
            )
        start = node.span.start if node.span else self.start(call)
        return Chain(node.source, (*node.steps, step), span=self.span_range(start, self.end(call)))

    # --- filters, reducers, comparators ----------------------------------------------------

    def filter(self, name: str, call: Tree[Token], scope: _Scope) -> Filter:
        args, span = self.arguments(call), self.span(call)
        if name == "where":
            self.arity(call, args, 1, "a condition")
            arg = args[0]
            if isinstance(arg, Tree) and arg.data == "brace":  # where({...}), as the table shows
                inner = self.arguments(arg)
                self.arity(arg, inner, 1, "a condition")
                arg = inner[0]
            return Where(self.condition(arg, _Scope(scope.where_depth + 1)), span=span)
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

    def window_bound(self, item: Item, scope: _Scope) -> tuple[bool, Duration]:
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

    def reducer(self, name: str, call: Tree[Token], scope: _Scope) -> Reducer:
        args, span = self.arguments(call), self.span(call)
        target_scope = _Scope(scope.where_depth, reducer_arg=True)
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
        self, item: Item, scope: _Scope, types: tuple[str, ...]
    ) -> tuple[Property | Context, str | None]:
        as_type = None
        if isinstance(item, Tree) and item.data == "typed" and types:
            item, type_token = item.children
            if str(type_token) not in types:
                raise self.error_on(type_token, _quoted(types))
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
        scope: _Scope,
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
