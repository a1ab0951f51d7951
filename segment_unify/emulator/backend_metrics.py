"""Read-only metrics Segment's troubleshooting pages show, computed from what happened here.

- `GetEventsVolumeFromWorkspace` (`GET /events/volume`, Source Debugger's counts): the messages
  each source accepted (the Tracking API's ingestion, de-duplicated), by `receivedAt`, grouped by
  `source`, `eventName` and/or `eventType`, filtered by `sourceId`, `eventName`, `eventType`.
- Delivery Overview's `successful-delivery`, `failed-delivery` and `filtered-at-destination`
  for a Reverse ETL source and a destination (`destinationConfigId`): the rows the destination's
  mappings delivered, failed to deliver (grouped by `discardReason`: why this emulator could not
  deliver them) and left out (rows deleted from the model's result, which Send Identify's
  default trigger does not send), from the syncs run, by their `finishedAt`.

A window is `[startTime, endTime)`; `granularity` (`MINUTE`, `HOUR`, `DAY`) sizes the series'
buckets, each `{time, count}` with `time` the bucket's start. Segment's limits on a window's
length and age per granularity are not enforced. Not emulated: `appVersion`, the other Delivery
Overview stages (ingest, filtered at source), event sources' deliveries to destinations.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from segment_unify.query.evaluation import event_name

from .backend_core import BackendCore
from .catalog import JsonObject
from .errors import ValidationFailure
from .pagination import PageRequest
from .records import (
    DestinationRecord,
    MessageRecord,
    SourceRecord,
    SubscriptionRecord,
    SyncRecord,
    WorkspaceRecord,
)

GRANULARITY = {
    "MINUTE": timedelta(minutes=1),
    "HOUR": timedelta(hours=1),
    "DAY": timedelta(days=1),
}
VOLUME_GROUPS = ("source", "eventName", "eventType")
DELIVERY_GROUPS = ("discardReason", "subscriptionId")
_TYPES = {"track": "TRACK", "identify": "IDENTIFY", "page": "PAGE", "screen": "SCREEN"}
_TYPES |= {"group": "GROUP", "alias": "ALIAS"}
# Delivery Overview stage -> the sync counts it is made of.
DELIVERY_STAGES = {
    "successful-delivery": "deliverSuccessCount",
    "failed-delivery": "deliverFailureCount",
    "filtered-at-destination": "deletedCount",
}


def _time(text: str, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidationFailure(f'"{name}" is not an ISO8601 timestamp', field=name) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class Window:
    """A query's `[start, end)` in buckets of `granularity`."""

    def __init__(self, granularity: str, start: str, end: str) -> None:
        if granularity.upper() not in GRANULARITY:
            raise ValidationFailure(
                f'"granularity" must be one of {", ".join(GRANULARITY)}', field="granularity"
            )
        self.granularity = granularity.upper()
        self.start, self.end = _time(start, "startTime"), _time(end, "endTime")
        if self.end <= self.start:
            raise ValidationFailure('"endTime" must be after "startTime"', field="endTime")
        self.step = GRANULARITY[self.granularity]

    def holds(self, text: str | None) -> bool:
        return text is not None and self.start <= _time(text, "time") < self.end

    def series(self, times: Iterable[tuple[str, int]]) -> list[JsonObject]:
        counts: Counter[int] = Counter()
        for text, count in times:
            counts[int((_time(text, "time") - self.start) / self.step)] += count
        buckets = int((self.end - self.start) / self.step) + (
            1 if (self.end - self.start) % self.step else 0
        )
        return [
            {"time": _iso(self.start + index * self.step), "count": counts[index]}
            for index in range(buckets)
        ]


def _groups(requested: Sequence[str], allowed: Sequence[str]) -> list[str]:
    unknown = [g for g in requested if g not in allowed]
    if unknown:
        raise ValidationFailure(
            f'"groupBy" takes {", ".join(allowed)}; not {", ".join(unknown)}', field="groupBy"
        )
    return list(dict.fromkeys(requested))


class MetricsMixin(BackendCore):
    # -- event volume ---------------------------------------------------------------------
    def events_volume(
        self,
        workspace: WorkspaceRecord,
        window: Window,
        group_by: Sequence[str],
        filters: Mapping[str, Sequence[str]],
        page: PageRequest,
    ) -> JsonObject:
        groups = _groups(group_by, VOLUME_GROUPS)
        sources = {s.id: s for s in self.store.list(SourceRecord, workspace.id)}
        rows: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        for record in self.store.list(MessageRecord, workspace.id):
            message = record.message
            received = message.get("receivedAt")
            if not window.holds(received) or record.source_id not in sources:
                continue
            facts = {
                "source": record.source_id,
                "eventName": event_name(message),
                "eventType": _TYPES.get(str(message.get("type")), str(message.get("type"))),
            }
            wanted = {"source": "sourceId", "eventName": "eventName", "eventType": "eventType"}
            if any(filters.get(q) and facts[k] not in filters[q] for k, q in wanted.items()):
                continue
            rows.setdefault(tuple(facts[g] for g in groups), []).append((str(received), 1))
        result = []
        for key, times in rows.items():
            item: JsonObject = {}
            for group, value in zip(groups, key, strict=True):
                if group == "source":
                    source = sources[value]
                    item["source"] = {"id": source.id, "name": source.name, "slug": source.slug}
                else:
                    item[group] = value
            item["total"] = len(times)
            item["series"] = window.series(times)
            result.append(item)
        items, pagination = page.slice(result)
        query: JsonObject = {
            "workspaceId": workspace.id,
            "granularity": window.granularity,
            "startTime": _iso(window.start),
            "endTime": _iso(window.end),
        }
        if groups:
            query["groupBy"] = groups
        for name, values in filters.items():
            if values:
                query[name] = list(values)
        return {"path": "/events/volume", "query": query, "result": items, "pagination": pagination}

    # -- Delivery Overview -----------------------------------------------------------------
    def delivery_overview(
        self,
        workspace: WorkspaceRecord,
        stage: str,
        source_id: str,
        destination_id: str,
        window: Window,
        group_by: Sequence[str],
        page: PageRequest,
    ) -> JsonObject:
        groups = _groups(group_by, DELIVERY_GROUPS)
        self.owned(SourceRecord, workspace, source_id)
        destination = self.owned(DestinationRecord, workspace, destination_id)
        subscriptions = {
            s.id
            for s in self.store.list(SubscriptionRecord, workspace.id, destination.id)
            if s.model_id is not None
        }
        count_key = DELIVERY_STAGES[stage]
        rows: dict[tuple[str, ...], list[tuple[str, int]]] = {}
        for sync in self.store.list(SyncRecord, workspace.id):
            if (
                sync.source_id != source_id
                or sync.subscription_id not in subscriptions
                or not window.holds(sync.finished_at)
            ):
                continue
            parts = _stage_parts(sync, count_key)
            for reason, count in parts.items():
                facts = {"discardReason": reason, "subscriptionId": sync.subscription_id}
                key = tuple(facts[g] for g in groups)
                rows.setdefault(key, []).append((str(sync.finished_at), count))
        dataset = []
        for key, times in rows.items():
            item: JsonObject = dict(zip(groups, key, strict=True))
            # The dataset has no subscriptionId field (grouping only), and deliveries no reason.
            item.pop("subscriptionId", None)
            if not item.get("discardReason"):
                item.pop("discardReason", None)
            item["total"] = sum(count for _, count in times)
            item["series"] = window.series(times)
            dataset.append(item)
        items, pagination = page.slice(dataset)
        return {
            "total": sum(int(item["total"]) for item in dataset),
            "dataset": items,
            "pagination": pagination,
        }


def _stage_parts(sync: SyncRecord, count_key: str) -> dict[str, int]:
    """The sync's count for a stage, by discard reason (failures only have reasons)."""
    total = int(sync.counts.get(count_key, 0))
    if count_key != "deliverFailureCount":
        return {"": total} if total else {}
    parts: dict[str, Any] = dict(sync.failure_reasons)
    unexplained = total - sum(parts.values())
    if unexplained > 0:
        parts["unknown"] = unexplained
    return {str(k): int(v) for k, v in parts.items() if v}
