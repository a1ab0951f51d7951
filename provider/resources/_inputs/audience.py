"""What ``check`` validates of an ``Audience``: its inputs, definition and options."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, field_validator

from segment_unify.provider.resources._inputs.base import Options, QueryDefinition, SpaceInputs
from segment_unify.provider.resources.audience import AudienceType


class AudienceDefinition(QueryDefinition):
    target_entity: str | None = None
    """Linked audiences only; left out of the definition when not set."""


class AudienceOptionsInputs(Options):
    include_historical_data: bool | None = None
    filter_by_external_ids: list[str] | None = None
    backfill_event_data_days: int | None = Field(default=None, ge=1)


class AudienceInputs(SpaceInputs):
    name: str = Field(min_length=1, max_length=200)
    description: str | None = None
    enabled: bool = True
    audience_type: AudienceType = "USERS"
    definition: AudienceDefinition
    options: AudienceOptionsInputs = Field(default_factory=AudienceOptionsInputs)

    @field_validator("options", mode="before")
    @classmethod
    def _no_options(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("name")
    @classmethod
    def _keyable(cls, value: str) -> str:
        if not re.search(r"[A-Za-z0-9]", value):
            raise ValueError("must contain a letter or digit (Segment makes the key of it)")
        return value
