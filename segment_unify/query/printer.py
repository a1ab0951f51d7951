"""The typed tree back to query text, in one canonical form.

Strings single-quoted; the six sugared comparators as infix operators (``=``, ``!=``, ``>``,
``>=``, ``<``, ``<=``) when built that way, the others as calls; lists as variadic arguments;
durations as ``1 day`` / ``7 days``; ``NOT``/``ANY``/``ALL`` with their operand in parentheses
(unless it is another ``NOT``/``ANY``/``ALL``) so the text does not lean on operator precedence.
Legacy names and brace/bracket forms the parser accepts are never written.
"""

from __future__ import annotations

from segment_unify.query._text import number_text, quote
from segment_unify.query.nodes import (
    Aggregate,
    Argument,
    Between,
    BoolExpr,
    Chain,
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
    LiteralValue,
    Mode,
    Property,
    Sources,
    Step,
    Timestamp,
    Trait,
    Unary,
    Unique,
    Where,
    Within,
)

__all__ = ["format_node"]


def format_node(node: BoolExpr | Argument | Event | Entity) -> str:
    """Query text for any expression node (a whole definition or a part of one)."""
    if isinstance(node, Junction):
        return f" {node.operator} ".join(_operand(node, child) for child in node.operands)
    if isinstance(node, Unary):
        inner = format_node(node.operand)
        return f"{node.operator} {inner if isinstance(node.operand, Unary) else f'({inner})'}"
    if isinstance(node, Comparison):
        return _comparison(node)
    if isinstance(node, Chain):
        return format_node(node.source) + "".join("." + _step(step) for step in node.steps)
    if isinstance(node, Event):
        return f"event({quote(node.name)})"
    if isinstance(node, Entity):
        return f"entity({quote(node.slug)})"
    if isinstance(node, Trait):
        return f"trait({quote(node.key)})"
    if isinstance(node, Property):
        return f"property({'parent: ' if node.parent else ''}{quote(node.name)})"
    if isinstance(node, Context):
        return f"context({quote(node.path)})"
    if isinstance(node, Literal):
        text = _value(node.value)
        return f"literal({text})" if node.explicit else text
    if isinstance(node, Duration):
        return str(node)
    raise TypeError(f"not a query node: {node!r}")


def _operand(junction: Junction, child: BoolExpr) -> str:
    text = format_node(child)
    # AND binds tighter than OR, so only an OR inside an AND needs parentheses.
    if isinstance(child, Junction) and child.operator != junction.operator == "AND":
        return f"({text})"
    return text


def _comparison(node: Comparison) -> str:
    subject = format_node(node.subject)
    symbol = node.comparator.symbol
    if node.infix and symbol is not None and len(node.arguments) == 1:
        return f"{subject} {symbol} {format_node(node.arguments[0])}"
    arguments = ", ".join(format_node(argument) for argument in node.arguments)
    return f"{subject}.{node.comparator.value}({arguments})"


def _value(value: LiteralValue) -> str:
    if isinstance(value, Timestamp):
        return value.text
    if isinstance(value, str):
        return quote(value)
    return number_text(value)


def _step(step: Step) -> str:
    if isinstance(step, Where):
        return f"where({format_node(step.condition)})"
    if isinstance(step, Sources):
        return "sources({exclude: " + ", ".join(quote(s) for s in step.exclude) + "})"
    if isinstance(step, Within):
        return f"within({'parent: ' if step.parent else ''}{step.duration})"
    if isinstance(step, Between):
        return f"between({'parent: ' if step.parent else ''}{step.start}, {step.end})"
    if isinstance(step, ExpiresAfter):
        return f"expires_after({step.duration})"
    if isinstance(step, Count):
        return "count()"
    if isinstance(step, Aggregate):
        return f"{step.function}({_target(step.target, step.as_type)})"
    if isinstance(step, Mode):
        return f"mode({_target(step.target, step.as_type)}, {step.min_frequency})"
    if isinstance(step, First):
        return f"first({format_node(step.target)})"
    if isinstance(step, Last):
        return f"last({format_node(step.target)})"
    if isinstance(step, Unique):
        return f"unique({format_node(step.target)})"
    raise TypeError(f"not a chain step: {step!r}")


def _target(target: Property | Context, as_type: str | None) -> str:
    return format_node(target) + (f" as {as_type}" if as_type else "")
