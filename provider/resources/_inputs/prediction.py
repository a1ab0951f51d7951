"""What ``check`` validates of a ``Prediction``; the trait key defaults from the kind."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from segment_unify.provider.resources._inputs.base import SpaceInputs
from segment_unify.provider.resources.prediction import DEFAULT_TRAIT_KEYS, PredictionKind


class PredictionInputs(SpaceInputs):
    kind: PredictionKind
    trait_key: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_.]*$", max_length=200)

    @model_validator(mode="before")
    @classmethod
    def _default_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("trait_key"):
            default = DEFAULT_TRAIT_KEYS.get(str(data.get("kind")))
            if default:
                return {**data, "trait_key": default}
        return data
