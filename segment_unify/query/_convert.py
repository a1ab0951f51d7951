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

from typing import Literal as TypingLiteral
from typing import cast

from lark import Token, Tree

from segment_unify.query._arguments import Item
from segment_unify.query._steps import REDUCER_HINT, Scope, StepReader, Value, quoted
from segment_unify.query.nodes import (
    Argument,
    BoolExpr,
    Chain,
    Comparator,
    Comparison,
    Context,
    Entity,
    Event,
    Filter,
    Junction,
    Literal,
    Property,
    Reducer,
    ResultKind,
    Trait,
    Unary,
)
from segment_unify.query.parsed import Query
from segment_unify.query.vocabulary import (
    COMPARATORS,
    EXTRACTORS,
    FILTERS,
    LEGACY_ALIASES,
    REDUCERS,
    SUGAR,
)

__all__ = ["Converter"]

_BOOL = (Comparison, Junction, Unary)
_SCALARS = (Trait, Property, Context)
_REDUCER = REDUCER_HINT
_COMPARISON = ("a comparison operator", "a comparator call such as .exists()")
_COUNT = "'.count()'"
_EXTRACTOR_NAMES = tuple(f"'{name}'" for name in EXTRACTORS)


class Converter(StepReader):
    """Converts one parse tree of ``self.text``; raises QuerySyntaxError with positions."""

    def query(self, tree: Tree[Token]) -> Query:
        (root,) = tree.children
        node = self.expr(root, Scope())
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

    def expr(self, item: Item, scope: Scope) -> Value:
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

    def condition(self, item: Item, scope: Scope) -> BoolExpr:
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

    def value(self, item: Item, scope: Scope) -> Argument:
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

    def compare(self, item: Tree[Token], scope: Scope) -> Comparison:
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

    def postfix(self, item: Tree[Token], scope: Scope) -> Value:
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

    def head(self, call: Tree[Token], scope: Scope) -> Value:
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
        self, call: Tree[Token], name: str, args: list[Item], scope: Scope
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

    def apply(self, node: Value, call: Tree[Token], scope: Scope) -> Value:
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
                quoted(COMPARATORS),
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
                quoted(FILTERS + REDUCERS),
                reason=f"expected a filter ({', '.join(FILTERS)}) or {_REDUCER}"
                " but found {found}",
            )
        start = node.span.start if node.span else self.start(call)
        return Chain(node.source, (*node.steps, step), span=self.span_range(start, self.end(call)))
