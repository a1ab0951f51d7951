"""The control plane under `/__emulator/` (a local admin API; no Segment token).

- `POST /seed` (a seed document) -> the workspaces applied
- `POST /reset` (`?reseed=false` to leave the store empty; by default the startup seed is
  applied again); also clears rate-limit windows
- `GET|PUT|DELETE /faults` (`{"rules": [...], "seed": N}`), `GET /faults/counts`
- `GET|DELETE /requests` (the request log, tokens redacted)
- `GET /state` (every workspace's stored objects, without token digests)
- `GET /workspaces/{slug}/objects/{kind}` (one kind of stored records)
- `GET /health`
Provider code never calls these. Nothing here asks for a token: the emulator is for local
testing only and listens on loopback. `/state`, `/objects` and `/requests` mask secret settings
and body fields (passwords, keys, tokens) unless the request carries the emulator's reveal key
(`REVEAL_HEADER`), which only the in-process test harness is given.
"""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from ..backend import Backend
from ..context import context_of
from ..faults import FaultInjector, FaultRule
from ..masking import redact_secrets
from ..seed import SeedDocument

router = APIRouter(prefix="/__emulator")

REVEAL_HEADER = "x-emulator-reveal"


class FaultConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[FaultRule] = Field(default_factory=list)
    seed: int | None = None


def _backend(request: Request) -> Backend:
    return context_of(request).backend


def _faults(request: Request) -> FaultInjector:
    return context_of(request).faults


def _shown(request: Request, value: Any) -> Any:
    """``value`` as this caller may see it: secrets masked, unless it holds the reveal key."""
    given = request.headers.get(REVEAL_HEADER, "")
    if given and hmac.compare_digest(given, context_of(request).reveal_key):
        return value
    return redact_secrets(value)


@router.get("/health")
def health() -> dict[str, Any]:
    return {"status": "ok"}


@router.post("/seed")
def seed(document: SeedDocument, request: Request) -> dict[str, Any]:
    return {"workspaces": _backend(request).apply_seed(document)}


@router.post("/reset")
def reset(request: Request, reseed: bool = True) -> dict[str, Any]:
    _backend(request).reset(reseed=reseed)
    context_of(request).limiter.reset()
    return {"status": "reset"}


@router.get("/faults")
def get_faults(request: Request) -> dict[str, Any]:
    return _faults(request).snapshot()


@router.put("/faults")
def set_faults(config: FaultConfig, request: Request) -> dict[str, Any]:
    _faults(request).configure(config.rules, config.seed)
    return _faults(request).snapshot()


@router.delete("/faults")
def clear_faults(request: Request) -> dict[str, Any]:
    _faults(request).configure([])
    return _faults(request).snapshot()


@router.get("/faults/counts")
def fault_counts(request: Request) -> dict[str, Any]:
    return {"counts": _faults(request).snapshot()["counts"]}


@router.get("/requests")
def requests(request: Request) -> dict[str, Any]:
    return {"requests": _shown(request, context_of(request).request_log.entries())}


@router.delete("/requests")
def clear_requests(request: Request) -> dict[str, Any]:
    context_of(request).request_log.clear()
    return {"requests": []}


@router.get("/state")
def state(request: Request) -> dict[str, Any]:
    dumped: dict[str, Any] = _shown(request, _backend(request).dump())
    return dumped


@router.get("/workspaces/{slug}/objects/{kind}")
def objects(slug: str, kind: str, request: Request) -> dict[str, Any]:
    return {"objects": _shown(request, _backend(request).objects(slug, kind))}
