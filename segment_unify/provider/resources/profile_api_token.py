"""``ProfileApiToken``: a Unify space's Profile API access token, adopted and verified.

Segment has no public endpoint for these tokens: a person generates one in Segment under Unify >
Unify settings > API access, and gives it to the program as a secret. Create checks the space
exists (``GET /spaces/{id}``) and that the Profile API accepts the token for it: the traits of a
profile id that cannot exist are asked for, and ``404 not_found`` proves the token valid for the
space while ``401`` proves it is not. Read verifies again, and a token that stopped working is
gone (refresh drops it; the next ``up`` fails asking for a new one). Rotating the token is an
update; delete only drops it from the stack (Segment cannot revoke it through an API).

The token is never in the Pulumi id, in any message or log line, or in a check failure. The id
is ``<spaceId>/profile-api-token``: nothing derived from the token, not even a hash prefix, which
would let anyone who sees the id test a guessed token. So it stays the same when the token is
rotated. Reads also take a bare ``<spaceId>`` and the ``<spaceId>/token-<hex>`` ids of earlier
versions. Segment never shows a token again, so an import (a read from the id alone) yields the
space but no token; the next ``up`` verifies and stores the program's.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, overload

import pulumi

from segment_unify.provider import runtime
from segment_unify.provider.errors import (
    NotFoundError,
    SegmentError,
    SegmentResourceError,
    UnauthorizedError,
)
from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._declare import Args, Prop, arg
from segment_unify.provider.resources._naming import join_id, split_id
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

UI_STEP = (
    "Generate one in Segment under Unify > Unify settings > API access (Generate token), give it "
    "to the program as a secret (e.g. `pulumi config set --secret profileApiToken <token>`), "
    "then run `pulumi up` again."
)


class ProfileApiTokenArgs(Args):
    """Arguments of a ``ProfileApiToken``."""

    space_id: Prop[str] = fields.space_id(default=..., segment=None)
    """The Unify space (``UnifySpace.space_id``) of the token; moving it replaces it."""
    token: Prop[str] = arg(secret=True, write_only=True, min_length=1)
    """The access token made in Segment's app; pass it as a secret (it stays one, and Segment never
    shows it again)."""


ID_SUFFIX = "profile-api-token"
# Ids of earlier versions ended in ``token-`` and a hash prefix; reads still take them.
LEGACY_ID_PREFIX = "token-"


def token_id(space_id: str) -> str:
    """The Pulumi id: the space's, and nothing of the token."""
    return join_id(space_id, ID_SUFFIX)


def space_of(id_: str) -> str:
    """The space id in a token's Pulumi id (``<spaceId>[/profile-api-token]``)."""
    parts = id_.split("/")
    if len(parts) == 1 and parts[0]:
        return parts[0]
    space_id, suffix = split_id(id_, ("spaceId", ID_SUFFIX))
    if suffix != ID_SUFFIX and not suffix.startswith(LEGACY_ID_PREFIX):
        raise SegmentResourceError(
            f"expected an id of the form <spaceId>/{ID_SUFFIX} or <spaceId>, got {id_!r}"
        )
    return space_id


def token_works(space_id: str, token: str) -> bool:
    """Whether the Profile API accepts ``token`` for the space (raises on other failures)."""
    probe = f"user_id:pulumi-token-check-{uuid.uuid4().hex}"
    try:
        runtime.current().profile_client(token).traits(space_id, probe, limit=1)
    except NotFoundError:
        return True
    except UnauthorizedError:
        return False
    return True


def _probe(space_id: str, token: str) -> bool | SegmentError:
    """``token_works``, with a failure to ask returned rather than raised."""
    try:
        return token_works(space_id, token)
    except SegmentError as exc:
        return exc


def verify(client: SegmentClient, space_id: str, token: str) -> None:
    """Fail, naming the UI step, unless the space exists and the token works for it.

    The space and the token are asked about at once (two APIs, neither needs the other's
    answer); a missing space is reported first, as it explains a refused token too.
    """
    try:
        _, works = concurrently(
            lambda: client.get("GetSpace", f"/spaces/{space_id}"),
            lambda: _probe(space_id, token),
        )
    except NotFoundError as exc:
        raise SegmentResourceError(
            f"Segment has no Unify space with id {space_id!r} in this workspace, so no Profile "
            "API token can be checked for it; pass the id of an existing space (UnifySpace's "
            "space_id output)."
        ) from exc
    if isinstance(works, SegmentError):
        raise SegmentResourceError(
            f"could not check the Profile API token of space {space_id!r}: {works}"
        ) from works
    if not works:
        raise SegmentResourceError(
            f"Segment's Profile API refused the token given for space {space_id!r} (401: not a "
            f"valid token of this space, or revoked). {UI_STEP}"
        )


class ProfileApiTokenProvider(SegmentProvider[Any]):
    kind = "Profile API token"
    declaration = ProfileApiTokenArgs
    adopted = True

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        verify(client, inputs.space_id, inputs.token)
        return token_id(inputs.space_id), {
            "space_id": inputs.space_id,
            "token": inputs.token,
        }

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        space_id = space_of(id_)
        client.get("GetSpace", f"/spaces/{space_id}")
        token = prior.get("token")
        if not isinstance(token, str) or not token:
            return {"space_id": space_id}
        try:
            works = token_works(space_id, token)
        except SegmentError as exc:
            raise SegmentResourceError(
                f"could not check the Profile API token of space {space_id!r}: {exc}"
            ) from exc
        return {"space_id": space_id, "token": token} if works else None

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        verify(client, inputs.space_id, inputs.token)
        return {"space_id": inputs.space_id, "token": inputs.token}


class ProfileApiToken(
    SegmentResource[ProfileApiTokenArgs],
    ProfileApiTokenArgs,
    module="segment",
    name="ProfileApiToken",
):
    """A space's Profile API token, checked against the Profile API; ``token`` stays secret."""

    _segment_provider = ProfileApiTokenProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: ProfileApiTokenArgs,
            opts: pulumi.ResourceOptions | None = None,
            *,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        @overload
        def __init__(
            self,
            resource_name: str,
            args: None = None,
            opts: pulumi.ResourceOptions | None = None,
            *,
            space_id: pulumi.Input[str],
            token: pulumi.Input[str],
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
