"""Event volume (`/events/volume`) and Delivery Overview (`/delivery-overview/...`): read-only
metrics computed from what the emulator received and delivered (`backend_metrics.py`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ..backend_metrics import Window
from ..deps import BackendDep, PageDep, WorkspaceDep
from ._envelope import envelope

router = APIRouter()
# A repeated query parameter (`groupBy=a&groupBy=b`): the SDK's "multi" format.
Multi = Annotated[list[str] | None, Query()]


@router.get("/events/volume", operation_id="GetEventsVolumeFromWorkspace")
def events_volume(
    ws: WorkspaceDep,
    backend: BackendDep,
    page: PageDep,
    granularity: str,
    startTime: str,  # noqa: N803
    endTime: str,  # noqa: N803
    groupBy: Multi = None,  # noqa: N803
    sourceId: Multi = None,  # noqa: N803
    eventName: Multi = None,  # noqa: N803
    eventType: Multi = None,  # noqa: N803
) -> dict[str, Any]:
    window = Window(granularity, startTime, endTime)
    filters = {
        "sourceId": sourceId or [],
        "eventName": eventName or [],
        "eventType": eventType or [],
    }
    return envelope(backend.events_volume(ws, window, groupBy or [], filters, page))


def _delivery(stage: str, operation: str) -> None:
    @router.get(f"/delivery-overview/{stage}", operation_id=operation)
    def metrics(
        ws: WorkspaceDep,
        backend: BackendDep,
        page: PageDep,
        sourceId: str,  # noqa: N803
        destinationConfigId: str,  # noqa: N803
        granularity: str,
        startTime: str,  # noqa: N803
        endTime: str,  # noqa: N803
        groupBy: Multi = None,  # noqa: N803
    ) -> dict[str, Any]:
        window = Window(granularity, startTime, endTime)
        return envelope(
            backend.delivery_overview(
                ws, stage, sourceId, destinationConfigId, window, groupBy or [], page
            )
        )


_delivery("successful-delivery", "GetEgressSuccessMetricsFromDeliveryOverview")
_delivery("failed-delivery", "GetEgressFailedMetricsFromDeliveryOverview")
_delivery("filtered-at-destination", "GetFilteredAtDestinationMetricsFromDeliveryOverview")
