"""What ``check`` validates of a ``Warehouse``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class WarehouseInputs(CatalogInputs):
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    # Holds credentials: kept out of reprs, as the Profile API token is.
    settings: dict[str, Any] = Field(default_factory=dict, repr=False)

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.WAREHOUSES
