"""What ``check`` validates of a ``Source``."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import CatalogInputs


class SourceInputs(CatalogInputs):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=100)
    name: str | None = None
    enabled: bool = True
    # Holds credentials: kept out of reprs, as the Profile API token is.
    settings: dict[str, Any] = Field(default_factory=dict, repr=False)

    @classmethod
    def _catalog(cls) -> dict[str, str]:
        return catalog.SOURCES
