"""Pagination of list operations, as Segment does it.

Both query forms are accepted: `pagination.count=N&pagination.cursor=C` (documented) and
`pagination[count]=N&pagination[cursor]=C` (what the Go SDK sends). `count` is 1-1000,
default 200. Cursors are opaque base64 strings of the offset (`MA==` is page 0); an unknown
cursor is a 422 on `pagination.cursor`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from starlette.datastructures import QueryParams

from .errors import ValidationFailure

DEFAULT_COUNT = 200
MAX_COUNT = 1000

T = TypeVar("T")


def encode_cursor(offset: int) -> str:
    return base64.b64encode(str(offset).encode("ascii")).decode("ascii")


def decode_cursor(cursor: str) -> int:
    try:
        offset = int(base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii"))
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise ValidationFailure(
            '"pagination.cursor" is not a valid cursor', field="pagination.cursor"
        ) from exc
    if offset < 0:
        raise ValidationFailure(
            '"pagination.cursor" is not a valid cursor', field="pagination.cursor"
        )
    return offset


def _param(query: QueryParams, name: str) -> str | None:
    return query.get(f"pagination.{name}", query.get(f"pagination[{name}]"))


@dataclass(frozen=True)
class PageRequest:
    offset: int = 0
    count: int = DEFAULT_COUNT

    @classmethod
    def from_query(cls, query: QueryParams) -> PageRequest:
        raw_count = _param(query, "count")
        count = DEFAULT_COUNT
        if raw_count is not None:
            try:
                count = int(raw_count)
            except ValueError as exc:
                raise ValidationFailure(
                    '"pagination.count" must be a number', field="pagination.count"
                ) from exc
            if not 1 <= count <= MAX_COUNT:
                raise ValidationFailure(
                    f'"pagination.count" must be between 1 and {MAX_COUNT}',
                    field="pagination.count",
                )
        raw_cursor = _param(query, "cursor")
        offset = decode_cursor(raw_cursor) if raw_cursor else 0
        return cls(offset=offset, count=count)

    def slice(self, items: Sequence[T]) -> tuple[list[T], dict[str, Any]]:
        """The page of `items` and the `pagination` object to return beside it."""
        page = list(items[self.offset : self.offset + self.count])
        has_next = self.offset + self.count < len(items)
        pagination: dict[str, Any] = {
            "current": encode_cursor(self.offset),
            "next": encode_cursor(self.offset + self.count) if has_next else None,
            "previous": encode_cursor(max(0, self.offset - self.count))
            if self.offset > 0
            else None,
            "totalEntries": len(items),
        }
        return page, pagination

    def listing(self, key: str, items: Sequence[T]) -> dict[str, Any]:
        """A list operation's answer: the page of `items` under `key`, and its `pagination`."""
        page, pagination = self.slice(items)
        return {key: page, "pagination": pagination}
