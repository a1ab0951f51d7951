"""/spaces/{spaceId}/audiences, and their previews."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import CreateAudienceInput, CreateAudiencePreviewInput, UpdateAudienceInput
from ._envelope import envelope

router = APIRouter()


@router.post("/spaces/{spaceId}/audiences", operation_id="CreateAudience")
def create_audience(
    spaceId: str,  # noqa: N803
    body: CreateAudienceInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.create_audience(ws, spaceId, body))


@router.get("/spaces/{spaceId}/audiences", operation_id="ListAudiences")
def list_audiences(
    spaceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
    search: str | None = None,
) -> dict[str, Any]:
    return envelope(backend.list_audiences(ws, spaceId, page, search))


@router.get("/spaces/{spaceId}/audiences/{id}", operation_id="GetAudience")
def get_audience(
    spaceId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.get_audience(ws, spaceId, id))


@router.patch("/spaces/{spaceId}/audiences/{id}", operation_id="UpdateAudienceForSpace")
def update_audience(
    spaceId: str,  # noqa: N803
    id: str,
    body: UpdateAudienceInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_audience(ws, spaceId, id, body))


@router.delete("/spaces/{spaceId}/audiences/{id}", operation_id="RemoveAudienceFromSpace")
def delete_audience(
    spaceId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.delete_audience(ws, spaceId, id))


@router.post("/spaces/{spaceId}/audiences/previews", operation_id="CreateAudiencePreview")
def create_audience_preview(
    spaceId: str,  # noqa: N803
    body: CreateAudiencePreviewInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.create_audience_preview(ws, spaceId, body))


@router.get("/spaces/{spaceId}/audiences/previews/{id}", operation_id="GetAudiencePreview")
def get_audience_preview(
    spaceId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.get_audience_preview(ws, spaceId, id))
