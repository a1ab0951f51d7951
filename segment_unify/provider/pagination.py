"""Segment's cursor pagination as an iterator: callers never write the loop.

A list answer is ``{"data": {<collection>: [...], "pagination": {"current", "next"?, ...}}}``;
the next page is asked for with ``pagination.cursor=<next>`` until ``next`` is null or absent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from segment_unify.provider import _constants as c


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int | None


def page_from(data: Mapping[str, Any], key: str) -> Page:
    items = data.get(key) or []
    pagination = data.get("pagination") or {}
    total = pagination.get("totalEntries")
    return Page(
        items=list(items),
        next_cursor=pagination.get("next") or None,
        total=int(total) if total is not None else None,
    )


def iterate(
    fetch: Callable[[dict[str, Any]], Mapping[str, Any]],
    key: str,
    *,
    count: int = c.DEFAULT_PAGE_SIZE,
    params: Mapping[str, Any] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield every item of a paginated collection, fetching pages lazily."""
    if not 1 <= count <= c.MAX_PAGE_SIZE:
        raise ValueError(f"page size must be 1..{c.MAX_PAGE_SIZE}, got {count}")
    cursor: str | None = None
    seen: set[str] = set()
    while True:
        query = dict(params or {})
        query["pagination.count"] = count
        if cursor is not None:
            query["pagination.cursor"] = cursor
        page = page_from(fetch(query), key)
        yield from page.items
        if page.next_cursor is None or page.next_cursor in seen:
            return
        seen.add(page.next_cursor)
        cursor = page.next_cursor
