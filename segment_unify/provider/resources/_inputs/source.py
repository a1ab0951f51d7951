"""What ``check`` validates of a ``Source`` beyond its declared fields: its catalog entry."""

from __future__ import annotations

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class SourceChecks(CatalogInputs):
    """A source's catalog slug is one of Segment's sources."""

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.SOURCES
