"""What the policies know about our resources: type tokens, names in messages, safe reading.

Resources arrive at the analyzer as their type token (``pulumi-python:dynamic/segment:<Name>``)
and their checked inputs in snake_case (``space_id``, ``definition``, ``options``...), with
values still unknown at preview wrapped by pulumi_policy so that reading them raises.
:func:`lookup` reads a nested property and returns :data:`UNKNOWN` instead, so a policy can skip
what it cannot judge yet; ``pulumi up`` analyzes the resolved values again.

Trait keys are not inputs: Segment derives them from the name (:func:`trait_key`, the same
rule the emulator applies), so the policies derive them at preview too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pulumi_policy.proxy import UnknownValueError

from segment_unify.provider.keys import segment_key

__all__ = [
    "AUDIENCE",
    "COMPUTED_TRAIT",
    "PREDICTION",
    "PROFILES_WAREHOUSE",
    "UNIFY_SPACE",
    "UNKNOWN",
    "WAREHOUSE",
    "describe",
    "kind_of",
    "lookup",
    "token",
    "trait_key",
]

_PREFIX = "pulumi-python:dynamic/segment:"

AUDIENCE = "Audience"
COMPUTED_TRAIT = "ComputedTrait"
PREDICTION = "Prediction"
PROFILES_WAREHOUSE = "ProfilesWarehouse"
UNIFY_SPACE = "UnifySpace"
WAREHOUSE = "Warehouse"

# How messages call each kind of resource, in the middle of a sentence.
_LABELS: Final[dict[str, str]] = {
    AUDIENCE: "audience",
    COMPUTED_TRAIT: "computed trait",
    "Destination": "destination",
    "DestinationSubscription": "destination subscription",
    PREDICTION: "prediction",
    "ProfileApiToken": "Profile API token",
    PROFILES_WAREHOUSE: "Profiles Sync warehouse",
    "ReverseEtlModel": "Reverse ETL model",
    "Source": "source",
    UNIFY_SPACE: "Unify space",
    WAREHOUSE: "warehouse",
    "WarehouseSourceConnection": "warehouse source connection",
}


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()
"""A value the engine does not know until the update (an output of another resource)."""


def token(kind: str) -> str:
    """The type token of one of our resources, e.g. ``token("Audience")``."""
    return _PREFIX + kind


def kind_of(resource_type: str) -> str | None:
    """``ComputedTrait`` for our computed traits' token; None for anyone else's resources."""
    if not resource_type.startswith(_PREFIX):
        return None
    return resource_type[len(_PREFIX) :]


def describe(resource_type: str, name: str, *, start: bool = True) -> str:
    """How a message names a resource: ``Computed trait "total-inbounds"`` (``start=False``:
    ``computed trait "total-inbounds"``, for the middle of a sentence)."""
    kind = kind_of(resource_type)
    label = _LABELS.get(kind or "", kind or resource_type)
    if start:
        label = label[0].upper() + label[1:]
    return f'{label} "{name}"'


def lookup(props: Mapping[str, Any], *path: str) -> Any:
    """``props[path[0]][path[1]]...``: None when absent, :data:`UNKNOWN` when not known yet."""
    value: Any = props
    try:
        for key in path:
            if not isinstance(value, Mapping) or key not in value:
                return None
            value = value[key]
    except UnknownValueError:
        return UNKNOWN
    return value


def trait_key(name: str) -> str:
    """The key Segment makes of a name: ``Total Calls (30d)`` -> ``total_calls_30d``."""
    return segment_key(name)
