"""/spaces (list, get; no create), events and traits seen, profiles warehouses."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import (
    CreateProfilesWarehouseInput,
    EventPropertiesQuery,
    UpdateProfilesWarehouseInput,
)
from ._envelope import envelope

router = APIRouter()


@router.get("/spaces", operation_id="ListSpaces")
def list_spaces(ws: WorkspaceDep, backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return envelope(backend.list_spaces(ws, page))


@router.get("/spaces/{spaceId}", operation_id="GetSpace")
def get_space(spaceId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.get_space(ws, spaceId))


@router.get("/spaces/{spaceId}/events", operation_id="ListEvents")
def list_events(
    spaceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
    search: str | None = None,
) -> dict[str, Any]:
    return envelope(backend.list_events(ws, spaceId, page, search))


@router.get(
    "/spaces/{spaceId}/events/{eventName}/properties", operation_id="ListPropertiesFromEvent"
)
def list_event_properties(
    spaceId: str,  # noqa: N803
    eventName: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
    sortBy: Literal["name", "lastSeenAt"] = "lastSeenAt",  # noqa: N803
    sortDir: Literal["asc", "desc"] = "desc",  # noqa: N803
    search: str | None = None,
    includeSampleValues: bool = False,  # noqa: N803
    samplesCount: int = Query(default=20, ge=1, le=100),  # noqa: N803
) -> dict[str, Any]:
    query = EventPropertiesQuery(
        sort_by=sortBy,
        sort_dir=sortDir,
        search=search,
        include_sample_values=includeSampleValues,
        samples_count=samplesCount,
    )
    return envelope(backend.list_event_properties(ws, spaceId, eventName, page, query))


@router.get("/spaces/{spaceId}/traits", operation_id="ListTraits")
def list_traits(
    spaceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
    search: str | None = None,
) -> dict[str, Any]:
    return envelope(backend.list_traits(ws, spaceId, page, search))


@router.post(
    "/spaces/{spaceId}/profiles-warehouses", status_code=201, operation_id="CreateProfilesWarehouse"
)
def create_profiles_warehouse(
    spaceId: str,  # noqa: N803
    body: CreateProfilesWarehouseInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.create_profiles_warehouse(ws, spaceId, body))


@router.get("/spaces/{spaceId}/profiles-warehouses", operation_id="ListProfilesWarehouseInSpace")
def list_profiles_warehouses(
    spaceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
) -> dict[str, Any]:
    return envelope(backend.list_profiles_warehouses(ws, spaceId, page))


@router.patch(
    "/spaces/{spaceId}/profiles-warehouses/{warehouseId}",
    operation_id="UpdateProfilesWarehouseForSpaceWarehouse",
)
def update_profiles_warehouse(
    spaceId: str,  # noqa: N803
    warehouseId: str,  # noqa: N803
    body: UpdateProfilesWarehouseInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_profiles_warehouse(ws, spaceId, warehouseId, body))


@router.delete(
    "/spaces/{spaceId}/profiles-warehouses/{warehouseId}",
    operation_id="RemoveProfilesWarehouseFromSpace",
)
def delete_profiles_warehouse(
    spaceId: str,  # noqa: N803
    warehouseId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.delete_profiles_warehouse(ws, spaceId, warehouseId))
