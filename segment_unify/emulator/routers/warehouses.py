"""/warehouses: CRUD, settings validation, and source connections."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import CreateWarehouseInput, UpdateWarehouseInput, WarehouseValidationInput
from ._envelope import envelope

router = APIRouter()


@router.post("/warehouses", status_code=201, operation_id="CreateWarehouse")
def create_warehouse(
    body: CreateWarehouseInput, ws: WorkspaceDep, backend: BackendDep
) -> dict[str, Any]:
    return envelope(backend.create_warehouse(ws, body))


@router.post("/warehouses/validation", operation_id="CreateValidationInWarehouse")
def validate_warehouse(
    body: WarehouseValidationInput, ws: WorkspaceDep, backend: BackendDep
) -> dict[str, Any]:
    return envelope(backend.validate_warehouse(ws, body))


@router.get("/warehouses", operation_id="ListWarehouses")
def list_warehouses(ws: WorkspaceDep, backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return envelope(backend.list_warehouses(ws, page))


@router.get("/warehouses/{warehouseId}", operation_id="GetWarehouse")
def get_warehouse(warehouseId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.get_warehouse(ws, warehouseId))


@router.patch("/warehouses/{warehouseId}", operation_id="UpdateWarehouse")
def update_warehouse(
    warehouseId: str,  # noqa: N803
    body: UpdateWarehouseInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_warehouse(ws, warehouseId, body))


@router.delete("/warehouses/{warehouseId}", operation_id="DeleteWarehouse")
def delete_warehouse(warehouseId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.delete_warehouse(ws, warehouseId))


@router.get(
    "/warehouses/{warehouseId}/connected-sources", operation_id="ListConnectedSourcesFromWarehouse"
)
def connected_sources(
    warehouseId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
) -> dict[str, Any]:
    return envelope(backend.list_connected_sources(ws, warehouseId, page))


@router.post(
    "/warehouses/{warehouseId}/connected-sources/{sourceId}",
    status_code=201,
    operation_id="AddConnectionFromSourceToWarehouse",
)
def add_connection(
    warehouseId: str,  # noqa: N803
    sourceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.add_connection(ws, warehouseId, sourceId))


@router.delete(
    "/warehouses/{warehouseId}/connected-sources/{sourceId}",
    operation_id="RemoveSourceConnectionFromWarehouse",
)
def remove_connection(
    warehouseId: str,  # noqa: N803
    sourceId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.remove_connection(ws, warehouseId, sourceId))
