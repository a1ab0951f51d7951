"""/reverse-etl-models, their sync status, and /reverse-etl-syncs (manual syncs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import CreateModelInput, ManualSyncInput, UpdateModelInput
from ..pagination import PageRequest, decode_cursor
from ._envelope import envelope

router = APIRouter()


@router.post("/reverse-etl-models", status_code=201, operation_id="CreateReverseEtlModel")
def create_model(body: CreateModelInput, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:
    return envelope(backend.create_model(ws, body))


@router.get("/reverse-etl-models", operation_id="ListReverseEtlModels")
def list_models(ws: WorkspaceDep, backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return envelope(backend.list_models(ws, page))


@router.get("/reverse-etl-models/{modelId}", operation_id="GetReverseEtlModel")
def get_model(modelId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.get_model(ws, modelId))


@router.patch("/reverse-etl-models/{modelId}", operation_id="UpdateReverseEtlModel")
def update_model(
    modelId: str,  # noqa: N803
    body: UpdateModelInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_model(ws, modelId, body))


@router.delete("/reverse-etl-models/{modelId}", operation_id="DeleteReverseEtlModel")
def delete_model(modelId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.delete_model(ws, modelId))


@router.get("/reverse-etl-models/{modelId}/syncs/{syncId}", operation_id="GetReverseETLSyncStatus")
def sync_status(
    modelId: str,  # noqa: N803
    syncId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.get_sync_status(ws, modelId, syncId))


@router.post("/reverse-etl-syncs", operation_id="CreateReverseETLManualSync")
def manual_sync(body: ManualSyncInput, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:
    return envelope(backend.create_manual_sync(ws, body))


@router.get(
    "/reverse-etl-models/{modelId}/subscriptionId/{subscriptionId}/syncs",
    operation_id="ListReverseETLSyncStatusesFromModelAndSubscriptionId",
)
def list_sync_statuses(
    modelId: str,  # noqa: N803
    subscriptionId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    count: int = Query(default=10, ge=1, le=100),
    cursor: str | None = None,
) -> dict[str, Any]:
    # This operation pages by plain `count` and `cursor`, not `pagination.*` (SDK 73.2.0).
    page = PageRequest(offset=decode_cursor(cursor) if cursor else 0, count=count)
    return envelope(backend.list_sync_statuses(ws, modelId, subscriptionId, page))
