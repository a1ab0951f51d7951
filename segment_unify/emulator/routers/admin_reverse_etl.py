"""The control plane's Reverse ETL steps that Segment's Public API has no operation for
(`/__emulator/`, no token; local testing only).

- `POST /reverse-etl-models/{modelId}/preview`: the app's "Preview 10 records": the model's
  query run against its source's warehouse, at most 10 rows (`{columns, rows}`); a query the
  database refuses, or whose results lack the identifier column, is a 422 with the database's
  message.
- `POST /reverse-etl/run-due[?at=<ISO time>]`: run the syncs whose `PERIODIC` schedule is due
  (at `at`, default now); `segment-emulator serve` does this every minute of emulated time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request

from ..backend import Backend
from ..context import context_of
from ..errors import ValidationFailure

router = APIRouter(prefix="/__emulator")


def _backend(request: Request) -> Backend:
    return context_of(request).backend


@router.post("/reverse-etl-models/{model_id}/preview")
def preview(model_id: str, request: Request) -> dict[str, Any]:
    return _backend(request).preview_model(model_id)


@router.post("/reverse-etl/run-due")
def run_due(request: Request, at: str | None = None) -> dict[str, Any]:
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00")) if at else None
    except ValueError:
        raise ValidationFailure('"at" must be an ISO 8601 time', field="at") from None
    return {"syncs": _backend(request).run_due_syncs(moment)}
