"""Segment clients and one Pulumi dynamic resource per Segment object of the Unify setup.

Importing this package has no side effects; a resource's module is loaded when its name is
first used (``from segment_unify.provider import ComputedTrait``), and the clients (with httpx)
likewise (``from segment_unify.provider import SegmentClient``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from segment_unify.provider import resources as _resources
from segment_unify.provider.errors import (
    BadRequestError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    SegmentApiError,
    SegmentConnectionError,
    SegmentError,
    ServerError,
    UnauthorizedError,
    ValidationError,
)

if TYPE_CHECKING:
    # What type checkers see of the names loaded on first use (``__getattr__`` below): without
    # these, every resource would be ``Any`` to a program's mypy or pyright.
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.profile_client import ProfileClient
    from segment_unify.provider.resources import (
        Audience,
        AudienceArgs,
        AudienceDefinition,
        AudienceOptions,
        ComputedTrait,
        ComputedTraitArgs,
        Destination,
        DestinationArgs,
        DestinationSubscription,
        DestinationSubscriptionArgs,
        Prediction,
        PredictionArgs,
        ProfileApiToken,
        ProfileApiTokenArgs,
        ProfilesWarehouse,
        ProfilesWarehouseArgs,
        ReverseEtlModel,
        ReverseEtlModelArgs,
        ReverseEtlSchedule,
        SendIdentifyMapping,
        Source,
        SourceArgs,
        StackIdentity,
        TraitOptions,
        UnifySpace,
        UnifySpaceArgs,
        Warehouse,
        WarehouseArgs,
        WarehouseSourceConnection,
        WarehouseSourceConnectionArgs,
    )

__all__ = [
    "Audience",
    "AudienceArgs",
    "AudienceDefinition",
    "AudienceOptions",
    "BadRequestError",
    "ComputedTrait",
    "ComputedTraitArgs",
    "ConflictError",
    "Destination",
    "DestinationArgs",
    "DestinationSubscription",
    "DestinationSubscriptionArgs",
    "NotFoundError",
    "Prediction",
    "PredictionArgs",
    "ProfileApiToken",
    "ProfileApiTokenArgs",
    "ProfileClient",
    "ProfilesWarehouse",
    "ProfilesWarehouseArgs",
    "RateLimitedError",
    "ReverseEtlModel",
    "ReverseEtlModelArgs",
    "ReverseEtlSchedule",
    "SegmentApiError",
    "SegmentClient",
    "SegmentConnectionError",
    "SegmentError",
    "SendIdentifyMapping",
    "ServerError",
    "Source",
    "SourceArgs",
    "StackIdentity",
    "TraitOptions",
    "UnauthorizedError",
    "UnifySpace",
    "UnifySpaceArgs",
    "ValidationError",
    "Warehouse",
    "WarehouseArgs",
    "WarehouseSourceConnection",
    "WarehouseSourceConnectionArgs",
]


# Loaded on first use: building a client is what needs httpx, and a preview never does.
_CLIENTS = {
    "SegmentClient": "segment_unify.provider.client",
    "ProfileClient": "segment_unify.provider.profile_client",
}


def __getattr__(name: str) -> Any:
    module = _CLIENTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    return getattr(_resources, name)
