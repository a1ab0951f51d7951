"""GET /catalog/{sources,destinations,warehouses} and their entries by id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep
from ..errors import NotFound
from ._envelope import envelope

router = APIRouter()


def _list(backend: BackendDep, page: PageDep, family: str, key: str) -> dict[str, Any]:
    return envelope(page.listing(key, backend.catalog.entries(family)))


def _get(backend: BackendDep, family: str, metadata_id: str, key: str) -> dict[str, Any]:
    entry = backend.catalog.get(family, metadata_id)
    if entry is None:
        raise NotFound()
    return envelope({key: entry})


@router.get("/catalog/sources", operation_id="GetSourcesCatalog")
def sources_catalog(backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return _list(backend, page, "sources", "sourcesCatalog")


@router.get("/catalog/sources/{sourceMetadataId}", operation_id="GetSourceMetadata")
def source_metadata(backend: BackendDep, sourceMetadataId: str) -> dict[str, Any]:  # noqa: N803
    return _get(backend, "sources", sourceMetadataId, "sourceMetadata")


@router.get("/catalog/destinations", operation_id="GetDestinationsCatalog")
def destinations_catalog(backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return _list(backend, page, "destinations", "destinationsCatalog")


@router.get("/catalog/destinations/{destinationMetadataId}", operation_id="GetDestinationMetadata")
def destination_metadata(backend: BackendDep, destinationMetadataId: str) -> dict[str, Any]:  # noqa: N803
    return _get(backend, "destinations", destinationMetadataId, "destinationMetadata")


@router.get("/catalog/warehouses", operation_id="GetWarehousesCatalog")
def warehouses_catalog(backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return _list(backend, page, "warehouses", "warehousesCatalog")


@router.get("/catalog/warehouses/{warehouseMetadataId}", operation_id="GetWarehouseMetadata")
def warehouse_metadata(backend: BackendDep, warehouseMetadataId: str) -> dict[str, Any]:  # noqa: N803
    return _get(backend, "warehouses", warehouseMetadataId, "warehouseMetadata")
