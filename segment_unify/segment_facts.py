"""Facts about Segment that the provider and the emulator must agree on, in one place.

Both read this module (the emulator imports nothing else of the package's provider), so the
pacing the provider does and the limits the emulator enforces cannot drift apart. It imports
only the standard library.

- ``RATE_LIMITS_PER_MINUTE``: every operation whose limit Segment's Public API SDK documents at
  API 73.2.0 ("The rate limit for this endpoint is N requests per minute", in the operation's
  description in ``segment_public_api/api/*.py`` of Segment's Python SDK). Every other operation
  gets ``DEFAULT_PER_MINUTE``, which is our assumption, not a Segment figure. The fidelity tier
  checks this table against the SDK's (``tests/fidelity/sdk-rate-limits.md``).
- A Reverse ETL ``PERIODIC`` schedule's ``interval``: a duration in days, hours, minutes and
  seconds (``15m``, ``1d``, ``3h25m30s``) or a bare number of milliseconds, at least 15 minutes.
  The SDK's model gives ``15m`` and ``3h25m30s`` as examples; Segment's app offers 15 and 30
  minutes, 1, 2, 4, 6, 8 and 12 hours and 1 day; Segment's maintainers say the field takes
  "formats like 15m, 1d" and that a bare number is milliseconds
  (segmentio/terraform-provider-segment#194).
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Final

DEFAULT_PER_MINUTE: Final = 1000

RATE_LIMITS_PER_MINUTE: Final = MappingProxyType(
    {
        # Destinations (subscriptions)
        "CreateDestinationSubscription": 5,
        "UpdateSubscriptionForDestination": 5,
        "RemoveSubscriptionFromDestination": 5,
        # Computed traits
        "CreateComputedTrait": 10,
        "ListComputedTraits": 25,
        "GetComputedTrait": 100,
        "UpdateComputedTraitForSpace": 10,
        "RemoveComputedTraitFromSpace": 20,
        # Audiences
        "CreateAudience": 50,
        "GetAudience": 100,
        "UpdateAudienceForSpace": 50,
        "RemoveAudienceFromSpace": 50,
        "ListAudiences": 60,
        "CreateAudiencePreview": 5,
        "GetAudiencePreview": 300,
        "ListAudienceConsumersFromSpaceAndAudience": 25,
        "AddAudienceScheduleToAudience": 50,
        "UpdateAudienceScheduleForAudience": 50,
        "RemoveAudienceScheduleFromAudience": 50,
        # Activations
        "AddActivationToAudience": 50,
        "AddDestinationToAudience": 50,
        "GetActivationFromAudience": 60,
        "ListActivationsFromAudience": 60,
        "ListDestinationsFromAudience": 50,
        "ListSupportedDestinationsFromAudience": 60,
        "RemoveActivationFromAudience": 50,
        "UpdateActivationForAudience": 50,
        # Space schema: what a space has seen
        "ListEvents": 25,
        "ListTraits": 25,
        "ListPropertiesFromEvent": 25,
        "ListEntityPaths": 25,
        "ListPropertiesFromEntity": 25,
        "ListSampleValuesFromEntityProperty": 25,
        "ListSampleValuesFromEventProperty": 25,
        "ListSampleValuesFromTrait": 25,
        # Reverse ETL
        "CreateReverseETLManualSync": 20,
        "GetReverseETLSyncStatus": 250,
        "CreateDbtModelSyncTrigger": 10,
        # Warehouses
        "GetConnectionStateFromWarehouse": 200,
        "GetAdvancedSyncScheduleFromWarehouse": 2,
        "ReplaceAdvancedSyncScheduleForWarehouse": 2,
        "ListSelectiveSyncsFromWarehouseAndSource": 2,
        "ListSyncsFromWarehouse": 2,
        "ListSyncsFromWarehouseAndSource": 2,
        "UpdateSelectiveSyncForWarehouse": 2,
        # Workspace
        "GetEventsVolumeFromWorkspace": 60,
        "ReplaceMessagingSubscriptionsInSpaces": 60,
        "ListRulesFromTrackingPlan": 200,
        "CreateLabel": 60,
        "DeleteLabel": 60,
        "CreateCloudSourceRegulation": 600,
        "CreateSourceRegulation": 600,
        "CreateWorkspaceRegulation": 600,
        # IAM
        "AddPermissionsToUser": 60,
        "AddPermissionsToUserGroup": 60,
        "AddUsersToUserGroup": 60,
        "CreateInvites": 60,
        "CreateUserGroup": 60,
        "DeleteInvites": 60,
        "DeleteUserGroup": 60,
        "DeleteUsers": 60,
        "RemoveUsersFromUserGroup": 60,
        "ReplacePermissionsForUser": 60,
        "ReplacePermissionsForUserGroup": 60,
        "ReplaceUsersInUserGroup": 60,
        "UpdateUserGroup": 60,
    }
)


def rate_limit_per_minute(operation: str) -> int:
    """Requests per minute Segment allows one workspace for ``operation``."""
    return RATE_LIMITS_PER_MINUTE.get(operation, DEFAULT_PER_MINUTE)


MIN_INTERVAL_SECONDS: Final = 15 * 60
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_MILLISECONDS = re.compile(r"\d+")


def interval_seconds(interval: object) -> float | None:
    """Seconds in a ``PERIODIC`` interval (``1d``, ``3h25m30s``, ``900000`` ms); None if the
    value is none of Segment's forms."""
    if not isinstance(interval, str) or not interval:
        return None
    if _MILLISECONDS.fullmatch(interval):
        return int(interval) / 1000
    match = _DURATION.fullmatch(interval)
    if match is None:
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds
