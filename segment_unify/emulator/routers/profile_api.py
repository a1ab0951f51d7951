"""The Profile API, mounted under `/profile-api` (Segment serves it on its own host).

Paths after the prefix are Segment's: `/v1/spaces/{space}/collections/{collection}/profiles/
{identifier}/traits|external_ids|events|metadata|links`. Basic auth: the token is the username.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ..backend_profile_api import EventFilter
from ..deps import BackendDep
from ..errors import PROFILE_API_PREFIX, ProfileApiError
from ..records import ProfileRecord, SpaceRecord

router = APIRouter()

_PROFILE = "/v1/spaces/{space_id}/collections/{collection}/profiles/{identifier}"


def basic_token(request: Request) -> str | None:
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _, _ = decoded.partition(":")
    return username or None


async def _space(request: Request, space_id: str, backend: BackendDep) -> SpaceRecord:
    return backend.profile_space(space_id, basic_token(request))


SpaceDep = Annotated[SpaceRecord, Depends(_space)]


def _collection(collection: str) -> str:
    if collection not in ("users", "accounts"):
        raise ProfileApiError(404, "not_found", f"Unknown collection {collection}")
    return collection


CollectionDep = Annotated[str, Depends(_collection)]


async def _profile(
    space: SpaceDep, collection: CollectionDep, identifier: str, backend: BackendDep
) -> ProfileRecord:
    return backend.find_profile(space, collection, identifier)


ProfileDep = Annotated[ProfileRecord, Depends(_profile)]


def _url(request: Request) -> str:
    return request.url.path.removeprefix(PROFILE_API_PREFIX)


@router.get(_PROFILE + "/traits")
def traits(
    request: Request,
    space: SpaceDep,
    profile: ProfileDep,
    backend: BackendDep,
    include: str | None = None,
    trait_class: Annotated[str | None, Query(alias="class")] = None,
    verbose: bool = False,
    limit: int = 10,
    next: str | None = None,
) -> dict[str, Any]:
    return backend.profile_trait_page(
        space,
        profile,
        _url(request),
        include=_names(include),
        trait_class=trait_class,
        verbose=verbose,
        limit=limit,
        after=next,
    )


@router.get(_PROFILE + "/external_ids")
def external_ids(
    request: Request,
    space: SpaceDep,
    profile: ProfileDep,
    backend: BackendDep,
    include: str | None = None,
    verbose: bool = False,
    limit: Annotated[int, Query()] = 25,
    next: str | None = None,
) -> dict[str, Any]:
    offset = int(next) if next and next.isdigit() else 0
    return backend.profile_external_ids(
        space, profile, _url(request), limit, offset, _names(include)
    )


@router.get(_PROFILE + "/links")
def links(
    space: SpaceDep,
    collection: CollectionDep,
    identifier: str,
    backend: BackendDep,
    limit: Annotated[int, Query()] = 20,
) -> dict[str, Any]:
    return backend.profile_links(space, collection, identifier, limit)


@router.get(_PROFILE + "/metadata")
def metadata(
    space: SpaceDep, profile: ProfileDep, backend: BackendDep, verbose: bool = False
) -> dict[str, Any]:
    answer = backend.profile_metadata(space, profile)
    answer["metadata"].update(backend.message_metadata(space, profile))
    return answer


@router.get(_PROFILE + "/events")
def events(
    request: Request,
    space: SpaceDep,
    profile: ProfileDep,
    backend: BackendDep,
    limit: Annotated[int, Query()] = 10,
    next: str | None = None,
    include: str | None = None,
    exclude: str | None = None,
    start: str | None = None,
    end: str | None = None,
    sort: str = "desc",
) -> dict[str, Any]:
    offset = int(next) if next and next.isdigit() else 0
    return backend.profile_events(
        space,
        profile,
        _url(request),
        limit,
        offset,
        EventFilter(_names(include), _names(exclude), start, end, sort),
    )


def _names(listed: str | None) -> list[str] | None:
    return [name.strip() for name in listed.split(",") if name.strip()] if listed else None
