"""What ``check`` validates of a ``Destination`` beyond its declared fields: its catalog entry."""

from __future__ import annotations

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class DestinationChecks(CatalogInputs):
    """A destination's catalog slug is one of Segment's destinations."""

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.DESTINATIONS
