"""The control plane's view of events in (`/__emulator/`, no token; local testing only).

- `PUT|DELETE /spaces/{spaceId}/sources/{sourceId}`: connect a source to a space, or not
  (Segment's app does this: Unify > Settings > Connections; its API has no route for it)
- `GET /spaces/{spaceId}/sources`: the sources connected to a space
- `GET /spaces/{spaceId}/profiles[?events=true]`, `GET /spaces/{spaceId}/merges`: the identity
  graph (the Profile explorer: identifiers and traits, computed ones included; with
  `events=true` each profile's messages too, which `segment_unify.preview` evaluates)
- `GET /sources/{sourceId}/messages`: what a source accepted, enriched as Segment stores it
- `GET|DELETE /tracking/dropped`: messages answered 200 and then dropped, and why (unknown
  write key, no userId or anonymousId, a track without event), as Segment's debugger shows
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from ..backend import Backend
from ..context import context_of

router = APIRouter(prefix="/__emulator")


def _backend(request: Request) -> Backend:
    return context_of(request).backend


@router.put("/spaces/{space_id}/sources/{source_id}")
def connect(space_id: str, source_id: str, request: Request) -> dict[str, Any]:
    return _backend(request).connect_space_source(space_id, source_id)


@router.delete("/spaces/{space_id}/sources/{source_id}")
def disconnect(space_id: str, source_id: str, request: Request) -> dict[str, Any]:
    return _backend(request).disconnect_space_source(space_id, source_id)


@router.get("/spaces/{space_id}/sources")
def space_sources(space_id: str, request: Request) -> dict[str, Any]:
    return {"sourceIds": _backend(request).space_sources(space_id)}


@router.get("/spaces/{space_id}/profiles")
def profiles(space_id: str, request: Request, events: bool = False) -> dict[str, Any]:
    return {"profiles": _backend(request).space_profiles(space_id, with_events=events)}


@router.get("/spaces/{space_id}/merges")
def merges(space_id: str, request: Request) -> dict[str, Any]:
    return {"merges": _backend(request).space_merges(space_id)}


@router.get("/sources/{source_id}/messages")
def messages(source_id: str, request: Request) -> dict[str, Any]:
    return {"messages": _backend(request).source_messages(source_id)}


@router.get("/tracking/dropped")
def dropped(request: Request) -> dict[str, Any]:
    return {"dropped": list(_backend(request).dropped_messages)}


@router.delete("/tracking/dropped")
def clear_dropped(request: Request) -> dict[str, Any]:
    _backend(request).dropped_messages.clear()
    return {"dropped": []}
