"""One Pulumi dynamic resource per Segment object of the Unify setup, one module each.

Names are loaded on first use, so importing this package costs nothing until a program names
a resource.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    "Audience": "audience",
    "AudienceArgs": "audience",
    "AudienceDefinition": "audience",
    "AudienceOptions": "audience",
    "ComputedTrait": "computed_trait",
    "ComputedTraitArgs": "computed_trait",
    "TraitOptions": "computed_trait",
    "Destination": "destination",
    "DestinationArgs": "destination",
    "DestinationSubscription": "destination_subscription",
    "DestinationSubscriptionArgs": "destination_subscription",
    "Prediction": "prediction",
    "PredictionArgs": "prediction",
    "ProfileApiToken": "profile_api_token",
    "ProfileApiTokenArgs": "profile_api_token",
    "ProfilesWarehouse": "profiles_warehouse",
    "ProfilesWarehouseArgs": "profiles_warehouse",
    "ReverseEtlModel": "reverse_etl_model",
    "ReverseEtlModelArgs": "reverse_etl_model",
    "ReverseEtlSchedule": "schedule",
    "SendIdentifyMapping": "send_identify",
    "Source": "source",
    "SourceArgs": "source",
    "StackIdentity": "stack_identity",
    "UnifySpace": "unify_space",
    "UnifySpaceArgs": "unify_space",
    "Warehouse": "warehouse",
    "WarehouseArgs": "warehouse",
    "WarehouseSourceConnection": "warehouse_source_connection",
    "WarehouseSourceConnectionArgs": "warehouse_source_connection",
}

__all__ = [
    "Audience",
    "AudienceArgs",
    "AudienceDefinition",
    "AudienceOptions",
    "ComputedTrait",
    "ComputedTraitArgs",
    "Destination",
    "DestinationArgs",
    "DestinationSubscription",
    "DestinationSubscriptionArgs",
    "Prediction",
    "PredictionArgs",
    "ProfileApiToken",
    "ProfileApiTokenArgs",
    "ProfilesWarehouse",
    "ProfilesWarehouseArgs",
    "ReverseEtlModel",
    "ReverseEtlModelArgs",
    "ReverseEtlSchedule",
    "SendIdentifyMapping",
    "Source",
    "SourceArgs",
    "StackIdentity",
    "TraitOptions",
    "UnifySpace",
    "UnifySpaceArgs",
    "Warehouse",
    "WarehouseArgs",
    "WarehouseSourceConnection",
    "WarehouseSourceConnectionArgs",
]

if TYPE_CHECKING:
    from segment_unify.provider.resources.audience import (
        Audience,
        AudienceArgs,
        AudienceDefinition,
        AudienceOptions,
    )
    from segment_unify.provider.resources.computed_trait import (
        ComputedTrait,
        ComputedTraitArgs,
        TraitOptions,
    )
    from segment_unify.provider.resources.destination import Destination, DestinationArgs
    from segment_unify.provider.resources.destination_subscription import (
        DestinationSubscription,
        DestinationSubscriptionArgs,
    )
    from segment_unify.provider.resources.prediction import Prediction, PredictionArgs
    from segment_unify.provider.resources.profile_api_token import (
        ProfileApiToken,
        ProfileApiTokenArgs,
    )
    from segment_unify.provider.resources.profiles_warehouse import (
        ProfilesWarehouse,
        ProfilesWarehouseArgs,
    )
    from segment_unify.provider.resources.reverse_etl_model import (
        ReverseEtlModel,
        ReverseEtlModelArgs,
    )
    from segment_unify.provider.resources.schedule import ReverseEtlSchedule
    from segment_unify.provider.resources.send_identify import SendIdentifyMapping
    from segment_unify.provider.resources.source import Source, SourceArgs
    from segment_unify.provider.resources.stack_identity import StackIdentity
    from segment_unify.provider.resources.unify_space import UnifySpace, UnifySpaceArgs
    from segment_unify.provider.resources.warehouse import Warehouse, WarehouseArgs
    from segment_unify.provider.resources.warehouse_source_connection import (
        WarehouseSourceConnection,
        WarehouseSourceConnectionArgs,
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
