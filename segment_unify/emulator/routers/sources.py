"""/sources: CRUD and connected destinations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import CreateSourceInput, UpdateSourceInput
from ._envelope import envelope

router = APIRouter()


@router.post("/sources", status_code=201, operation_id="CreateSource")
def create_source(body: CreateSourceInput, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:
    return envelope(backend.create_source(ws, body))


@router.get("/sources", operation_id="ListSources")
def list_sources(ws: WorkspaceDep, backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return envelope(backend.list_sources(ws, page))


@router.get("/sources/{sourceId}", operation_id="GetSource")
def get_source(sourceId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.get_source(ws, sourceId))


@router.patch("/sources/{sourceId}", operation_id="UpdateSource")
def update_source(
    sourceId: str,  # noqa: N803
    body: UpdateSourceInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_source(ws, sourceId, body))


@router.delete("/sources/{sourceId}", operation_id="DeleteSource")
def delete_source(sourceId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.delete_source(ws, sourceId))


@router.get(
    "/sources/{sourceId}/connected-destinations",
    operation_id="ListConnectedDestinationsFromSource",
)
def connected_destinations(
    sourceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
) -> dict[str, Any]:
    return envelope(backend.list_connected_destinations(ws, sourceId, page))
