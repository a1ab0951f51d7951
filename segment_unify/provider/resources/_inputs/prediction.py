"""What ``check`` validates of a ``Prediction`` beyond its declared fields: the default key."""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from segment_unify.provider.resources._inputs.base import Inputs
from segment_unify.provider.resources.prediction import DEFAULT_TRAIT_KEYS


class PredictionChecks(Inputs):
    """A prediction's trait key defaults to the one Segment gives its kind."""

    @model_validator(mode="before")
    @classmethod
    def _default_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and not data.get("trait_key"):
            default = DEFAULT_TRAIT_KEYS.get(str(data.get("kind")))
            if default:
                return {**data, "trait_key": default}
        return data
