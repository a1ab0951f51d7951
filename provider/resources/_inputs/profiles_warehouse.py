"""What ``check`` validates of a ``ProfilesWarehouse`` (Profiles Sync)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class ProfilesWarehouseInputs(CatalogInputs):
    space_id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    # Holds credentials: kept out of reprs, as the Profile API token is.
    settings: dict[str, Any] = Field(default_factory=dict, repr=False)
    schema_name: str | None = Field(default=None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.WAREHOUSES
