"""Components over the Segment resources: ``UnifiedProfilesStack`` and the Flex traits.

Names are loaded on first use, so ``import segment_unify.components`` imports neither Pulumi nor
the resources until a program names something from here. ``flex_traits`` here is the module;
the function of that name is ``segment_unify.components.flex_traits.flex_traits``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "ENGAGEMENT_COMPLETED": "flex_traits",
    "ENGAGEMENT_INITIATED": "flex_traits",
    "FLEX_TRAITS": "flex_traits",
    "TraitSpec": "flex_traits",
    "UnifiedProfilesStack": "unified_profiles",
    "UnifiedProfilesStackArgs": "unified_profiles_config",
    "AudienceConfig": "unified_profiles_config",
    "DEFAULT_MODEL_QUERY": "unified_profiles_config",
    "DEFAULT_MODEL_TRAITS": "unified_profiles_config",
    "PredictionConfig": "unified_profiles_config",
    "ProfilesSyncConfig": "unified_profiles_config",
    "ReverseEtlModelConfig": "unified_profiles_config",
    "SalesforceConfig": "unified_profiles_config",
    "SourceConfig": "unified_profiles_config",
    "WarehouseConfig": "unified_profiles_config",
}

__all__ = [
    "DEFAULT_MODEL_QUERY",
    "DEFAULT_MODEL_TRAITS",
    "ENGAGEMENT_COMPLETED",
    "ENGAGEMENT_INITIATED",
    "FLEX_TRAITS",
    "AudienceConfig",
    "PredictionConfig",
    "ProfilesSyncConfig",
    "ReverseEtlModelConfig",
    "SalesforceConfig",
    "SourceConfig",
    "TraitSpec",
    "UnifiedProfilesStack",
    "UnifiedProfilesStackArgs",
    "WarehouseConfig",
]

if TYPE_CHECKING:
    from segment_unify.components.flex_traits import (
        ENGAGEMENT_COMPLETED,
        ENGAGEMENT_INITIATED,
        FLEX_TRAITS,
        TraitSpec,
    )
    from segment_unify.components.unified_profiles import UnifiedProfilesStack
    from segment_unify.components.unified_profiles_config import (
        DEFAULT_MODEL_QUERY,
        DEFAULT_MODEL_TRAITS,
        AudienceConfig,
        PredictionConfig,
        ProfilesSyncConfig,
        ReverseEtlModelConfig,
        SalesforceConfig,
        SourceConfig,
        UnifiedProfilesStackArgs,
        WarehouseConfig,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
