"""Destination subscriptions (Actions mappings), Reverse ETL models and manual syncs.

Rules emulated: `actionId` must be an action of the destination's catalog entry (422), and
`actionSlug` is filled from it; the create body has no schedule, which is set by PATCH
`input.reverseETLSchedule` (validated per strategy, only on a subscription with a model);
`modelId`/`reverseETLModelId` must name a model of the destination's source; a model's source
must be a Reverse ETL source; a manual sync needs a subscription of that model. Running a sync
is `backend_reverse_etl.py`'s. Not emulated: validation of mapping fields and trigger
syntax (only non-empty), sync history listing and cancelling.
"""

from __future__ import annotations

from datetime import datetime

from .backend_core import SUCCESS, BackendCore
from .catalog import JsonObject
from .errors import NotFound, ValidationFailure
from .ids import new_id, now_iso
from .inputs import (
    CreateModelInput,
    CreateSubscriptionInput,
    ManualSyncInput,
    UpdateModelInput,
    UpdateSubscriptionInput,
)
from .pagination import PageRequest
from .records import (
    DestinationRecord,
    ModelRecord,
    SourceRecord,
    SubscriptionRecord,
    SyncRecord,
    WorkspaceRecord,
)
from .schedules import validate_schedule


def _require_text(value: str | None, field: str) -> None:
    if value is not None and not value.strip():
        raise ValidationFailure(f'"{field}" is not allowed to be empty', field=field)


class ActivationsMixin(BackendCore):
    # -- subscriptions ------------------------------------------------------------------
    def render_subscription(self, subscription: SubscriptionRecord) -> JsonObject:
        rendered: JsonObject = {
            "id": subscription.id,
            "name": subscription.name,
            "actionId": subscription.action_id,
            "actionSlug": subscription.action_slug,
            "destinationId": subscription.destination_id,
            "enabled": subscription.enabled,
            "settings": dict(subscription.settings),
            "trigger": subscription.trigger,
        }
        if subscription.model_id is not None:
            rendered["modelId"] = subscription.model_id
        if subscription.reverse_etl_schedule is not None:
            rendered["reverseETLSchedule"] = dict(subscription.reverse_etl_schedule)
        return rendered

    def _model_for(
        self, workspace: WorkspaceRecord, destination: DestinationRecord, model_id: str, field: str
    ) -> ModelRecord:
        model = self.referenced(ModelRecord, workspace, model_id, field)
        if model.source_id != destination.source_id:
            raise ValidationFailure(
                f'"{field}" names a model of another source than the destination\'s', field=field
            )
        return model

    def _subscription(
        self, workspace: WorkspaceRecord, destination_id: str, subscription_id: str
    ) -> tuple[DestinationRecord, SubscriptionRecord]:
        destination = self.owned(DestinationRecord, workspace, destination_id)
        subscription = self.owned(SubscriptionRecord, workspace, subscription_id)
        if subscription.destination_id != destination.id:
            raise NotFound()
        return destination, subscription

    def create_subscription(
        self, workspace: WorkspaceRecord, destination_id: str, body: CreateSubscriptionInput
    ) -> JsonObject:
        with self.store.lock:
            destination = self.owned(DestinationRecord, workspace, destination_id)
            action = self.catalog.action(destination.metadata_id, body.action_id)
            if action is None:
                raise ValidationFailure(
                    '"actionId" is not an action of this destination', field="actionId"
                )
            _require_text(body.name, "name")
            _require_text(body.trigger, "trigger")
            if body.model_id is not None:
                self._model_for(workspace, destination, body.model_id, "modelId")
            subscription = SubscriptionRecord(
                id=new_id(),
                workspace_id=workspace.id,
                destination_id=destination.id,
                name=body.name,
                action_id=body.action_id,
                action_slug=str(action["slug"]),
                enabled=body.enabled,
                settings=dict(body.settings or {}),
                trigger=body.trigger,
                model_id=body.model_id,
            )
            self.store.put(subscription)
        return {"destinationSubscription": self.render_subscription(subscription)}

    def list_subscriptions(
        self, workspace: WorkspaceRecord, destination_id: str, page: PageRequest
    ) -> JsonObject:
        destination = self.owned(DestinationRecord, workspace, destination_id)
        rendered = [
            self.render_subscription(s)
            for s in self.store.list(SubscriptionRecord, workspace.id, destination.id)
        ]
        return page.listing("subscriptions", rendered)

    def get_subscription(
        self, workspace: WorkspaceRecord, destination_id: str, subscription_id: str
    ) -> JsonObject:
        _, subscription = self._subscription(workspace, destination_id, subscription_id)
        return {"subscription": self.render_subscription(subscription)}

    def update_subscription(
        self,
        workspace: WorkspaceRecord,
        destination_id: str,
        subscription_id: str,
        body: UpdateSubscriptionInput,
    ) -> JsonObject:
        fields = body.input
        with self.store.lock:
            destination, subscription = self._subscription(
                workspace, destination_id, subscription_id
            )
            _require_text(fields.name, "input.name")
            _require_text(fields.trigger, "input.trigger")
            if fields.reverse_etl_model_id is not None:
                field = "input.reverseETLModelId"
                self._model_for(workspace, destination, fields.reverse_etl_model_id, field)
                subscription.model_id = fields.reverse_etl_model_id
            if fields.reverse_etl_schedule is not None:
                field = "input.reverseETLSchedule"
                if subscription.model_id is None:
                    raise ValidationFailure(
                        f'"{field}" is only allowed on a Reverse ETL subscription', field=field
                    )
                subscription.reverse_etl_schedule = validate_schedule(
                    fields.reverse_etl_schedule, field
                )
            if fields.name is not None:
                subscription.name = fields.name
            if fields.trigger is not None:
                subscription.trigger = fields.trigger
            if fields.enabled is not None:
                subscription.enabled = fields.enabled
            if fields.settings is not None:
                subscription.settings = dict(fields.settings)
            self.store.put(subscription)
        return {"subscription": self.render_subscription(subscription)}

    def delete_subscription(
        self, workspace: WorkspaceRecord, destination_id: str, subscription_id: str
    ) -> JsonObject:
        with self.store.lock:
            _, subscription = self._subscription(workspace, destination_id, subscription_id)
            self.store.delete(SubscriptionRecord, subscription.id)
        return dict(SUCCESS)

    # -- Reverse ETL models -------------------------------------------------------------
    @staticmethod
    def render_model(model: ModelRecord) -> JsonObject:
        return {
            "id": model.id,
            "sourceId": model.source_id,
            "name": model.name,
            "description": model.description,
            "enabled": model.enabled,
            "query": model.query,
            "queryIdentifierColumn": model.query_identifier_column,
        }

    def create_model(self, workspace: WorkspaceRecord, body: CreateModelInput) -> JsonObject:
        with self.store.lock:
            source = self.referenced(SourceRecord, workspace, body.source_id, "sourceId")
            if self.catalog.source_kind(source.metadata_id) != "retl":
                raise ValidationFailure('"sourceId" must be a Reverse ETL source', field="sourceId")
            for field, value in (("name", body.name), ("query", body.query)):
                _require_text(value, field)
            _require_text(body.query_identifier_column, "queryIdentifierColumn")
            model = ModelRecord(
                id=new_id(),
                workspace_id=workspace.id,
                source_id=source.id,
                name=body.name,
                description=body.description,
                enabled=body.enabled,
                query=body.query,
                query_identifier_column=body.query_identifier_column,
            )
            self.store.put(model)
        return {"reverseEtlModel": self.render_model(model)}

    def list_models(self, workspace: WorkspaceRecord, page: PageRequest) -> JsonObject:
        rendered = [self.render_model(m) for m in self.store.list(ModelRecord, workspace.id)]
        return page.listing("models", rendered)

    def get_model(self, workspace: WorkspaceRecord, model_id: str) -> JsonObject:
        return {"reverseEtlModel": self.render_model(self.owned(ModelRecord, workspace, model_id))}

    def update_model(
        self, workspace: WorkspaceRecord, model_id: str, body: UpdateModelInput
    ) -> JsonObject:
        with self.store.lock:
            model = self.owned(ModelRecord, workspace, model_id)
            _require_text(body.name, "name")
            _require_text(body.query, "query")
            _require_text(body.query_identifier_column, "queryIdentifierColumn")
            changes = body.model_dump(exclude_none=True)
            model = model.model_copy(update=changes)
            self.store.put(model)
        return {"reverseEtlModel": self.render_model(model)}

    def delete_model(self, workspace: WorkspaceRecord, model_id: str) -> JsonObject:
        with self.store.lock:
            model = self.owned(ModelRecord, workspace, model_id)
            for sync in self.store.list(SyncRecord, workspace.id, model.id):
                self.store.delete(SyncRecord, sync.id)
            self.store.delete(ModelRecord, model.id)
        return dict(SUCCESS)

    # -- manual syncs -------------------------------------------------------------------
    def create_manual_sync(self, workspace: WorkspaceRecord, body: ManualSyncInput) -> JsonObject:
        with self.store.lock:
            self.referenced(SourceRecord, workspace, body.source_id, "sourceId")
            model = self.referenced(ModelRecord, workspace, body.model_id, "modelId")
            if model.source_id != body.source_id:
                raise ValidationFailure('"modelId" is not a model of this source', field="modelId")
            subscription = self.referenced(
                SubscriptionRecord, workspace, body.subscription_id, "subscriptionId"
            )
            if subscription.model_id != model.id:
                raise ValidationFailure(
                    '"subscriptionId" is not a subscription of this model', field="subscriptionId"
                )
            sync = SyncRecord(
                id=new_id(),
                workspace_id=workspace.id,
                model_id=model.id,
                source_id=model.source_id,
                subscription_id=subscription.id,
                started_at=now_iso(),
            )
            self.store.put(sync)
        return {"reverseETLManualSync": {"startedAt": sync.started_at, "syncId": sync.id}}

    def get_sync_status(
        self, workspace: WorkspaceRecord, model_id: str, sync_id: str
    ) -> JsonObject:
        model = self.owned(ModelRecord, workspace, model_id)
        sync = self.owned(SyncRecord, workspace, sync_id)
        if sync.model_id != model.id:
            raise NotFound()
        return {"reverseETLSyncStatus": _render_sync(sync)}

    def list_sync_statuses(
        self, workspace: WorkspaceRecord, model_id: str, subscription_id: str, page: PageRequest
    ) -> JsonObject:
        """The syncs of one model's mapping, newest first (Segment's sync history)."""
        model = self.owned(ModelRecord, workspace, model_id)
        subscription = self.owned(SubscriptionRecord, workspace, subscription_id)
        if subscription.model_id != model.id:
            raise NotFound()
        syncs = [
            s
            for s in self.store.list(SyncRecord, workspace.id, model.id)
            if s.subscription_id == subscription.id
        ]
        syncs.sort(key=lambda s: s.started_at, reverse=True)
        return page.listing("syncStatuses", [_render_sync(s) for s in syncs])


def _render_sync(sync: SyncRecord) -> JsonObject:
    at, end = sync.started_at, sync.finished_at or sync.started_at
    counts = {key: str(value) for key, value in sync.counts.items()}
    phase = {"errorCode": sync.error_code or "", "startedAt": at, "finishedAt": end}
    status: JsonObject = {
        "syncId": sync.id,
        "modelId": sync.model_id,
        "sourceId": sync.source_id,
        "syncStatus": sync.status,
        "duration": f"{_seconds(at, end)}s",
        "startedAt": at,
        "finishedAt": end,
        "extractPhase": {
            key: counts.get(key, "0")
            for key in ("addedCount", "updatedCount", "deletedCount", "extractCount")
        }
        | phase,
        "loadPhase": {
            key: counts.get(key, "0") for key in ("deliverSuccessCount", "deliverFailureCount")
        }
        | phase,
    }
    if sync.error:
        status["error"] = sync.error
        status["errorCode"] = sync.error_code or ""
    return status


def _seconds(start: str, end: str) -> int:
    began = datetime.fromisoformat(start.replace("Z", "+00:00"))
    ended = datetime.fromisoformat(end.replace("Z", "+00:00"))
    return max(0, round((ended - began).total_seconds()))
