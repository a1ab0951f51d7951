"""What ``check`` validates of a ``SendIdentifyMapping`` beyond its declared fields: each
value's form, and an identity. ``SendIdentifyMappingInputs`` is the model derived from the
declaration on this base."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from pydantic import field_validator, model_validator

from segment_unify.provider.resources._inputs.base import Inputs
from segment_unify.provider.resources._inputs.derive import model_of
from segment_unify.provider.resources.send_identify import SendIdentifyMapping


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


class SendIdentifyChecks(Inputs):
    """The checks across Send Identify's declared fields."""

    if TYPE_CHECKING:  # the declared fields the checks and ``compile_mapping`` read
        engage_space: str
        user_id: Any
        anonymous_id: Any
        group_id: Any
        traits: dict[str, Any] | None
        timestamp: Any

    @field_validator("user_id", "anonymous_id", "group_id", "timestamp", check_fields=False)
    @classmethod
    def _one_value(cls, value: Any) -> Any:
        return None if value is None else _check_value(value)

    @field_validator("traits", check_fields=False)
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
    def _someone(self) -> SendIdentifyChecks:
        if self.user_id is None and self.anonymous_id is None:
            raise ValueError("Send Identify needs user_id or anonymous_id (or both)")
        return self


SendIdentifyMappingInputs = cast("type[SendIdentifyChecks]", model_of(SendIdentifyMapping))
