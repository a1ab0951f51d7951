"""Segment's options of a computed trait and of an audience: what is not part of the query.

``TraitOptions`` is the one class for a computed trait's options: the query builders carry it
(``event_counter(...).with_options(...)``) and ``ComputedTrait(options=...)`` takes it.
``AudienceOptions`` is Segment's other object (``AudienceOptions`` in its API). Both are
declared once (``resources._declare``): Segment's names, the checks at preview and the keys
in Pulumi state come from these fields. None leaves Segment's default.
"""

from __future__ import annotations

from typing import ClassVar

from segment_unify.provider.resources._declare import Args, Value, arg, check_values


class TraitOptions(Args, frozen=True):
    """The Public API ``options`` of a computed trait; None leaves Segment's default.

    Segment's docs say historical data is included by default, and Segment may force it on
    when a definition needs it. ``backfill_days`` only makes sense with historical data.
    """

    include_historical_data: Value[bool] = arg(segment="includeHistoricalData", default=None)
    """Compute over events received before the trait existed (Segment's default: on)."""
    include_anonymous_users: Value[bool] = arg(segment="includeAnonymousUsers", default=None)
    """Count profiles that have only anonymous ids."""
    backfill_days: Value[int] = arg(
        segment="backfillDurationDays", state="backfill_duration_days", ge=1, default=None
    )
    """How many days of history the backfill reads (needs historical data)."""

    def __post_init__(self) -> None:
        check_values(self)
        if self.backfill_days is not None and self.include_historical_data is False:
            raise ValueError("backfill_days needs include_historical_data (it is False)")

    def to_api(self) -> dict[str, bool | int]:
        """The API ``options``: only the keys that are set, under Segment's names."""
        from segment_unify.provider.resources._declare import to_segment, to_state

        api: dict[str, bool | int] = to_segment(TraitOptions, to_state(self))
        return api

    def to_prop(self) -> dict[str, object]:
        """As a resource's ``options`` prop (every key, under its name in Pulumi state)."""
        from segment_unify.provider.resources._declare import to_state

        return to_state(self)


class AudienceOptions(Args):
    """Segment's audience options (not part of the query)."""

    check_base: ClassVar[str] = "Options"

    include_historical_data: Value[bool] = arg(segment="includeHistoricalData", default=None)
    """Compute over events received before the audience existed."""
    filter_by_external_ids: Value[list[str]] = arg(segment="filterByExternalIds", default=None)
    """Identifiers a profile needs to count (Segment's default: user_id, email, the IDFAs)."""
    backfill_event_data_days: Value[int] = arg(segment="backfillEventDataDays", ge=1, default=None)
    """How many days of events the backfill reads."""
