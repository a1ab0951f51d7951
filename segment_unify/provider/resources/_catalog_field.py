"""The catalog slug a program named an entry by, kept through reads from Segment.

The input side (``catalog_slug`` or ``metadata_id``, one resolved from the other) is
``_inputs.base.CatalogInputs``, loaded at the first check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def with_program_slug(
    state: dict[str, Any], prior: Mapping[str, Any], table: Mapping[str, str]
) -> dict[str, Any]:
    """``state`` read from Segment, with the catalog slug the program used for the same entry.

    None when the program named the entry by id only, and ours where Segment's slug differs
    (its Reverse ETL Postgres source is ``postgres``); Segment's when the entry changed.
    """
    slug = prior.get("catalog_slug")
    ours = table.get(slug) if isinstance(slug, str) else None
    if not prior or (ours is not None and ours != state.get("metadata_id")):
        return state
    return {**state, "catalog_slug": slug}
