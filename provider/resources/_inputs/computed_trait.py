"""What ``check`` validates of a ``ComputedTrait``: its inputs, definition and options."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator

from segment_unify.provider.resources._inputs.base import Options, QueryDefinition, SpaceInputs


class TraitDefinition(QueryDefinition):
    type: Literal["USERS", "ACCOUNTS"] = "USERS"


class TraitOptionsInputs(Options):
    include_historical_data: bool | None = None
    include_anonymous_users: bool | None = None
    backfill_duration_days: int | None = Field(default=None, ge=1)


class ComputedTraitInputs(SpaceInputs):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    enabled: bool = True
    definition: TraitDefinition
    options: TraitOptionsInputs = Field(default_factory=TraitOptionsInputs)

    @field_validator("options", mode="before")
    @classmethod
    def _no_options(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("name")
    @classmethod
    def _keyable(cls, value: str) -> str:
        if not re.search(r"[A-Za-z0-9]", value):
            raise ValueError("must contain a letter or digit (Segment makes the trait key of it)")
        return value
