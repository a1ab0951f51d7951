"""Segment's query language: parser, typed tree, analysis helpers and builders.

- :func:`parse` turns query text into a typed :class:`Query` (raises :class:`QuerySyntaxError`
  with line, column and what was expected); :func:`validate` also checks the documented
  limits and the result kind (:class:`QueryValidationError`).
- :func:`events_used`, :func:`properties_used`, :func:`traits_used`, :func:`windows`,
  :func:`reducers`, :func:`primary_expression_count` read a parsed query.
- Builders: ``event_counter``, ``aggregation``, ``most_frequent``, ``first``, ``last``,
  ``unique_list``, ``unique_list_count`` (computed traits) and ``prop``/``ctx``/``trait``
  conditions combined with ``&``, ``|``, ``~`` (audiences, ``.where(...)``).
- :func:`evaluate` computes a definition's value over one profile's events at a given time;
  :func:`check_definition` checks expected values over sample events (for pytest).

This is Segment's audience / computed-trait language, not FQL (destination filters). Importing
the package does not import lark or build the grammar; the first ``parse`` does.
"""

from segment_unify.query.analysis import (
    ReducerUse,
    Window,
    events_used,
    primary_expression_count,
    properties_used,
    reducers,
    traits_used,
    windows,
)
from segment_unify.query.builders import (
    TraitKind,
    TraitOptions,
    TraitQuery,
    aggregation,
    event_counter,
    first,
    last,
    most_frequent,
    unique_list,
    unique_list_count,
)
from segment_unify.query.conditions import (
    Condition,
    ValueRef,
    all_users,
    any_user,
    ctx,
    prop,
    trait,
)
from segment_unify.query.errors import (
    QueryError,
    QuerySyntaxError,
    QueryValidationError,
)
from segment_unify.query.evaluation import Member, QueryEvaluationError, evaluate
from segment_unify.query.expectations import check_definition
from segment_unify.query.nodes import Duration, ResultKind, TimeUnit
from segment_unify.query.parsed import Query
from segment_unify.query.parser import parse
from segment_unify.query.printer import format_node
from segment_unify.query.validate import (
    MAX_PRIMARY_EXPRESSIONS,
    DefinitionType,
    validate,
)

__all__ = [
    "MAX_PRIMARY_EXPRESSIONS",
    "Condition",
    "DefinitionType",
    "Duration",
    "Member",
    "Query",
    "QueryError",
    "QueryEvaluationError",
    "QuerySyntaxError",
    "QueryValidationError",
    "ReducerUse",
    "ResultKind",
    "TimeUnit",
    "TraitKind",
    "TraitOptions",
    "TraitQuery",
    "ValueRef",
    "Window",
    "aggregation",
    "all_users",
    "any_user",
    "check_definition",
    "ctx",
    "evaluate",
    "event_counter",
    "events_used",
    "first",
    "format_node",
    "last",
    "most_frequent",
    "parse",
    "primary_expression_count",
    "prop",
    "properties_used",
    "reducers",
    "trait",
    "traits_used",
    "unique_list",
    "unique_list_count",
    "validate",
    "windows",
]
