"""/destinations: CRUD and their subscriptions (Actions mappings)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..deps import BackendDep, PageDep, WorkspaceDep
from ..inputs import (
    CreateDestinationInput,
    CreateSubscriptionInput,
    UpdateDestinationInput,
    UpdateSubscriptionInput,
)
from ._envelope import envelope

router = APIRouter()


@router.post("/destinations", operation_id="CreateDestination")
def create_destination(
    body: CreateDestinationInput, ws: WorkspaceDep, backend: BackendDep
) -> dict[str, Any]:
    return envelope(backend.create_destination(ws, body))


@router.get("/destinations", operation_id="ListDestinations")
def list_destinations(ws: WorkspaceDep, backend: BackendDep, page: PageDep) -> dict[str, Any]:
    return envelope(backend.list_destinations(ws, page))


@router.get("/destinations/{destinationId}", operation_id="GetDestination")
def get_destination(destinationId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.get_destination(ws, destinationId))


@router.patch("/destinations/{destinationId}", operation_id="UpdateDestination")
def update_destination(
    destinationId: str,  # noqa: N803
    body: UpdateDestinationInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_destination(ws, destinationId, body))


@router.delete("/destinations/{destinationId}", operation_id="DeleteDestination")
def delete_destination(destinationId: str, ws: WorkspaceDep, backend: BackendDep) -> dict[str, Any]:  # noqa: N803
    return envelope(backend.delete_destination(ws, destinationId))


@router.post(
    "/destinations/{destinationId}/subscriptions", operation_id="CreateDestinationSubscription"
)
def create_subscription(
    destinationId: str,  # noqa: N803
    body: CreateSubscriptionInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.create_subscription(ws, destinationId, body))


@router.get(
    "/destinations/{destinationId}/subscriptions",
    operation_id="ListSubscriptionsFromDestination",
)
def list_subscriptions(
    destinationId: str,  # noqa: N803
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
) -> dict[str, Any]:
    return envelope(backend.list_subscriptions(ws, destinationId, page))


@router.get(
    "/destinations/{destinationId}/subscriptions/{id}",
    operation_id="GetSubscriptionFromDestination",
)
def get_subscription(
    destinationId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.get_subscription(ws, destinationId, id))


@router.patch(
    "/destinations/{destinationId}/subscriptions/{id}",
    operation_id="UpdateSubscriptionForDestination",
)
def update_subscription(
    destinationId: str,  # noqa: N803
    id: str,
    body: UpdateSubscriptionInput,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.update_subscription(ws, destinationId, id, body))


@router.delete(
    "/destinations/{destinationId}/subscriptions/{id}",
    operation_id="RemoveSubscriptionFromDestination",
)
def delete_subscription(
    destinationId: str,  # noqa: N803
    id: str,
    ws: WorkspaceDep,
    backend: BackendDep,
) -> dict[str, Any]:
    return envelope(backend.delete_subscription(ws, destinationId, id))
