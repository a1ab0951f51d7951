"""What ``check`` validates of an ``Audience``: its inputs, definition and options."""

from __future__ import annotations

from pydantic import Field

from segment_unify.provider.resources._inputs.base import ComputedInputs, Options, QueryDefinition
from segment_unify.provider.resources.audience import AudienceType


class AudienceDefinition(QueryDefinition):
    target_entity: str | None = None
    """Linked audiences only; left out of the definition when not set."""


class AudienceOptionsInputs(Options):
    include_historical_data: bool | None = None
    filter_by_external_ids: list[str] | None = None
    backfill_event_data_days: int | None = Field(default=None, ge=1)


class AudienceInputs(ComputedInputs):
    audience_type: AudienceType = "USERS"
    definition: AudienceDefinition
    options: AudienceOptionsInputs = Field(default_factory=AudienceOptionsInputs)
