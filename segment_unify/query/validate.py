"""``validate()``: a parsed query against Segment's documented limits and the expected kind.

Checked: at most 50 primary expressions per definition; session windows (``expires_after``)
between 30 minutes and 90 days; the result kind (audiences are boolean, computed traits
scalar); with a ``definition_type``, ``ANY``/``ALL`` only for ``ACCOUNTS`` and ``entity()`` only
for ``LINKED`` audiences.

Not checked (needs the workspace or is undocumented): that events, properties and traits
exist, plan limits on the number of traits/audiences, and per-trait property counts.
"""

from __future__ import annotations

from typing import Literal as TypingLiteral

from segment_unify.query.analysis import extractors, walk
from segment_unify.query.errors import QueryValidationError
from segment_unify.query.nodes import Entity, ExpiresAfter, ResultKind, Span, Unary
from segment_unify.query.parsed import Query
from segment_unify.query.parser import parse
from segment_unify.query.printer import format_node

__all__ = [
    "MAX_PRIMARY_EXPRESSIONS",
    "MAX_SESSION_SECONDS",
    "MIN_SESSION_SECONDS",
    "DefinitionType",
    "validate",
]

MAX_PRIMARY_EXPRESSIONS = 50
MIN_SESSION_SECONDS = 30 * 60
MAX_SESSION_SECONDS = 90 * 86400

DefinitionType = TypingLiteral["USERS", "ACCOUNTS", "LINKED"]

_KIND_WORDS = {
    ResultKind.BOOLEAN: "a boolean (a comparison or junction, as audiences need)",
    ResultKind.SCALAR: "a scalar (ending in a reducer, as computed traits need)",
    ResultKind.LIST: "a list (ending in unique(...))",
}


def validate(
    query: str | Query,
    *,
    expect: ResultKind | None = None,
    definition_type: DefinitionType | None = None,
) -> Query:
    """Parse ``query`` if needed, then check limits; raises QueryValidationError.

    ``expect=ResultKind.SCALAR`` also accepts LIST: the "unique list" computed trait is a
    ListScalar. Syntax errors still raise :class:`QuerySyntaxError`.
    """
    parsed = parse(query) if isinstance(query, str) else query
    _check_primary_expressions(parsed)
    _check_sessions(parsed)
    if expect is not None:
        _check_kind(parsed, expect)
    if definition_type is not None:
        _check_definition_type(parsed, definition_type)
    return parsed


def _error(reason: str, span: Span | None) -> QueryValidationError:
    if span is None:
        return QueryValidationError(reason)
    return QueryValidationError(reason, line=span.line, column=span.column)


def _check_primary_expressions(query: Query) -> None:
    found = extractors(query)
    if len(found) > MAX_PRIMARY_EXPRESSIONS:
        raise _error(
            f"the query has {len(found)} primary expressions; "
            f"Segment allows at most {MAX_PRIMARY_EXPRESSIONS}",
            found[MAX_PRIMARY_EXPRESSIONS].span,
        )


def _check_sessions(query: Query) -> None:
    for node in walk(query):
        if not isinstance(node, ExpiresAfter):
            continue
        seconds = node.duration.total_seconds
        if seconds < MIN_SESSION_SECONDS:
            raise _error(
                f"expires_after({node.duration}) is shorter than the 30-minute minimum session",
                node.span,
            )
        if seconds > MAX_SESSION_SECONDS:
            raise _error(
                f"expires_after({node.duration}) is longer than the 90-day maximum session",
                node.span,
            )


def _check_kind(query: Query, expect: ResultKind) -> None:
    accepted = {expect, ResultKind.LIST} if expect is ResultKind.SCALAR else {expect}
    if query.kind not in accepted:
        raise QueryValidationError(
            f"expected {_KIND_WORDS[expect]} query but this one is {_KIND_WORDS[query.kind]}"
        )


def _check_definition_type(query: Query, definition_type: DefinitionType) -> None:
    for node in walk(query):
        if isinstance(node, Unary) and node.operator != "NOT" and definition_type != "ACCOUNTS":
            raise _error(
                f"{node.operator} only applies to ACCOUNTS definitions, not {definition_type}",
                node.span,
            )
        if isinstance(node, Entity) and definition_type != "LINKED":
            raise _error(
                f"{format_node(node)} is only valid in LINKED audiences, not {definition_type}",
                node.span,
            )
    if definition_type == "LINKED" and query.kind is not ResultKind.BOOLEAN:
        raise QueryValidationError("a LINKED audience needs a boolean query")
