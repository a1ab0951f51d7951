"""What ``check`` validates of a ``ComputedTrait``: its inputs, definition and options."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from segment_unify.provider.resources._inputs.base import ComputedInputs, Options, QueryDefinition


class TraitDefinition(QueryDefinition):
    type: Literal["USERS", "ACCOUNTS"] = "USERS"


class TraitOptionsInputs(Options):
    include_historical_data: bool | None = None
    include_anonymous_users: bool | None = None
    backfill_duration_days: int | None = Field(default=None, ge=1)


class ComputedTraitInputs(ComputedInputs):
    definition: TraitDefinition
    options: TraitOptionsInputs = Field(default_factory=TraitOptionsInputs)
