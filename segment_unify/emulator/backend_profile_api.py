"""The Profile API's reads that need computed values and message history: `traits` with its
`class` filter and `verbose` form, `events` (`include`/`exclude`, `start`/`end`, `sort`,
paging), and `links` (a user's accounts, an account's users).

Segment documents (Profile API reference): `class=audience|computed_trait` returns only those
traits; `verbose=true` gives each trait as `{value, source_id, updated_at}`; `links` lists
`{to_collection, external_ids}` per linked profile, at most 20. Here an account is known by the
`groupId` of its users' group calls (the accounts collection itself is not emulated):
`accounts/profiles/group_id:<id>/links` lists those users. A computed trait's or audience's
verbose `source_id` is the space's `personas-compute` source, its `updated_at` the time of the
read (values are computed when read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from segment_unify.query.evaluation import event_name

from .backend_profiles import ProfilesMixin, check_limit, cursor
from .backend_trait_values import TraitValuesMixin
from .catalog import JsonObject
from .errors import ProfileApiError, profile_not_found
from .identity import identifiers
from .records import AudienceRecord, ComputedTraitRecord, ProfileRecord, SpaceRecord

TRAIT_CLASSES: dict[str, type[AudienceRecord] | type[ComputedTraitRecord]] = {
    "audience": AudienceRecord,
    "computed_trait": ComputedTraitRecord,
}
MAX_LINKS = 20


class ProfileApiMixin(TraitValuesMixin, ProfilesMixin):
    def profile_trait_page(
        self,
        space: SpaceRecord,
        profile: ProfileRecord,
        url: str,
        *,
        include: list[str] | None,
        trait_class: str | None,
        verbose: bool,
        limit: int,
        after: str | None,
    ) -> JsonObject:
        check_limit(limit, 200)
        if trait_class is not None and trait_class not in TRAIT_CLASSES:
            raise ProfileApiError(
                400,
                "validation_error",
                f"The parameter `class` must be one of {', '.join(sorted(TRAIT_CLASSES))}",
            )
        computed = self.computed_values(space, profile)
        values = profile.traits | computed
        keys = sorted(values)
        if trait_class is not None:
            own = self._keys_of(TRAIT_CLASSES[trait_class], space)
            keys = [key for key in keys if key in own and key in computed]
        if include:
            keys = [key for key in keys if key in include]
        if after:
            keys = [key for key in keys if key > after]
        page, more = keys[:limit], len(keys) > limit
        traits: JsonObject = {key: values[key] for key in page}
        if verbose:
            origin = self._trait_origins(space, profile)
            now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
            traits = {
                key: {
                    "value": value,
                    "source_id": space.source_id
                    if key in computed
                    else origin.get(key, (space.source_id, profile.updated_at))[0],
                    "updated_at": now
                    if key in computed
                    else origin.get(key, (space.source_id, profile.updated_at))[1],
                }
                for key, value in traits.items()
            }
        return {"traits": traits, "cursor": cursor(url, limit, more, page[-1] if more else "")}

    def _keys_of(
        self, kind: type[AudienceRecord] | type[ComputedTraitRecord], space: SpaceRecord
    ) -> set[str]:
        if kind is AudienceRecord:
            return {a.key for a in self.store.list(AudienceRecord, space.workspace_id, space.id)}
        traits = self.store.list(ComputedTraitRecord, space.workspace_id, space.id)
        return {t.key for t in traits}

    def _trait_origins(
        self, space: SpaceRecord, profile: ProfileRecord
    ) -> dict[str, tuple[str, str]]:
        """Trait key -> (source id, time) of the identify that last set it."""
        origins: dict[str, tuple[str, str]] = {}
        messages = sorted(self.profile_messages(space, profile), key=lambda m: m["receivedAt"])
        for message in messages:
            traits = message.get("traits") if message.get("type") == "identify" else None
            for key in traits if isinstance(traits, dict) else ():
                origins[key] = (str(message["source_id"]), str(message["receivedAt"]))
        return origins

    def profile_links(
        self, space: SpaceRecord, collection: str, identifier: str, limit: int
    ) -> JsonObject:
        if not 1 <= limit <= MAX_LINKS:
            raise ProfileApiError(
                400, "validation_error", f"limit must be between 1 and {MAX_LINKS}"
            )
        accounts = self.account_links(space)
        if collection == "users":
            profile = self.find_profile(space, collection, identifier)
            links = [
                {
                    "to_collection": "accounts",
                    "external_ids": [self._link_id(space, link, "accounts")],
                }
                for group_id, users in accounts.items()
                for user, link in users
                if user.segment_id == profile.segment_id
            ]
            return {"data": links[:limit]}
        id_type, _, group_id = identifier.partition(":")
        members = accounts.get(group_id, []) if id_type == "group_id" else []
        if not members:
            raise profile_not_found(f"Profile {identifier} not found")
        links = [
            {
                "to_collection": "users",
                "external_ids": [
                    self._link_id(space, ext, "users")
                    for ext in member.external_ids
                    if ext["type"] != "group_id"
                ],
            }
            for member, _ in members
        ]
        return {"data": links[:limit]}

    def account_links(
        self, space: SpaceRecord
    ) -> dict[str, list[tuple[ProfileRecord, dict[str, Any]]]]:
        """group_id -> the users a group call of theirs linked to it, each with the link
        (`id`, `type`, `source_id`, `created_at`: the first such group call). Segment links users
        to accounts by group calls; the accounts collection itself is not emulated."""
        grouped = self.messages_by_profile(space)
        accounts: dict[str, list[tuple[ProfileRecord, dict[str, Any]]]] = {}
        for profile in self.store.list(ProfileRecord, space.workspace_id, space.id):
            seen: set[str] = set()
            for message in grouped.get(profile.segment_id, []):
                group_id = message.get("groupId")
                if message.get("type") != "group" or not group_id or str(group_id) in seen:
                    continue
                seen.add(str(group_id))
                link = {
                    "id": str(group_id),
                    "type": "group_id",
                    "source_id": message["source_id"],
                    "created_at": message.get("receivedAt", ""),
                }
                accounts.setdefault(str(group_id), []).append((profile, link))
        return accounts

    @staticmethod
    def _link_id(space: SpaceRecord, ext: dict[str, Any], collection: str) -> JsonObject:
        return {
            "id": ext["id"],
            "type": ext["type"],
            "source_id": ext.get("source_id", space.source_id),
            "collection": collection,
            "created_at": ext.get("created_at", ""),
            "encoding": "none",
        }

    def profile_events(
        self,
        space: SpaceRecord,
        profile: ProfileRecord,
        url: str,
        limit: int,
        offset: int,
        wanted: EventFilter,
    ) -> JsonObject:
        """The Profile API's `events` of a profile: newest first unless `sort=asc`, as Segment
        lists them; `start`/`end` bound their timestamps (ISO 8601, exclusive)."""
        check_limit(limit, 100)
        if wanted.sort not in ("asc", "desc"):
            raise ProfileApiError(
                400, "validation_error", "The parameter `sort` must be asc or desc"
            )
        start, end = _bound("start", wanted.start), _bound("end", wanted.end)
        messages = [
            m
            for m in self.profile_messages(space, profile)
            if (not wanted.include or event_name(m) in wanted.include)
            and (not wanted.exclude or event_name(m) not in wanted.exclude)
            and (start is None or _message_time(m) > start)
            and (end is None or _message_time(m) < end)
        ]
        messages.sort(key=_message_time, reverse=wanted.sort == "desc")
        rows = [_profile_event(m) for m in messages]
        page, more = rows[offset : offset + limit], len(rows) > offset + limit
        return {
            "data": page,
            "cursor": cursor(url, limit, more, str(offset + limit) if more else ""),
        }


@dataclass(frozen=True)
class EventFilter:
    """The Profile API's `events` filters: event names kept or left out, a time range, order."""

    include: list[str] | None = None
    exclude: list[str] | None = None
    start: str | None = None
    end: str | None = None
    sort: str = "desc"


def _message_time(message: dict[str, Any]) -> datetime:
    text = str(message.get("timestamp") or message.get("receivedAt") or "")
    if not text:
        return datetime.now(timezone.utc)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _bound(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ProfileApiError(
            400, "validation_error", f"The parameter `{name}` must be an ISO 8601 time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _profile_event(message: dict[str, Any]) -> JsonObject:
    external_ids = [
        {"collection": "users", "type": i.type, "id": i.id, "encoding": "none"}
        for i in identifiers(message)
    ]
    event: JsonObject = {
        "external_ids": external_ids,
        "context": message.get("context", {}),
        "type": message["type"],
        "message_id": message["messageId"],
        "source_id": message["source_id"],
        "timestamp": message["timestamp"],
        "properties": message.get("properties", {}),
        "event": event_name(message),
        "related": {"users": None},
        "received_at": message["receivedAt"],
    }
    if message["type"] == "identify":
        event["traits"] = message.get("traits", {})
    return event
