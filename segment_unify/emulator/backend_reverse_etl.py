"""Reverse ETL syncs that move rows: the model's SQL runs against the warehouse its source's
settings point at, and the subscription's mapping turns each row into an identify call.

A sync (manual: `CreateReverseETLManualSync`; scheduled: a subscription whose
`reverseETLSchedule` is `PERIODIC`, run by :meth:`run_due_syncs`) reads the model's rows
(`warehouse_reader`), compares them by the model's identifier column with the rows of the last
successful sync of the same subscription (added, updated, deleted), and for each added or
updated row evaluates the subscription's `settings` with mapping-kit's directives over the event
Segment hands Reverse ETL mappings (`{type: track, event: new|updated, properties: <the row>}`).
The Segment Profiles destination's Send Identify then sends `identify` (`user_id`,
`anonymous_id`, `group_id`, `traits`, `timestamp`, `message_id`, `consent` as `context.consent`)
with its `engage_space` (the space's `personas-compute` write key) through the Tracking API's
ingestion, so the profiles appear in the Profile API. The sync is complete when the answer is
given (Segment's is asynchronous); `GetReverseETLSyncStatus` reports `SUCCESS` with the counts
(`PARTIAL_SUCCESS` when some rows could not be delivered, `FAIL` when none could), or `FAIL`
with the database's message as `error`. Not evaluated: the subscription's FQL trigger (added and
updated rows are delivered, deleted ones are not: Send Identify's default trigger), actions
other than Send Identify (counted as delivery failures), schedules other than `PERIODIC`.

"Preview 10 records", a step of Segment's app with no Public API operation, is the control
plane's `POST /__emulator/reverse-etl-models/{modelId}/preview`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

from segment_unify.segment_facts import interval_seconds

from .backend_activations import ActivationsMixin
from .backend_previews import AudiencePreviewsMixin
from .catalog import JsonObject
from .errors import NotFound, ValidationFailure
from .inputs import ManualSyncInput
from .mapping_kit import MappingError, transform
from .records import (
    DestinationRecord,
    ModelRecord,
    SourceRecord,
    SubscriptionRecord,
    SyncRecord,
    WorkspaceRecord,
)
from .tracking_messages import TrackingRequest
from .warehouse_reader import ModelRows, WarehouseQueryError, read_model_rows

PREVIEW_ROWS = 10
SEND_IDENTIFY = "sendIdentify"
# Send Identify's fields -> the identify message's keys.
_IDENTIFY_FIELDS = {
    "user_id": "userId",
    "anonymous_id": "anonymousId",
    "group_id": "groupId",
    "traits": "traits",
    "timestamp": "timestamp",
    "message_id": "messageId",
}


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _digest(row: dict[str, Any]) -> str:
    text = json.dumps(row, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class ReverseEtlMixin(AudiencePreviewsMixin, ActivationsMixin):
    def create_manual_sync(self, workspace: WorkspaceRecord, body: ManualSyncInput) -> JsonObject:
        answer = super().create_manual_sync(workspace, body)
        sync = self.store.get(SyncRecord, answer["reverseETLManualSync"]["syncId"])
        if sync is not None:
            self.run_sync(sync)
        return answer

    def _retl_source(self, model: ModelRecord) -> tuple[SourceRecord, str]:
        source = self.store.get(SourceRecord, model.source_id)
        if source is None:
            raise NotFound()
        entry = self.catalog.get("sources", source.metadata_id) or {}
        return source, str(entry.get("slug", ""))

    # -- "Preview 10 records" -------------------------------------------------------------
    def preview_model(self, model_id: str) -> JsonObject:
        model = self.store.get(ModelRecord, model_id)
        if model is None:
            raise NotFound()
        source, slug = self._retl_source(model)
        try:
            found = read_model_rows(
                slug, source.settings, model.query, model.query_identifier_column, PREVIEW_ROWS
            )
        except WarehouseQueryError as error:
            raise ValidationFailure(error.message, field="query") from None
        return {"columns": found.columns, "rows": found.rows}

    # -- syncs ------------------------------------------------------------------------------
    def run_sync(self, sync: SyncRecord) -> SyncRecord:
        """Run ``sync`` to its end; the record keeps what it did."""
        model = self.store.get(ModelRecord, sync.model_id)
        subscription = self.store.get(SubscriptionRecord, sync.subscription_id)
        if model is None or subscription is None:
            return self._finish(sync, error=("NOT_FOUND", "the model or subscription is gone"))
        source, slug = self._retl_source(model)
        try:
            found = read_model_rows(
                slug, source.settings, model.query, model.query_identifier_column
            )
        except WarehouseQueryError as error:
            return self._finish(sync, error=(error.code, error.message))
        return self._deliver_rows(sync, model, subscription, found)

    def _deliver_rows(
        self,
        sync: SyncRecord,
        model: ModelRecord,
        subscription: SubscriptionRecord,
        found: ModelRows,
    ) -> SyncRecord:
        before = self._last_digests(sync)
        digests = {str(row[model.query_identifier_column]): _digest(row) for row in found.rows}
        changed = [
            ("new" if key not in before else "updated", row)
            for row in found.rows
            for key in [str(row[model.query_identifier_column])]
            if before.get(key) != digests[key]
        ]
        delivered = 0
        reasons: Counter[str] = Counter()
        destination = self.store.get(DestinationRecord, subscription.destination_id)
        for event, row in changed:
            message = self._identify(sync, subscription, destination, event, row)
            if isinstance(message, str):
                reasons[message] += 1
                continue
            write_key, identify = message
            kept = self.ingest(TrackingRequest(write_key, [identify]))
            if kept["accepted"] or kept["duplicates"]:
                delivered += 1
            else:
                reasons["the Tracking API refused the identify call"] += 1
        failed = sum(reasons.values())
        sync.failure_reasons = dict(reasons)
        sync.row_digests = digests
        sync.counts = {
            "extractCount": len(found.rows),
            "addedCount": sum(1 for event, _ in changed if event == "new"),
            "updatedCount": sum(1 for event, _ in changed if event == "updated"),
            "deletedCount": len(set(before) - set(digests)),
            "deliverSuccessCount": delivered,
            "deliverFailureCount": failed,
        }
        return self._finish(sync)

    def _identify(
        self,
        sync: SyncRecord,
        subscription: SubscriptionRecord,
        destination: DestinationRecord | None,
        event: str,
        row: dict[str, Any],
    ) -> tuple[str, dict[str, Any]] | str:
        """The write key and identify call for ``row``, or why none can be sent."""
        if destination is None or not destination.enabled:
            return "the destination is disabled"
        if not subscription.enabled:
            return "the mapping is disabled"
        if subscription.action_slug != SEND_IDENTIFY:
            return f"action {subscription.action_slug} is not emulated"
        payload = {
            "type": "track",
            "event": event,
            "messageId": f"retl-{sync.id}-{_digest(row)[:12]}",
            "timestamp": sync.started_at,
            "properties": row,
            "context": {},
        }
        try:
            fields = transform(subscription.settings, payload)
        except MappingError as error:
            return f"the mapping could not be applied: {error}"
        write_key = fields.get("engage_space")
        if not isinstance(write_key, str) or not write_key:
            return "the mapping has no engage_space (the space's write key)"
        identify: dict[str, Any] = {"type": "identify"}
        for field, key in _IDENTIFY_FIELDS.items():
            if fields.get(field) not in (None, "", {}):
                identify[key] = fields[field]
        if isinstance(fields.get("consent"), dict):
            identify["context"] = {"consent": fields["consent"]}
        return write_key, identify

    def _last_digests(self, sync: SyncRecord) -> dict[str, str]:
        earlier = [
            s
            for s in self.store.list(SyncRecord, sync.workspace_id, sync.model_id)
            if s.subscription_id == sync.subscription_id
            and s.id != sync.id
            and s.status in ("SUCCESS", "PARTIAL_SUCCESS")
            and s.finished_at is not None
        ]
        if not earlier:
            return {}
        return max(earlier, key=lambda s: s.finished_at or "").row_digests

    def _finish(self, sync: SyncRecord, error: tuple[str, str] | None = None) -> SyncRecord:
        sync.finished_at = _now()
        if error is not None:
            sync.status, (sync.error_code, sync.error) = "FAIL", error
        else:
            delivered = sync.counts.get("deliverSuccessCount", 0)
            failed = sync.counts.get("deliverFailureCount", 0)
            sync.status = "SUCCESS" if not failed else "PARTIAL_SUCCESS" if delivered else "FAIL"
        with self.store.lock:
            self.store.put(sync)
        return sync

    # -- schedules --------------------------------------------------------------------------
    def run_due_syncs(self, now: datetime | None = None) -> list[JsonObject]:
        """Run every `PERIODIC` subscription whose interval has passed since its last sync
        (or that never ran); the syncs' ids and statuses."""
        moment = now or datetime.now(timezone.utc)
        ran = []
        for subscription in self.store.list(SubscriptionRecord):
            schedule = subscription.reverse_etl_schedule or {}
            if schedule.get("strategy") != "PERIODIC" or subscription.model_id is None:
                continue
            interval = _interval(str((schedule.get("config") or {}).get("interval", "")))
            model = self.store.get(ModelRecord, subscription.model_id)
            if interval is None or model is None or not subscription.enabled:
                continue
            last = [
                s
                for s in self.store.list(SyncRecord, subscription.workspace_id, model.id)
                if s.subscription_id == subscription.id
            ]
            started = max((_parse(s.started_at) for s in last), default=None)
            if started is not None and moment - started < interval:
                continue
            sync = SyncRecord(
                id=f"sched-{subscription.id}-{int(moment.timestamp())}",
                workspace_id=subscription.workspace_id,
                model_id=model.id,
                source_id=model.source_id,
                subscription_id=subscription.id,
                started_at=_now(),
            )
            with self.store.lock:
                self.store.put(sync)
            done = self.run_sync(sync)
            ran.append({"syncId": done.id, "modelId": model.id, "syncStatus": done.status})
        return ran


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _interval(text: str) -> timedelta | None:
    """``15m``, ``1d``, ``3h25m30s``, milliseconds: Segment's PERIODIC interval."""
    seconds = interval_seconds(text)
    return timedelta(seconds=seconds) if seconds else None
