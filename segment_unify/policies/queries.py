"""The query definitions of computed traits and audiences, as the policies read them.

A definition is parsed once per distinct text with the provider's query-language parser
(``segment_unify.query``) and shared by every policy. A policy other than
``definition-valid`` skips a definition that does not parse: saying so is that policy's job.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from segment_unify.policies.resources import AUDIENCE, COMPUTED_TRAIT, UNKNOWN, kind_of, lookup
from segment_unify.query import DefinitionType, Query, QueryError, ResultKind, parse

__all__ = ["Definition", "definition_of", "parsed", "parsed_query"]

_DEFINITION_TYPES: tuple[DefinitionType, ...] = ("USERS", "ACCOUNTS", "LINKED")


@dataclass(frozen=True)
class Definition:
    """A resource's query text, what it must produce, and its definition (audience) type."""

    text: str
    expect: ResultKind
    definition_type: DefinitionType | None

    @property
    def query(self) -> Query | None:
        """The parsed query, or None when the text does not parse."""
        result = parsed(self.text)
        return result if isinstance(result, Query) else None


def definition_of(resource_type: str, props: Mapping[str, Any]) -> Definition | None:
    """The definition of a computed trait or audience; None for other resources, or when the
    query is not known yet (built from another resource's output) or missing."""
    kind = kind_of(resource_type)
    type_path: tuple[str, ...]
    if kind == COMPUTED_TRAIT:
        expect, type_path = ResultKind.SCALAR, ("definition", "type")
    elif kind == AUDIENCE:
        expect, type_path = ResultKind.BOOLEAN, ("audience_type",)
    else:
        return None
    text = lookup(props, "definition")
    if isinstance(text, Mapping):
        text = lookup(props, "definition", "query")
    if text is UNKNOWN or not isinstance(text, str) or not text.strip():
        return None
    definition_type = lookup(props, *type_path)
    if definition_type is None:
        definition_type = "USERS"
    known_type = next((t for t in _DEFINITION_TYPES if t == definition_type), None)
    return Definition(text, expect, known_type)


@functools.lru_cache(maxsize=512)
def parsed(text: str) -> Query | QueryError:
    """``parse(text)``, or the error it raised (cached either way)."""
    try:
        return parse(text)
    except QueryError as exc:
        return exc.with_traceback(None)  # the cache keeps the error, not its frames


def parsed_query(resource_type: str, props: Mapping[str, Any]) -> Query | None:
    """The parsed query of the resource's definition, when there is one and it parses."""
    definition = definition_of(resource_type, props)
    return definition.query if definition is not None else None
