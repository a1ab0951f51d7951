"""What ``check`` validates of a ``WarehouseSourceConnection``: both ids."""

from __future__ import annotations

from pydantic import Field

from segment_unify.provider.resources._inputs.base import Inputs


class WarehouseSourceConnectionInputs(Inputs):
    warehouse_id: str = Field(min_length=1)
    source_id: str = Field(min_length=1)
