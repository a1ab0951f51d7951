"""The function names of the query language, grouped by what they return.

Taken from Segment's query-language reference (extractors, filters, reducers, comparators and
their legacy names). The legacy names (``eq``, ``gte``, ``is_null``, ``contains_one``, ...) are
read as aliases and never written.
"""

from __future__ import annotations

from segment_unify.query.nodes import Comparator, TimeUnit

__all__ = [
    "COMPARATORS",
    "EXTRACTORS",
    "FILTERS",
    "LEGACY_ALIASES",
    "MAX_TYPES",
    "MODE_TYPES",
    "REDUCERS",
    "SESSION_UNITS",
    "SUGAR",
    "WINDOW_UNITS",
]

EXTRACTORS = ("event", "entity", "trait", "property", "context", "literal")
FILTERS = ("where", "sources", "within", "between", "expires_after")
REDUCERS = ("count", "sum", "avg", "min", "max", "mode", "first", "last", "unique")
COMPARATORS = tuple(comparator.value for comparator in Comparator)

LEGACY_ALIASES = {
    "eq": "equals",
    "neq": "differs",
    "is_null": "absent",
    "is_set": "exists",
    "gt": "greater_than",
    "gte": "at_least",
    "lt": "less_than",
    "lte": "at_most",
    "contains_one": "contains",
}

# within / between / the relative-date comparators take hours and days; only expires_after
# documents seconds.
WINDOW_UNITS = {
    "hour": TimeUnit.HOUR,
    "hours": TimeUnit.HOUR,
    "day": TimeUnit.DAY,
    "days": TimeUnit.DAY,
}
SESSION_UNITS = {"second": TimeUnit.SECOND, "seconds": TimeUnit.SECOND, **WINDOW_UNITS}

MAX_TYPES = ("number", "string")
MODE_TYPES = ("string", "number", "array")

SUGAR = {
    "=": Comparator.EQUALS,
    "==": Comparator.EQUALS,
    "!=": Comparator.DIFFERS,
    ">": Comparator.GREATER_THAN,
    ">=": Comparator.AT_LEAST,
    "<": Comparator.LESS_THAN,
    "<=": Comparator.AT_MOST,
}
