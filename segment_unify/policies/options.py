"""Policy configuration: each option's JSON schema, default, and typed reading.

A policy declares its options once; :func:`config_schema` turns them into the
``PolicyConfigSchema`` the engine shows and validates ``--policy-pack-config`` against, and
``read_*`` return the configured value or the declared default. Defaults are applied here as
well as declared in the schema because the analyzer only hands a policy what was configured.

Numbers arrive as floats (the engine sends config as a protobuf ``Struct``), hence the
integer conversion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyConfigSchema

__all__ = ["Option", "config_schema", "read_int", "read_str", "read_strings"]


@dataclass(frozen=True)
class Option:
    """One configuration property of a policy."""

    name: str
    description: str
    default: Any
    schema: Mapping[str, Any]

    def json_schema(self) -> dict[str, Any]:
        return {**self.schema, "description": self.description, "default": self.default}


def config_schema(*options: Option) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties={option.name: option.json_schema() for option in options})


def _raw(config: Mapping[str, Any], option: Option) -> Any:
    value = config.get(option.name)
    return option.default if value is None else value


def read_int(config: Mapping[str, Any], option: Option) -> int:
    return int(_raw(config, option))


def read_str(config: Mapping[str, Any], option: Option) -> str:
    return str(_raw(config, option))


def read_strings(config: Mapping[str, Any], option: Option) -> list[str]:
    return [str(item) for item in _raw(config, option)]
