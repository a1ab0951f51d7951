"""GET / (the token's workspace) and GET /echo."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..deps import WorkspaceDep
from ..errors import SegmentError
from ._envelope import envelope

router = APIRouter()


@router.get("/", operation_id="GetWorkspace")
def get_workspace(workspace: WorkspaceDep) -> dict[str, Any]:
    return envelope(
        {"workspace": {"id": workspace.id, "slug": workspace.slug, "name": workspace.name}}
    )


@router.get("/echo", operation_id="Echo", response_model=None)
def echo(
    request: Request,
    workspace: WorkspaceDep,
    message: str = "",
    triggerError: bool = False,  # noqa: N803 - Segment's query parameter names
    statusCode: int | None = None,  # noqa: N803
) -> dict[str, Any] | JSONResponse:
    if triggerError:
        raise SegmentError(message or "Echo error")
    headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
    data = envelope({"method": request.method.lower(), "message": message, "headers": headers})
    if statusCode is not None and statusCode != 200:
        return JSONResponse(data, status_code=statusCode)
    return data
