"""What ``check`` validates of a ``Destination``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class DestinationInputs(CatalogInputs):
    source_id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    settings: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.DESTINATIONS
