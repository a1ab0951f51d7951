"""What ``check`` validates of a ``SendIdentifyMapping``: each value's form, and an identity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator, model_validator

from segment_unify.provider.resources._inputs.base import Inputs


def _check_value(value: Any) -> Any:
    if isinstance(value, Mapping):
        keys = list(value)
        if len(keys) != 1 or not str(keys[0]).startswith("@"):
            raise ValueError(
                "expected a column name, a '$.' path, literal(...) or one mapping directive "
                f"such as {{'@path': '$.properties.email'}}, got an object with keys {keys}"
            )
    elif isinstance(value, str) and not value.strip():
        raise ValueError("expected a column name or a '$.' path, got an empty string")
    return value


class SendIdentifyMappingInputs(Inputs):
    engage_space: str = Field(min_length=1)
    user_id: bool | int | float | str | dict[str, Any] | None = None
    anonymous_id: bool | int | float | str | dict[str, Any] | None = None
    group_id: bool | int | float | str | dict[str, Any] | None = None
    traits: dict[str, Any] | None = None
    timestamp: str | dict[str, Any] | None = None

    @field_validator("user_id", "anonymous_id", "group_id", "timestamp")
    @classmethod
    def _one_value(cls, value: Any) -> Any:
        return None if value is None else _check_value(value)

    @field_validator("traits")
    @classmethod
    def _trait_values(cls, traits: dict[str, Any] | None) -> dict[str, Any] | None:
        for name, value in (traits or {}).items():
            if not name:
                raise ValueError("trait names must not be empty")
            if isinstance(value, list):
                raise ValueError(f"trait {name!r}: wrap a list in literal(...)")
            _check_value(value)
        return traits

    @model_validator(mode="after")
    def _someone(self) -> SendIdentifyMappingInputs:
        if self.user_id is None and self.anonymous_id is None:
            raise ValueError("Send Identify needs user_id or anonymous_id (or both)")
        return self
