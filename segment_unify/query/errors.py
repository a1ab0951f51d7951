"""Errors raised for Segment query-language text.

::

    ValueError
    └── QueryError                  any problem with a query; ``line``/``column`` when known
        ├── QuerySyntaxError        the text does not parse, or its calls break the
        │                           documented return-type table (``parse``)
        └── QueryValidationError    it parses but breaks a documented limit or is not the
                                    expected kind of definition (``validate``)

Messages start with the position, then say what was expected and what was found, for example
``line 1, column 17: expected ')' or ',' but found 'AND'``.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["QueryError", "QuerySyntaxError", "QueryValidationError", "describe_expected"]


def describe_expected(expected: Sequence[str]) -> str:
    """Join human-readable alternatives: ``a``, ``a or b``, ``a, b or c``."""
    items = list(expected)
    if not items:
        return "nothing"
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


class QueryError(ValueError):
    """A query that cannot be used; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None):
        self.reason = reason
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + reason)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors do not survive pickling by default; providers are pickled.
        return (_rebuild, (type(self), self.reason, self.__dict__.copy()))


def _rebuild(cls: type[QueryError], reason: str, state: dict[str, object]) -> QueryError:
    error = cls.__new__(cls)
    ValueError.__init__(error, _position(state) + reason)
    error.__dict__.update(state)
    return error


def _position(state: dict[str, object]) -> str:
    if state.get("line") is None:
        return ""
    return f"line {state['line']}, column {state['column']}: "


class QuerySyntaxError(QueryError):
    """The query does not parse, or a call may not follow the one before it.

    ``expected`` lists what would have been accepted at ``line``/``column`` (human-readable,
    e.g. ``"')'"``, ``"a string"``); ``found`` describes what was there instead.
    """

    line: int
    column: int

    def __init__(
        self,
        reason: str | None = None,
        *,
        line: int,
        column: int,
        expected: Sequence[str] = (),
        found: str = "end of input",
    ):
        self.expected = list(expected)
        self.found = found
        if reason is None:
            reason = f"expected {describe_expected(self.expected)} but found {found}"
        super().__init__(reason, line=line, column=column)


class QueryValidationError(QueryError):
    """The query parses but breaks a documented limit or has the wrong result kind."""
