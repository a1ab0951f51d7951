"""Lexical helpers shared by the parser, the tree converter and the printer.

Positions, "what is at this offset" descriptions for error messages, and string
quoting/unquoting. Escapes inside strings are not documented by Segment; we read ``\\\\``,
``\\'``, ``\\"``, ``\\n``, ``\\t`` and ``\\r`` and keep any other backslash as written (so the
documented ``'a\\\\.b'`` dot escape in trait paths survives unchanged).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

__all__ = [
    "describe_at",
    "end_of_input",
    "line_column",
    "next_token_offset",
    "number_text",
    "quote",
    "unquote",
]

_TOKEN = re.compile(
    r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"
    |[0-9]{4}-[0-9]{2}-[0-9]{2}[0-9T:.Z+-]*
    |-?[0-9]+(?:\.[0-9]+)?
    |[A-Za-z_][A-Za-z0-9_]*
    |==|!=|>=|<=
    |\S""",
    re.VERBOSE,
)
_WHITESPACE = re.compile(r"[ \t\r\n]*")
_MAX_SHOWN = 40
_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}
_ESCAPE = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def next_token_offset(text: str, offset: int) -> int:
    """The offset of the first non-blank character at or after ``offset``."""
    match = _WHITESPACE.match(text, offset)
    return match.end() if match else offset


def describe_at(text: str, offset: int) -> str:
    """How an error message names what sits at ``offset``: ``'AND'``, ``end of input``, ..."""
    if offset >= len(text) or not text[offset:].strip():
        return "end of input"
    match = _TOKEN.match(text, offset)
    token = match.group(0) if match else text[offset]
    if token in ("'", '"'):
        return "an unterminated string"
    if len(token) > _MAX_SHOWN:
        token = token[: _MAX_SHOWN - 3] + "..."
    if token[0] in "'\"":
        return token
    return f"'{token}'"


def end_of_input(text: str) -> int:
    """Offset just after the last non-blank character (where 'end of input' is reported)."""
    return len(text.rstrip(" \t\r\n"))


def unquote(token: str) -> str:
    """The value of a quoted string token."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            escaped = body[i + 1]
            out.append(_UNESCAPE.get(escaped, "\\" + escaped))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def quote(value: str) -> str:
    """A single-quoted string token that :func:`unquote` turns back into ``value``."""
    return "'" + "".join(_ESCAPE.get(char, char) for char in value) + "'"


def number_text(value: int | float) -> str:
    """A number as the grammar reads it: no exponent, floats keep a decimal point."""
    if isinstance(value, bool):
        raise TypeError("booleans are not query literals; compare against 'true' or 'false'")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be written in a query")
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    if "." not in text:
        text += ".0"
    return text
