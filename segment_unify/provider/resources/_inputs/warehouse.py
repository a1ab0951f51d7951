"""What ``check`` validates of a ``Warehouse`` beyond its declared fields: its catalog entry."""

from __future__ import annotations

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class WarehouseChecks(CatalogInputs):
    """A warehouse's catalog slug is one of Segment's warehouses."""

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.WAREHOUSES
