"""Reading call arguments out of lark's parse tree, with positioned errors.

The grammar accepts any argument shape for any call (strings, numbers, durations, ``name:``
keywords, ``{...}`` and ``[...]``); this module checks the shape each function documents and
points errors at the offending argument.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from lark import Token, Tree

from segment_unify.query._text import (
    describe_at,
    end_of_input,
    line_column,
    next_token_offset,
    unquote,
)
from segment_unify.query.errors import QuerySyntaxError
from segment_unify.query.nodes import Duration, LiteralValue, Span, Timestamp, TimeUnit

__all__ = ["ArgumentReader", "Item"]

Item = Tree[Token] | Token


class ArgumentReader:
    """Positions, error construction and argument readers over one query text."""

    def __init__(self, text: str) -> None:
        self.text = text

    # --- positions and errors --------------------------------------------------------------

    @staticmethod
    def start(item: Item) -> int:
        if isinstance(item, Token):
            return item.start_pos or 0
        return item.meta.start_pos

    @staticmethod
    def end(item: Item) -> int:
        if isinstance(item, Token):
            return item.end_pos or 0
        return item.meta.end_pos

    def span(self, item: Item, last: Item | None = None) -> Span:
        return self.span_range(self.start(item), self.end(last if last is not None else item))

    def span_range(self, start: int, end: int) -> Span:
        line, column = line_column(self.text, start)
        end_line, end_column = line_column(self.text, end)
        return Span(line, column, end_line, end_column, start, end)

    def error_at(
        self, offset: int, expected: Sequence[str] = (), reason: str | None = None
    ) -> QuerySyntaxError:
        """An error about the token at (or first after) ``offset``.

        ``reason`` replaces the default "expected ... but found ..." text; ``{found}`` in it
        is replaced by the description of that token.
        """
        offset = min(next_token_offset(self.text, offset), end_of_input(self.text))
        line, column = line_column(self.text, offset)
        found = describe_at(self.text, offset)
        if reason is not None:
            reason = reason.replace("{found}", found)
        return QuerySyntaxError(reason, line=line, column=column, expected=expected, found=found)

    def error_on(
        self, item: Item, expected: Sequence[str] = (), reason: str | None = None
    ) -> QuerySyntaxError:
        return self.error_at(self.start(item), expected, reason)

    def error_after(
        self, item: Item, expected: Sequence[str] = (), reason: str | None = None
    ) -> QuerySyntaxError:
        return self.error_at(self.end(item), expected, reason)

    def comma_before(self, item: Item) -> int:
        offset = self.start(item) - 1
        while offset > 0 and self.text[offset] in " \t\r\n":
            offset -= 1
        return offset

    # --- argument lists --------------------------------------------------------------------

    @staticmethod
    def arguments(call: Tree[Token]) -> list[Item]:
        """The arguments of a call, or the items of a ``{...}`` / ``[...]`` group."""
        arglist = call.children[0 if call.data in ("brace", "bracket") else 1]
        if arglist is None:
            return []
        assert isinstance(arglist, Tree)
        return list(arglist.children)

    def arity(self, call: Tree[Token], args: Sequence[Item], count: int, what: str) -> None:
        """Exactly ``count`` arguments; a missing one is reported as ``what`` at the ')'."""
        if len(args) < count:
            raise self.error_at(self.end(call) - 1, [what])
        if len(args) > count:
            # Point at the comma before the first extra argument ("expected ')' but found ','").
            offset = self.start(args[0]) if count == 0 else self.comma_before(args[count])
            raise self.error_at(offset, ["')'"])

    def flatten_lists(self, args: Sequence[Item]) -> list[Item]:
        """Variadic values, with the pre-2024 ``[a, b]`` list form spread out."""
        items: list[Item] = []
        for arg in args:
            if isinstance(arg, Tree) and arg.data == "bracket":
                items.extend(self.arguments(arg))
            else:
                items.append(arg)
        return items

    @staticmethod
    def keyword(item: Item) -> tuple[str | None, Item]:
        """``(name, value)`` for ``name: value``, else ``(None, item)``."""
        if isinstance(item, Tree) and item.data == "keyword":
            name, value = item.children
            return str(name), value
        return None, item

    # --- single values ---------------------------------------------------------------------

    @staticmethod
    def bare_literal(item: Item) -> Token | None:
        """The token of a bare literal (``'x'``, ``5``, ``2024-01-01``), else None."""
        if isinstance(item, Tree) and item.data == "postfix" and len(item.children) == 1:
            primary = item.children[0]
            if isinstance(primary, Tree) and primary.data == "literal":
                token = primary.children[0]
                assert isinstance(token, Token)
                return token
        return None

    @staticmethod
    def literal_value(token: Token) -> LiteralValue:
        if token.type == "STRING":
            return unquote(token)
        if token.type == "TIMESTAMP":
            return Timestamp(str(token))
        text = str(token)
        return float(text) if "." in text else int(text)

    def string(self, item: Item, what: str) -> str:
        token = self.bare_literal(item)
        if token is None or token.type != "STRING":
            raise self.error_on(item, [what])
        return unquote(token)

    def whole_number(self, item: Item, what: str) -> int:
        token = self.bare_literal(item)
        if token is None or token.type != "NUMBER" or not str(token).isdigit() or int(token) < 1:
            raise self.error_on(item, [what])
        return int(token)

    def duration(self, item: Item, units: Mapping[str, TimeUnit]) -> Duration:
        if not (isinstance(item, Tree) and item.data == "duration"):
            raise self.error_on(item, ["a duration such as '7 days'"])
        number, unit = item.children
        assert isinstance(number, Token) and isinstance(unit, Token)
        if not str(number).isdigit() or int(number) < 1:
            raise self.error_on(number, ["a whole number greater than 0"])
        if str(unit) not in units:
            raise self.error_on(unit, [f"'{name}'" for name in units])
        return Duration(int(number), units[str(unit)])
