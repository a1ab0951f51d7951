"""What ``segment-unify doctor`` reads: Segment's GETs and its audience preview, nothing else.

Every read is one Public API (or Profile API) operation; a read that fails is kept as its error
text (which names the operation and the path, never the token), so one refused read turns into
one failed check instead of stopping the rest.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Any, TypeVar

from segment_unify.cli.workspace import SPACE_SOURCE_SLUG, catalog_slug
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.errors import NotFoundError, SegmentError, UnauthorizedError
from segment_unify.provider.profile_client import ProfileClient

Obj = dict[str, Any]
T = TypeVar("T")
WINDOW_HOURS = 24
PREVIEW_POLLS = 10
PREVIEW_POLL_SECONDS = 1.0


def window(now: datetime, hours: int = WINDOW_HOURS) -> dict[str, str]:
    """The last ``hours`` in whole hours, the current one included (Segment's end is exclusive)."""
    end = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(hours=hours + 1)

    def iso(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {"granularity": "HOUR", "startTime": iso(start), "endTime": iso(end)}


@dataclass
class Delivery:
    delivered: int = 0
    failed: int = 0
    filtered: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass
class Facts:
    """What was read; ``errors`` holds, per read, why it could not be."""

    now: datetime
    workspace: Obj | None = None
    space: Obj | None = None
    space_slugs: list[str] = field(default_factory=list)
    profile_token: str = "missing"  # works | refused | missing | error
    sources: list[Obj] = field(default_factory=list)
    volume: list[Obj] = field(default_factory=list)
    space_events: list[Obj] = field(default_factory=list)
    warehouses: list[Obj] = field(default_factory=list)
    connections: dict[str, list[str]] = field(default_factory=dict)
    models: list[Obj] = field(default_factory=list)
    destinations: list[Obj] = field(default_factory=list)
    subscriptions: list[Obj] = field(default_factory=list)
    latest_syncs: dict[tuple[str, str], Obj | None] = field(default_factory=dict)
    delivery: dict[str, Delivery] = field(default_factory=dict)
    computed_traits: list[Obj] = field(default_factory=list)
    audiences: list[Obj] = field(default_factory=list)
    audience_sizes: dict[str, int] = field(default_factory=dict)
    traits: list[Obj] = field(default_factory=list)
    profiles_warehouses: list[Obj] = field(default_factory=list)
    user: str | None = None
    profile: Obj | None = None
    # The stack's outputs without its secrets (``doctor.public_outputs``); never shown whole.
    stack_outputs: Mapping[str, Any] | None = field(default=None, repr=False)
    errors: dict[str, str] = field(default_factory=dict)


class Reader:
    def __init__(self, client: SegmentClient, profiles: ProfileClient | None, facts: Facts) -> None:
        self.client, self.profiles, self.facts = client, profiles, facts
        self.sleep: Callable[[float], None] = time.sleep

    def _try(self, name: str, read: Callable[[], T], default: T) -> T:
        try:
            return read()
        except SegmentError as exc:
            self.facts.errors[name] = str(exc)
            return default

    def _many(self, name: str, read: Callable[[], list[Obj]]) -> list[Obj]:
        return self._try(name, read, [])

    def _one(self, name: str, read: Callable[[], Obj]) -> Obj | None:
        return self._try(name, read, None)

    def _field(self, operation: str, path: str, key: str, params: Obj) -> Any:
        return self.client.get(operation, path, params)[key]

    def _list(self, operation: str, path: str, key: str, **params: Any) -> list[Obj]:
        return list(self.client.paginate(operation, path, key, params or None))

    def read(self, space_slug: str, user: str | None) -> Facts:
        facts = self.facts
        facts.workspace = self._one(
            "workspace", partial(self._field, "GetWorkspace", "/", "workspace", {})
        )
        if facts.workspace is None:
            return facts
        spaces = self._many("spaces", lambda: self._list("ListSpaces", "/spaces", "spaces"))
        facts.space_slugs = sorted(str(s.get("slug")) for s in spaces)
        facts.space = next((s for s in spaces if s.get("slug") == space_slug), None)
        listed = self._many("sources", lambda: self._list("ListSources", "/sources", "sources"))
        facts.sources = [s for s in listed if catalog_slug(s) != SPACE_SOURCE_SLUG]
        self._read_events()
        self._read_warehouses()
        self._read_reverse_etl()
        if facts.space is not None:
            self._read_space(str(facts.space["id"]))
            self._read_profile(str(facts.space["id"]), user)
        return facts

    def _read_events(self) -> None:
        params = window(self.facts.now) | {"groupBy": ["source", "eventName"]}
        self.facts.volume = self._many(
            "volume",
            partial(
                self._list, "GetEventsVolumeFromWorkspace", "/events/volume", "result", **params
            ),
        )

    def _read_warehouses(self) -> None:
        facts = self.facts
        facts.warehouses = self._many(
            "warehouses", lambda: self._list("ListWarehouses", "/warehouses", "warehouses")
        )
        for warehouse in facts.warehouses:
            path = f"/warehouses/{warehouse['id']}/connected-sources"
            facts.connections[str(warehouse["id"])] = [
                str(s["id"])
                for s in self._many(
                    f"connections:{warehouse['id']}",
                    partial(self._list, "ListConnectedSourcesFromWarehouse", path, "sources"),
                )
            ]

    def _read_reverse_etl(self) -> None:
        facts = self.facts
        facts.models = self._many(
            "models", partial(self._list, "ListReverseEtlModels", "/reverse-etl-models", "models")
        )
        facts.destinations = self._many(
            "destinations", lambda: self._list("ListDestinations", "/destinations", "destinations")
        )
        for destination in facts.destinations:
            path = f"/destinations/{destination['id']}/subscriptions"
            facts.subscriptions += self._many(
                f"subscriptions:{destination['id']}",
                partial(self._list, "ListSubscriptionsFromDestination", path, "subscriptions"),
            )
        for subscription in facts.subscriptions:
            model_id = subscription.get("modelId")
            if not model_id:
                continue
            path = f"/reverse-etl-models/{model_id}/subscriptionId/{subscription['id']}/syncs"
            found = self._many(
                f"syncs:{model_id}:{subscription['id']}",
                partial(
                    self._field,
                    "ListReverseETLSyncStatusesFromModelAndSubscriptionId",
                    path,
                    "syncStatuses",
                    {"count": 1},
                ),
            )
            facts.latest_syncs[(str(model_id), str(subscription["id"]))] = (
                found[0] if found else None
            )
        for destination in facts.destinations:
            self._read_delivery(destination)

    def _read_delivery(self, destination: Obj) -> None:
        params = window(self.facts.now) | {
            "sourceId": destination["sourceId"],
            "destinationConfigId": destination["id"],
        }
        stages = (
            ("delivered", "GetEgressSuccessMetricsFromDeliveryOverview", "successful-delivery"),
            ("failed", "GetEgressFailedMetricsFromDeliveryOverview", "failed-delivery"),
            (
                "filtered",
                "GetFilteredAtDestinationMetricsFromDeliveryOverview",
                "filtered-at-destination",
            ),
        )
        found = Delivery()
        for attribute, operation, stage in stages:
            query = params | ({"groupBy": ["discardReason"]} if attribute == "failed" else {})
            data = self._one(
                f"delivery:{destination['id']}:{stage}",
                partial(self.client.get, operation, f"/delivery-overview/{stage}", query),
            )
            if data is None:
                continue
            setattr(found, attribute, int(data.get("total") or 0))
            if attribute == "failed":
                for item in data.get("dataset") or []:
                    reason = str(item.get("discardReason") or "unknown")
                    found.reasons[reason] = found.reasons.get(reason, 0) + int(item["total"])
        self.facts.delivery[str(destination["id"])] = found

    def _read_space(self, space_id: str) -> None:
        facts, base = self.facts, f"/spaces/{space_id}"
        facts.space_events = self._many(
            "space-events", lambda: self._list("ListEvents", f"{base}/events", "events")
        )
        facts.computed_traits = self._many(
            "computed-traits",
            lambda: self._list("ListComputedTraits", f"{base}/computed-traits", "computedTraits"),
        )
        facts.audiences = self._many(
            "audiences", lambda: self._list("ListAudiences", f"{base}/audiences", "audiences")
        )
        for audience in facts.audiences:
            # The list's summaries have no size; GetAudience's may.
            found = self._one(
                f"audience:{audience['id']}",
                partial(
                    self._field, "GetAudience", f"{base}/audiences/{audience['id']}", "audience", {}
                ),
            )
            size = ((found or {}).get("size") or {}).get("count")
            if isinstance(size, int | float):
                facts.audience_sizes[str(audience.get("key"))] = int(size)
        facts.traits = self._many(
            "traits", lambda: self._list("ListTraits", f"{base}/traits", "traits")
        )
        facts.profiles_warehouses = self._many(
            "profiles-warehouses",
            lambda: self._list(
                "ListProfilesWarehouseInSpace", f"{base}/profiles-warehouses", "profilesWarehouses"
            ),
        )

    def _read_profile(self, space_id: str, user: str | None) -> None:
        facts = self.facts
        if self.profiles is None:
            return
        probe = f"user_id:segment-unify-doctor-{uuid.uuid4().hex[:12]}"
        try:
            self.profiles.traits(space_id, probe, limit=1)
            facts.profile_token = "works"
        except NotFoundError:
            facts.profile_token = "works"
        except UnauthorizedError as exc:
            facts.profile_token = "refused"
            facts.errors["profile-token"] = str(exc)
            return
        except SegmentError as exc:
            facts.profile_token = "error"
            facts.errors["profile-token"] = str(exc)
            return
        facts.user = user or self._found_user(space_id)
        if facts.user is None:
            return
        identifier = facts.user if ":" in facts.user else f"user_id:{facts.user}"
        try:
            traits = self.profiles.traits(space_id, identifier, limit=200)
            ids = self.profiles.external_ids(space_id, identifier)
            facts.profile = {"traits": traits.get("traits") or {}, "externalIds": ids.get("data")}
        except NotFoundError:
            facts.profile = None
        except SegmentError as exc:
            facts.errors["profile"] = str(exc)

    def _found_user(self, space_id: str) -> str | None:
        """A user with a value of one of the space's computed traits, from Segment's audience
        preview (the one POST doctor makes: a preview computes, it stores nothing)."""
        keys = [str(t.get("key")) for t in self.facts.computed_traits if t.get("key")]
        carried = {str(t.get("trait")) for t in self.facts.traits}
        keys = [k for k in keys if k in carried]
        if not keys:
            return None
        body = {
            "audienceType": "USERS",
            "definition": {"query": f"trait('{keys[0]}').exists()"},
        }
        base = f"/spaces/{space_id}/audiences/previews"
        made = self._try(
            "preview", lambda: self.client.post("CreateAudiencePreview", base, body), None
        )
        preview_id = ((made or {}).get("audiencePreview") or {}).get("id")
        for preview in self._previews(base, preview_id):
            for result in preview.get("results") or []:
                for key, value in (result.get("properties") or {}).items():
                    if key == "user_id" and value:
                        return str(value)
            return None
        return None

    def _previews(self, base: str, preview_id: str | None) -> Iterator[Obj]:
        # Segment computes a preview asynchronously: ask again while it is RUNNING.
        for attempt in range(PREVIEW_POLLS if preview_id else 0):
            if attempt:
                self.sleep(PREVIEW_POLL_SECONDS)
            got = self._try(
                "preview",
                lambda: self.client.get("GetAudiencePreview", f"{base}/{preview_id}"),
                None,
            )
            preview = (got or {}).get("audiencePreview") or {}
            if preview.get("status") in ("COMPLETED", "FAILED"):
                yield preview
                return


def display_name(obj: Obj) -> str:
    """How Segment's app shows an object: its name, else its slug or key, else its id."""
    return str(obj.get("name") or obj.get("slug") or obj.get("key") or obj.get("id"))


def now() -> datetime:
    return datetime.now(timezone.utc)
