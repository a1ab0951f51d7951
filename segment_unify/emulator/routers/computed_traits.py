"""/spaces/{spaceId}/computed-traits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import CreateComputedTraitInput, UpdateComputedTraitInput
from ._envelope import envelope

router = APIRouter()


@router.post("/spaces/{spaceId}/computed-traits", operation_id="CreateComputedTrait")
def create_computed_trait(
    spaceId: str,  # noqa: N803
    body: CreateComputedTraitInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.create_computed_trait(ws, spaceId, body))


@router.get("/spaces/{spaceId}/computed-traits", operation_id="ListComputedTraits")
def list_computed_traits(
    spaceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
) -> dict[str, Any]:
    return envelope(backend.list_computed_traits(ws, spaceId, page))


@router.get("/spaces/{spaceId}/computed-traits/{id}", operation_id="GetComputedTrait")
def get_computed_trait(
    spaceId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.get_computed_trait(ws, spaceId, id))


@router.patch("/spaces/{spaceId}/computed-traits/{id}", operation_id="UpdateComputedTraitForSpace")
def update_computed_trait(
    spaceId: str,  # noqa: N803
    id: str,
    body: UpdateComputedTraitInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_computed_trait(ws, spaceId, id, body))


@router.delete(
    "/spaces/{spaceId}/computed-traits/{id}", operation_id="RemoveComputedTraitFromSpace"
)
def delete_computed_trait(
    spaceId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.delete_computed_trait(ws, spaceId, id))
