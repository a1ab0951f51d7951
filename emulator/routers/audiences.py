"""/spaces/{spaceId}/audiences."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import CreateAudienceInput, UpdateAudienceInput
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
