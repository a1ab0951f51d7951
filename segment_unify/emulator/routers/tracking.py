"""Segment's HTTP Tracking API: `/v1/track|identify|page|screen|group|alias|batch`.

Segment serves it on its own host (api.segment.io); here it shares the emulator's root, so a
tracking library's `host` is the emulator's URL. Answers are Segment's: 200
`{"success": true}` for every request it takes (unknown write keys and messages it will not
accept included: they are dropped afterwards), 400 `{"success": false, "code", "message"}`
for a body over the size limits, one that is not JSON, or one without a write key. The body
is parsed and the messages stored in a worker thread, since a batch can be half a megabyte.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..deps import BackendDep
from ..tracking_messages import MESSAGE_TYPES, TrackingRequestError, parse_request

router = APIRouter()

SUCCESS = {"success": True}


async def _take(path_type: str, request: Request, backend: BackendDep) -> Any:
    raw = await request.body()
    headers = request.headers

    def handle() -> None:
        parsed = parse_request(
            path_type,
            raw,
            headers.get("content-encoding", ""),
            headers.get("authorization", ""),
        )
        backend.ingest(parsed)

    try:
        await run_in_threadpool(handle)
    except TrackingRequestError as error:
        return JSONResponse(error.body(), status_code=400)
    return SUCCESS


def _route(path_type: str) -> None:
    async def endpoint(request: Request, backend: BackendDep) -> Any:
        return await _take(path_type, request, backend)

    endpoint.__name__ = f"tracking_{path_type}"
    router.add_api_route(f"/v1/{path_type}", endpoint, methods=["POST"], name=endpoint.__name__)


for _type in (*MESSAGE_TYPES, "batch"):
    _route(_type)
