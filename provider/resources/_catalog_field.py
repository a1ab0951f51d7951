"""Inputs that name a catalog entry by slug (``catalog_slug``) or by id (``metadata_id``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi.dynamic as dyn
from pydantic import model_validator

from segment_unify.provider import catalog
from segment_unify.provider.resources._base import Inputs


class CatalogInputs(Inputs):
    """Mixin: ``metadata_id`` is filled from ``catalog_slug`` when the slug is known."""

    catalog_slug: str | None = None
    metadata_id: str | None = None

    _table: dict[str, str] = {}

    @model_validator(mode="before")
    @classmethod
    def _resolve_slug(cls, data: Any) -> Any:
        slug = data.get("catalog_slug") if isinstance(data, dict) else None
        if isinstance(slug, str) and slug and not data.get("metadata_id"):
            found = catalog.resolve(cls._catalog(), data["catalog_slug"], None)
            if found:
                return {**data, "metadata_id": found}
        return data

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return {}

    def catalog_failures(self) -> list[dyn.CheckFailure]:
        table = self._catalog()
        if self.metadata_id is None and self.catalog_slug is None:
            return [dyn.CheckFailure("catalog_slug", "give catalog_slug or metadata_id")]
        if self.metadata_id is None:
            known = ", ".join(sorted(table))
            return [
                dyn.CheckFailure(
                    "catalog_slug",
                    f"unknown catalog slug {self.catalog_slug!r}; expected one of {known}, "
                    "or pass metadata_id",
                )
            ]
        expected = table.get(self.catalog_slug or "")
        if self.catalog_slug and expected and expected != self.metadata_id:
            return [
                dyn.CheckFailure(
                    "metadata_id",
                    f"metadata_id {self.metadata_id!r} is not the id of catalog slug "
                    f"{self.catalog_slug!r} ({expected!r}); give one of them",
                )
            ]
        return []


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
