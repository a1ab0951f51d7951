"""How ``evaluate()`` reads and compares values: numbers, text, timestamps, paths, comparators.

Numbers compare as numbers when both sides read as numbers (``'70'`` and ``70`` are equal),
else as text; the order comparators and ``differs``/``none_of`` are false on a missing value
(the caller checks that before it compares).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any

from segment_unify.query.nodes import Comparator, Timestamp

__all__ = [
    "COMPARE",
    "DATE_COMPARATORS",
    "aware",
    "parse_time",
    "path",
    "same",
    "text",
    "to_number",
    "unique",
]


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return aware(value)
    if isinstance(value, Timestamp):
        value = value.text
    if not isinstance(value, str):
        return None
    try:
        return aware(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def path(container: Any, dotted: str) -> Any:
    """``container[dotted]`` if that key exists, else the ``.``-separated descent into it."""
    if isinstance(container, Mapping) and dotted in container:
        return container[dotted]
    for key in dotted.split("."):
        if not isinstance(container, Mapping):
            return None
        container = container.get(key)
    return container


def to_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def text(value: Any) -> str:
    if isinstance(value, bool):
        # As JSON writes it: an audience's membership compares equal to 'true'.
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        # A whole array (``mode(... as array)``) is one value: its JSON text.
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return str(value)


def same(left: Any, right: Any) -> bool:
    a, b = to_number(left), to_number(right)
    if a is not None and b is not None:
        return a == b
    return text(left) == text(right)


def _order(left: Any, right: Any) -> int:
    a, b = to_number(left), to_number(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    x, y = text(left), text(right)
    return (x > y) - (x < y)


def unique(values: list[Any]) -> list[Any]:
    """The distinct values, in the order first seen."""
    seen: list[Any] = []
    for value in values:
        if not any(same(value, known) for known in seen):
            seen.append(value)
    return seen


def _contains(value: Any, needles: list[Any]) -> bool:
    haystacks = value if isinstance(value, list) else [value]
    return any(text(n) in text(h) for h in haystacks for n in needles)


DATE_COMPARATORS = frozenset(
    {
        Comparator.BEFORE_DATE,
        Comparator.AFTER_DATE,
        Comparator.WITHIN_LAST,
        Comparator.WITHIN_NEXT,
        Comparator.BEFORE_LAST,
        Comparator.AFTER_NEXT,
    }
)

# The scalar comparators: (the value, the arguments' values) -> whether it holds.
COMPARE: dict[Comparator, Callable[[Any, list[Any]], bool]] = {
    Comparator.EQUALS: lambda v, a: same(v, a[0]),
    Comparator.DIFFERS: lambda v, a: not same(v, a[0]),
    Comparator.GREATER_THAN: lambda v, a: a[0] is not None and _order(v, a[0]) > 0,
    Comparator.AT_LEAST: lambda v, a: a[0] is not None and _order(v, a[0]) >= 0,
    Comparator.LESS_THAN: lambda v, a: a[0] is not None and _order(v, a[0]) < 0,
    Comparator.AT_MOST: lambda v, a: a[0] is not None and _order(v, a[0]) <= 0,
    Comparator.CONTAINS: _contains,
    Comparator.OMITS: lambda v, a: not _contains(v, a),
    Comparator.STARTS_WITH: lambda v, a: text(v).startswith(text(a[0])),
    Comparator.ENDS_WITH: lambda v, a: text(v).endswith(text(a[0])),
    Comparator.ONE_OF: lambda v, a: any(same(v, x) for x in a),
    Comparator.NONE_OF: lambda v, a: not any(same(v, x) for x in a),
}
