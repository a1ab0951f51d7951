"""A computed trait's or audience's query as query-builder code, where the builders say it exactly.

Each piece of code is built beside the builder object it stands for; the code is used only when
that object's query is Segment's text exactly (and so parses to the same tree), so a program
never declares a definition other than the one Segment holds. Anything else (a kind the
builders lack, an argument form they do not write) stays query text, which parses to the same
tree by definition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from segment_unify.cli.render import string
from segment_unify.query import builders as b
from segment_unify.query import conditions as c
from segment_unify.query import nodes as n

Built = tuple[str, Any, frozenset[str]]
"""(code, the object it makes, the builder names it uses)."""

# A property's or trait's comparison is written with Python's operator (``prop("x") == 1``); a
# chain's with the method of the same comparator (``event_counter("E").at_least(2)``).
_INFIX: dict[n.Comparator, str] = {
    n.Comparator.EQUALS: "==",
    n.Comparator.DIFFERS: "!=",
    n.Comparator.GREATER_THAN: ">",
    n.Comparator.AT_LEAST: ">=",
    n.Comparator.LESS_THAN: "<",
    n.Comparator.AT_MOST: "<=",
}
_APPLY: dict[str, Callable[[Any, Any], Any]] = {
    "==": lambda x, y: x == y,
    "!=": lambda x, y: x != y,
    ">": lambda x, y: x > y,
    ">=": lambda x, y: x >= y,
    "<": lambda x, y: x < y,
    "<=": lambda x, y: x <= y,
}
_REDUCERS: dict[type[Any], tuple[str, Callable[[str, str], b.TraitQuery]]] = {
    n.First: ("first", b.first),
    n.Last: ("last", b.last),
    n.Unique: ("unique_list", b.unique_list),
}


class _UnsupportedError(Exception):
    """A part of the tree the builders do not write."""


def builder_code(query: str, *, audience: bool = False) -> tuple[str, frozenset[str]] | None:
    """Builder code for ``query`` and the names it imports, or None: keep the text."""
    from segment_unify.query import QueryError, parse

    try:
        tree = parse(query)
        code, made, names = _condition(tree.root) if audience else _chain(tree.root)
        # The same tree is not enough: Segment keeps the text, and the provider compares it,
        # so a query the builders would print differently (redundant parentheses, spacing)
        # stays text rather than become an update at the first ``up``.
        if made.query != query or parse(made.query) != tree:
            return None
    except (QueryError, _UnsupportedError, TypeError, ValueError):
        return None
    return code, names


def _literal(node: Any) -> Any:
    if not isinstance(node, n.Literal) or isinstance(node.value, list):
        raise _UnsupportedError(node)
    return node.value


def _python(value: Any) -> str:
    return string(value) if isinstance(value, str) else repr(value)


def _window(step: n.Within, made: b.TraitQuery) -> tuple[str, b.TraitQuery]:
    amount = step.duration.amount
    if step.parent:
        raise _UnsupportedError(step)
    if step.duration.unit is n.TimeUnit.DAY:
        return f".within(days={amount})", made.within(days=amount)
    if step.duration.unit is n.TimeUnit.HOUR:
        return f".within(hours={amount})", made.within(hours=amount)
    raise _UnsupportedError(step)


def _chain(node: Any) -> Built:
    """``event('E')[.where(C)][.within(D)].<reducer>`` as a ``TraitQuery``."""
    if not isinstance(node, n.Chain) or not isinstance(node.source, n.Event):
        raise _UnsupportedError(node)
    event, steps = node.source.name, list(node.steps)
    if [type(s) for s in steps[-1:]] == [n.Count]:
        code, made, names = (
            f"event_counter({string(event)})",
            b.event_counter(event),
            {"event_counter"},
        )
        steps.pop()
    elif steps and isinstance(reducer := steps[-1], n.First | n.Last | n.Unique):
        steps.pop()
        name, make = _REDUCERS[type(reducer)]
        target = reducer.target
        if not isinstance(target, n.Property) or target.parent:
            raise _UnsupportedError(target)
        code, made, names = (
            f"{name}({string(event)}, {string(target.name)})",
            make(event, target.name),
            {name},
        )
    elif steps and isinstance(mode := steps[-1], n.Mode) and mode.as_type is None:
        steps.pop()
        if not isinstance(mode.target, n.Property) or mode.target.parent:
            raise _UnsupportedError(mode)
        prop_name, minimum = mode.target.name, mode.min_frequency
        code = f"most_frequent({string(event)}, {string(prop_name)}, min_frequency={minimum})"
        made = b.most_frequent(event, prop_name, min_frequency=minimum)
        names = {"most_frequent"}
    else:
        raise _UnsupportedError(node)
    for step in steps:
        if isinstance(step, n.Where):
            where, condition, used = _condition(step.condition)
            code, made, names = f"{code}.where({where})", made.where(condition), names | used
        elif isinstance(step, n.Within):
            text, made = _window(step, made)
            code += text
        else:
            raise _UnsupportedError(step)
    return code, made, frozenset(names)


def _condition(node: Any) -> Built:
    if isinstance(node, n.Junction):
        parts = [_condition(operand) for operand in node.operands]
        join = " & " if node.operator == "AND" else " | "
        made = parts[0][1]
        for part in parts[1:]:
            made = made & part[1] if node.operator == "AND" else made | part[1]
        names = frozenset().union(*(p[2] for p in parts))
        return join.join(f"({p[0]})" for p in parts), made, names
    if isinstance(node, n.Unary) and node.operator == "NOT":
        code, made, names = _condition(node.operand)
        return f"~({code})", ~made, names
    if isinstance(node, n.Comparison) and node.comparator in _INFIX and len(node.arguments) == 1:
        subject, ref, names = _subject(node.subject)
        value = _literal(node.arguments[0])
        if isinstance(node.subject, n.Chain):
            method = node.comparator.value
            made = getattr(ref, method)(value)
            return f"{subject}.{method}({_python(value)})", made, names
        operator = _INFIX[node.comparator]
        return f"{subject} {operator} {_python(value)}", _APPLY[operator](ref, value), names
    raise _UnsupportedError(node)


def _subject(node: Any) -> Built:
    if isinstance(node, n.Property) and not node.parent:
        return f"prop({string(node.name)})", c.prop(node.name), frozenset({"prop"})
    if isinstance(node, n.Context):
        return f"ctx({string(node.path)})", c.ctx(node.path), frozenset({"ctx"})
    if isinstance(node, n.Trait):
        return f"trait({string(node.key)})", c.trait(node.key), frozenset({"trait"})
    if isinstance(node, n.Chain):
        code, made, names = _chain(node)
        return code, made, names
    raise _UnsupportedError(node)
