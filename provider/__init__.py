"""Segment clients and one Pulumi dynamic resource per Segment object of the Unify setup.

Importing this package is cheap and has no side effects: the resources' modules are loaded when
their names are first used.
"""

from __future__ import annotations

from segment_unify.provider.client import SegmentClient
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
from segment_unify.provider.profile_client import ProfileClient

__all__ = [
    "BadRequestError",
    "ConflictError",
    "NotFoundError",
    "ProfileClient",
    "RateLimitedError",
    "SegmentApiError",
    "SegmentClient",
    "SegmentConnectionError",
    "SegmentError",
    "ServerError",
    "UnauthorizedError",
    "ValidationError",
]
