"""What ``check`` validates of a ``ReverseEtlModel``."""

from __future__ import annotations

from pydantic import Field

from segment_unify.provider.resources._inputs.base import Inputs


class ReverseEtlModelInputs(Inputs):
    source_id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    enabled: bool = True
    query: str = Field(min_length=1, pattern=r"\S")
    query_identifier_column: str = Field(min_length=1, pattern=r"\S")
