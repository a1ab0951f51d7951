"""The Profile API (a separate Segment host, served here under `/profile-api`).

Routes under `/v1/spaces/{space}/collections/{users|accounts}/profiles/{id_type:value}/`:
`external_ids` (include types, limit 1-100), `metadata`; `traits`, `events` and `links` are
served by `backend_profile_api`. A profile is addressed by one of its external ids
(`user_id:42`, `email:a@b.c`) or by its Segment id (`use_...`). Authentication is Basic with a
space's Profile API token as username; a token of another space is refused like an unknown one
(401). Not emulated: the 100 requests/second limit.
"""

from __future__ import annotations

from .backend_core import BackendCore
from .catalog import JsonObject
from .errors import ProfileApiError, profile_not_found, profile_unauthorized
from .ids import digest
from .records import ProfileRecord, SpaceRecord


def cursor(url: str, limit: int, has_more: bool, next_value: str) -> JsonObject:
    return {"url": url, "has_more": has_more, "next": next_value, "limit": limit}


def check_limit(limit: int, maximum: int) -> None:
    if not 1 <= limit <= maximum:
        raise ProfileApiError(400, "validation_error", f"limit must be between 1 and {maximum}")


class ProfilesMixin(BackendCore):
    def profile_space(self, space_id: str, token: str | None) -> SpaceRecord:
        space = self.store.get(SpaceRecord, space_id)
        if token is None or space is None or digest(token) not in space.profile_token_digests:
            raise profile_unauthorized()
        return space

    def find_profile(self, space: SpaceRecord, collection: str, identifier: str) -> ProfileRecord:
        id_type, _, value = identifier.partition(":")
        for profile in self.store.list(ProfileRecord, space.workspace_id, space.id):
            if profile.collection != collection:
                continue
            if not value and profile.segment_id == identifier:
                return profile
            if value and any(
                ext["type"] == id_type and ext["id"] == value for ext in profile.external_ids
            ):
                return profile
        raise profile_not_found(f"Profile {identifier} not found")

    def profile_external_ids(
        self,
        space: SpaceRecord,
        profile: ProfileRecord,
        url: str,
        limit: int,
        offset: int,
        include: list[str] | None = None,
    ) -> JsonObject:
        check_limit(limit, 100)
        # Seeded ids carry no provenance: the space's own source and the profile's creation.
        rows = [
            {
                "source_id": ext.get("source_id", space.source_id),
                "collection": profile.collection,
                "id": ext["id"],
                "type": ext["type"],
                "created_at": ext.get("created_at", profile.created_at),
                "encoding": "none",
                "first_message_id": ext.get("first_message_id", f"seed-{profile.segment_id}"),
            }
            for ext in profile.external_ids
            if not include or ext["type"] in include
        ]
        page, more = rows[offset : offset + limit], len(rows) > offset + limit
        return {
            "data": page,
            "cursor": cursor(url, limit, more, str(offset + limit) if more else ""),
        }

    def profile_metadata(self, space: SpaceRecord, profile: ProfileRecord) -> JsonObject:
        message_id = f"seed-{profile.segment_id}"
        return {
            "metadata": {
                "created_at": profile.created_at,
                "updated_at": profile.updated_at,
                "expires_at": None,
                "first_message_id": message_id,
                "first_source_id": space.source_id,
                "last_message_id": message_id,
                "last_source_id": space.source_id,
            }
        }
