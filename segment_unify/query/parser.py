"""``parse()``: query text to a typed :class:`~segment_unify.query.nodes.Query`.

The LALR parser is built from ``grammar.lark`` on first use and cached for the process, so
importing this package stays cheap. Lark's errors are translated here, at one boundary, into
:class:`QuerySyntaxError` with human-readable ``expected`` tokens.

Accepted beyond the current reference (older or undocumented spellings): double-quoted
strings, ``==``, ``[a, b]`` lists, ``where({...})`` braces, and the legacy comparator names
(``eq``, ``gte``, ``is_null``, ...). Junctions must be upper case and functions lower case, as
every documented example writes them; the reference does not say whether Segment is stricter.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING, Any

from segment_unify.query._text import describe_at, end_of_input, line_column
from segment_unify.query.errors import QuerySyntaxError
from segment_unify.query.parsed import Query

if TYPE_CHECKING:
    from lark import Lark
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

__all__ = ["parse"]

_DESCRIBED = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "TIMESTAMP": "a date or timestamp",
    "COMPARE": "a comparison operator",
    "$END": "end of input",
}


@functools.cache
def _lark() -> Lark:
    from lark import Lark

    grammar = resources.files(__package__).joinpath("grammar.lark").read_text("utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
    )


def parse(query: str) -> Query:
    """Parse and type-check ``query``; raises :class:`QuerySyntaxError` with its position."""
    if not isinstance(query, str):
        raise TypeError(f"a query is a str, not {type(query).__name__}")
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    from segment_unify.query._convert import Converter

    try:
        tree = _lark().parse(query)
        return Converter(query).query(tree)
    except UnexpectedToken as exc:
        raise _unexpected_token(query, exc) from exc
    except UnexpectedCharacters as exc:
        raise _unexpected_characters(query, exc) from exc
    except RecursionError:
        # Reading the tree recurses once per nesting level; thousands of levels are not a query.
        raise QuerySyntaxError(
            "the query nests too deeply to read", line=1, column=1, found="the query"
        ) from None


def _unexpected_token(text: str, exc: UnexpectedToken) -> QuerySyntaxError:
    expected = _expected(exc.accepts or exc.expected)
    if exc.token.type == "$END":
        offset = end_of_input(text)
        line, column = line_column(text, offset)
        return QuerySyntaxError(line=line, column=column, expected=expected)
    offset = exc.token.start_pos or 0
    line, column = line_column(text, offset)
    found = describe_at(text, offset)
    return QuerySyntaxError(line=line, column=column, expected=expected, found=found)


def _unexpected_characters(text: str, exc: UnexpectedCharacters) -> QuerySyntaxError:
    offset = exc.pos_in_stream or 0
    line, column = line_column(text, offset)
    found = describe_at(text, offset)
    expected = _expected(_viable(exc.state, exc.allowed))
    return QuerySyntaxError(line=line, column=column, expected=expected, found=found)


def _viable(state: Any, names: set[str]) -> set[str]:
    """The terminals the parser can really take next, after a lexer error.

    The lexer reports the terminals of its LALR state, which over-reports (merged lookaheads)
    and misses keywords; trying every terminal on a copy of the parser state, as lark's
    ``accepts`` does for parser errors, keeps the real ones. ``names`` is the fallback.
    """
    from copy import copy

    from lark.exceptions import UnexpectedToken
    from lark.lexer import Token

    try:
        conf = copy(state.parse_conf)
        conf.callbacks = {}  # no tree building while trying tokens
        viable = set()
        # The lexer's list lacks the end of input and keywords it reads as names; try them all.
        for name in {*names, *(terminal.name for terminal in _lark().terminals), "$END"}:
            trial = state.copy(deepcopy_values=False)
            trial.parse_conf = conf
            try:
                trial.feed_token(Token(name, ""), is_end=name == "$END")
            except UnexpectedToken:
                continue
            viable.add(name)
    except AttributeError:  # no parser state to try (lark internals changed)
        return set(names)
    return viable or set(names)


def _expected(names: set[str] | frozenset[str]) -> list[str]:
    """Terminal names as people read them, punctuation first, then keywords, then kinds."""
    lark = _lark()
    shown: set[tuple[int, str]] = set()
    for name in names:
        if name in _DESCRIBED:
            rank = 3 if name == "$END" else 2
            shown.add((rank, _DESCRIBED[name]))
            continue
        pattern = lark.get_terminal(name).pattern
        value = str(pattern.value)
        rank = 1 if value.isalpha() else 0
        shown.add((rank, f"'{value}'"))
    return [text for _, text in sorted(shown)]
