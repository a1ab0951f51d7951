"""Events in: the Tracking API's messages stored per source and delivered to the spaces the
source is connected to, where they make events and traits seen and build profiles.

Rules emulated: a write key names the source holding it; an unknown one is answered 200 like a
known one and its messages dropped (Segment's edge does not check keys), which the control
plane shows; a `messageId` already accepted from a source is dropped (de-duplication); a
message Segment would not accept (`tracking_messages.rejection`) is dropped and shown. In a
connected space a message marks its event seen, under the name the query language's
evaluation gives it (`event_name`: a track's `event`, a page's or screen's `name`...), with
its type, `lastSeenAt` and the names of its `properties` with up to 100 sample values each
(`ListPropertiesFromEvent`); an identify's traits become seen traits (with up to five sample
values) and the profile's traits; identity resolution (`identity`) decides the profile.
Connecting a source to a space is a step in Segment's app: here the seed or the control
plane does it. Not emulated: replay of a source's earlier messages into a newly connected
space, the accounts collection (group calls give users a `group_id`), blocked values.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timezone
from typing import Any

from segment_unify.query.evaluation import event_name

from .backend_core import BackendCore
from .catalog import Catalog, JsonObject
from .errors import NotFound, ValidationFailure
from .identity import HeldIdentifier, Identifier, identifiers, resolve
from .ids import UNIFY_ID_LENGTH, new_id, new_write_key
from .records import (
    EventRecord,
    IdentityRecord,
    MessageRecord,
    ProfileMergeRecord,
    ProfileRecord,
    SourceRecord,
    SpaceMessageRecord,
    SpaceRecord,
    SpaceSourceRecord,
    TraitRecord,
    WorkspaceRecord,
)
from .seed import SeedSource
from .store import Store
from .tracking_messages import TrackingRequest, enriched, rejection

MAX_SAMPLES = 5
# Segment's ListPropertiesFromEvent gives up to 100 sample values a property (20 by default).
MAX_EVENT_SAMPLES = 100
DEBUGGER_SIZE = 1000

_EVENT_TYPES = {"track": "TRACK", "identify": "IDENTIFY", "page": "PAGE", "screen": "SCREEN"}
_EVENT_TYPES |= {"group": "GROUP", "alias": "ALIAS"}


def _sample(value: Any) -> str | None:
    """A property value as a sample value (Segment's are strings); objects and lists none."""
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse(text: str | None) -> datetime:
    if not text:
        return datetime.now(timezone.utc)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class TrackingMixin(BackendCore):
    def __init__(self, store: Store, catalog: Catalog) -> None:
        super().__init__(store, catalog)
        # What Segment's debugger would show of messages dropped after a 200.
        self.dropped_messages: deque[JsonObject] = deque(maxlen=DEBUGGER_SIZE)
        self._dropped_lock = threading.Lock()

    # -- sources and spaces (the control plane's; Segment's app in reality) -------------
    def _known_space(self, space_id: str) -> SpaceRecord:
        space = self.store.get(SpaceRecord, space_id)
        if space is None:
            raise NotFound(f"No space {space_id}")
        return space

    def _space_and_source(self, space_id: str, source_id: str) -> tuple[SpaceRecord, SourceRecord]:
        space = self._known_space(space_id)
        source = self.store.get(SourceRecord, source_id)
        if source is None or source.workspace_id != space.workspace_id:
            raise NotFound(f"No source {source_id} in the space's workspace")
        if source.space_id is not None:
            raise ValidationFailure("A space's own Unify source cannot feed a space", field="id")
        return space, source

    def connect_space_source(self, space_id: str, source_id: str) -> JsonObject:
        with self.store.lock:
            space, source = self._space_and_source(space_id, source_id)
            self.store.put(
                SpaceSourceRecord(
                    id=f"{space.id}:{source.id}",
                    workspace_id=space.workspace_id,
                    space_id=space.id,
                    source_id=source.id,
                )
            )
        return {"spaceId": space.id, "sourceId": source.id}

    def disconnect_space_source(self, space_id: str, source_id: str) -> JsonObject:
        with self.store.lock:
            if not self.store.delete(SpaceSourceRecord, f"{space_id}:{source_id}"):
                raise NotFound(f"Source {source_id} is not connected to space {space_id}")
        return {"status": "SUCCESS"}

    def seed_sources(self, workspace: WorkspaceRecord, seeds: list[SeedSource]) -> None:
        """Make the seed's event sources that the workspace lacks (matched by slug)."""
        have = {s.slug: s for s in self.store.list(SourceRecord, workspace.id)}
        for seed in seeds:
            source = have.get(seed.slug)
            if source is None:
                source = SourceRecord(
                    id=new_id(),
                    workspace_id=workspace.id,
                    slug=seed.slug,
                    name=seed.name or seed.slug,
                    metadata_id=self.catalog.source_id_by_slug(seed.catalog),
                    enabled=True,
                    write_keys=[],
                    settings={},
                    labels=[],
                )
            if seed.write_key and seed.write_key not in source.write_keys:
                source.write_keys.append(seed.write_key)
            if not source.write_keys:
                source.write_keys.append(new_write_key())
            self.store.put(source)

    def seed_connections(self, space: SpaceRecord, source_slugs: list[str]) -> None:
        sources = {s.slug: s for s in self.store.list(SourceRecord, space.workspace_id)}
        for slug in source_slugs:
            if slug not in sources:
                raise NotFound(f"The seed connects space {space.slug} to no source {slug}")
            self.connect_space_source(space.id, sources[slug].id)

    def space_sources(self, space_id: str) -> list[str]:
        space = self._known_space(space_id)
        links = self.store.list(SpaceSourceRecord, space.workspace_id, space.id)
        return [link.source_id for link in links]

    def source_messages(self, source_id: str) -> list[JsonObject]:
        return [r.message for r in self.store.list(MessageRecord, parent_id=source_id)]

    # -- ingestion ------------------------------------------------------------------------
    def source_for_write_key(self, write_key: str) -> SourceRecord | None:
        for source in self.store.list(SourceRecord):
            if write_key in source.write_keys:
                return source
        return None

    def _drop(self, reason: str, message: dict[str, Any], source_id: str | None) -> None:
        shown = {key: value for key, value in message.items() if key != "writeKey"}
        entry = {"reason": reason, "sourceId": source_id, "message": shown}
        with self._dropped_lock:
            self.dropped_messages.append(entry)

    def ingest(self, request: TrackingRequest) -> JsonObject:
        """Store and deliver one request's messages; counts of what was kept and dropped."""
        received_at = datetime.now(timezone.utc)
        accepted = duplicates = dropped = 0
        with self.store.lock:
            source = self.source_for_write_key(request.write_key)
            spaces = [] if source is None else self._fed_spaces(source)
            for message in request.messages:
                reason = "unknown write key" if source is None else rejection(message)
                if reason is not None or source is None:
                    self._drop(reason or "", message, source.id if source else None)
                    dropped += 1
                    continue
                stored = enriched(message, received_at)
                record_id = f"{source.id}:{stored['messageId']}"
                if self.store.get(MessageRecord, record_id) is not None:
                    duplicates += 1
                    continue
                self.store.put(
                    MessageRecord(
                        id=record_id,
                        workspace_id=source.workspace_id,
                        source_id=source.id,
                        message=stored,
                    )
                )
                for space in spaces:
                    self._deliver(space, source, stored)
                accepted += 1
        return {"accepted": accepted, "duplicates": duplicates, "dropped": dropped}

    def _fed_spaces(self, source: SourceRecord) -> list[SpaceRecord]:
        links = self.store.list(SpaceSourceRecord, source.workspace_id)
        spaces = [
            self.store.get(SpaceRecord, link.space_id)
            for link in links
            if link.source_id == source.id
        ]
        # A space's own personas-compute source (Send Identify's engage_space) feeds it.
        spaces += [
            s for s in self.store.list(SpaceRecord, source.workspace_id) if s.source_id == source.id
        ]
        return [space for space in spaces if space is not None]

    def _deliver(self, space: SpaceRecord, source: SourceRecord, message: dict[str, Any]) -> None:
        owner = {"workspace_id": space.workspace_id, "space_id": space.id}
        name = event_name(message)
        record_id = f"{space.id}:{name}"
        seen = self.store.get(EventRecord, record_id)
        properties = dict(seen.properties) if seen is not None else {}
        carried = message.get("properties")
        for key, value in (carried if isinstance(carried, dict) else {}).items():
            samples = properties.setdefault(str(key), [])
            sample = _sample(value)
            if sample is not None and sample not in samples and len(samples) < MAX_EVENT_SAMPLES:
                samples.append(sample)
        self.store.put(
            EventRecord(
                id=record_id,
                name=name,
                type=_EVENT_TYPES[str(message["type"])],
                last_seen_at=message["receivedAt"],
                properties=properties,
                **owner,
            )
        )
        profile = self._resolve_profile(space, source, message)
        traits = message.get("traits") if message["type"] == "identify" else None
        if isinstance(traits, dict):
            profile.traits.update(traits)
            for key, value in traits.items():
                self._see_trait(space, key, value, message["receivedAt"])
        profile.updated_at = message["receivedAt"]
        self.store.put(profile)
        self.store.put(
            SpaceMessageRecord(
                id=f"{space.id}:{source.id}:{message['messageId']}",
                source_id=source.id,
                message_id=str(message["messageId"]),
                segment_id=profile.segment_id,
                message=message,
                **owner,
            )
        )

    def _see_trait(self, space: SpaceRecord, key: str, value: Any, seen_at: str) -> None:
        record_id = f"{space.id}:{key}"
        trait = self.store.get(TraitRecord, record_id) or TraitRecord(
            id=record_id,
            workspace_id=space.workspace_id,
            space_id=space.id,
            trait=key,
            type="CUSTOM",
            last_seen_at=seen_at,
            samples=[],
        )
        trait.last_seen_at = seen_at
        samples = trait.samples if trait.samples is not None else []
        if value is not None and str(value) not in samples and len(samples) < MAX_SAMPLES:
            samples.append(str(value))
        trait.samples = samples
        self.store.put(trait)

    # -- identity resolution --------------------------------------------------------------
    @staticmethod
    def _identity_id(space_id: str, collection: str, id_type: str, value: str) -> str:
        return f"{space_id}:{collection}:{id_type}:{value}"

    def index_profile(self, profile: ProfileRecord) -> None:
        """Make ``profile``'s external ids findable (seeded profiles, merges)."""
        for ext in profile.external_ids:
            self.store.put(
                IdentityRecord(
                    id=self._identity_id(
                        profile.space_id, profile.collection, ext["type"], ext["id"]
                    ),
                    workspace_id=profile.workspace_id,
                    space_id=profile.space_id,
                    segment_id=profile.segment_id,
                )
            )

    def _profile(self, space: SpaceRecord, segment_id: str) -> ProfileRecord | None:
        return self.store.get(ProfileRecord, f"{space.id}:{segment_id}")

    def _alias_identifiers(self, space: SpaceRecord, message: dict[str, Any]) -> list[Identifier]:
        """An alias's previousId is whichever of user_id or anonymous_id the space knows."""
        previous = str(message.get("previousId") or "")
        if not previous:
            return []
        known = self.store.get(
            IdentityRecord, self._identity_id(space.id, "users", "user_id", previous)
        )
        return [Identifier("user_id" if known else "anonymous_id", previous)]

    def _resolve_profile(
        self, space: SpaceRecord, source: SourceRecord, message: dict[str, Any]
    ) -> ProfileRecord:
        at = _parse(message["receivedAt"])
        incoming = identifiers(message)
        if message["type"] == "alias":
            incoming += [i for i in self._alias_identifiers(space, message) if i not in incoming]

        def owner_of(identifier: Identifier) -> str | None:
            record = self.store.get(
                IdentityRecord,
                self._identity_id(space.id, "users", identifier.type, identifier.id),
            )
            return None if record is None else record.segment_id

        def held_by(segment_id: str) -> list[HeldIdentifier]:
            profile = self._profile(space, segment_id)
            if profile is None:
                return []
            return [
                HeldIdentifier(
                    ext["type"], ext["id"], _parse(ext.get("last_seen_at") or profile.updated_at)
                )
                for ext in profile.external_ids
            ]

        resolution = resolve(incoming, owner_of, held_by, at)
        profiles = [p for p in (self._profile(space, s) for s in resolution.profiles) if p]
        profiles.sort(key=lambda p: p.created_at)
        if profiles:
            profile = profiles[0]
            for other in profiles[1:]:
                self._merge(profile, other, message)
        else:
            segment_id = "use_" + new_id(UNIFY_ID_LENGTH)
            profile = ProfileRecord(
                id=f"{space.id}:{segment_id}",
                workspace_id=space.workspace_id,
                space_id=space.id,
                collection="users",
                segment_id=segment_id,
                traits={},
                external_ids=[],
                created_at=message["receivedAt"],
                updated_at=message["receivedAt"],
            )
        for identifier in resolution.identifiers:
            held = next(
                (
                    e
                    for e in profile.external_ids
                    if e["type"] == identifier.type and e["id"] == identifier.id
                ),
                None,
            )
            if held is None:
                profile.external_ids.append(
                    {
                        "type": identifier.type,
                        "id": identifier.id,
                        "source_id": source.id,
                        "created_at": message["receivedAt"],
                        "first_message_id": message["messageId"],
                        "last_seen_at": message["receivedAt"],
                    }
                )
            else:
                held["last_seen_at"] = message["receivedAt"]
        self.index_profile(profile)
        return profile

    def _merge(self, into: ProfileRecord, merged: ProfileRecord, message: dict[str, Any]) -> None:
        """Fold ``merged`` into the older ``into``: ids, traits (``into``'s win), events."""
        known = {(e["type"], e["id"]) for e in into.external_ids}
        into.external_ids += [e for e in merged.external_ids if (e["type"], e["id"]) not in known]
        into.traits = merged.traits | into.traits
        for record in self.store.list(SpaceMessageRecord, into.workspace_id, into.space_id):
            if record.segment_id == merged.segment_id:
                record.segment_id = into.segment_id
                self.store.put(record)
        self.store.delete(ProfileRecord, merged.id)
        self.store.put(
            ProfileMergeRecord(
                id=f"{into.space_id}:{merged.segment_id}",
                workspace_id=into.workspace_id,
                space_id=into.space_id,
                merged_id=merged.segment_id,
                segment_id=into.segment_id,
                message_id=str(message["messageId"]),
                merged_at=message["receivedAt"],
            )
        )

    # -- what the control plane and the Profile API show ----------------------------------
    def space_merges(self, space_id: str) -> list[JsonObject]:
        space = self._known_space(space_id)
        return [
            {
                "mergedId": m.merged_id,
                "segmentId": m.segment_id,
                "messageId": m.message_id,
                "mergedAt": m.merged_at,
            }
            for m in self.store.list(ProfileMergeRecord, space.workspace_id, space.id)
        ]

    def messages_by_profile(self, space: SpaceRecord) -> dict[str, list[dict[str, Any]]]:
        """Every profile's messages (each with its source's id), read in one pass: listing all
        profiles with their values costs one read of the space's messages, not one per profile."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in self.store.list(SpaceMessageRecord, space.workspace_id, space.id):
            grouped.setdefault(record.segment_id, []).append(
                dict(record.message, source_id=record.source_id)
            )
        return grouped

    def profile_messages(self, space: SpaceRecord, profile: ProfileRecord) -> list[dict[str, Any]]:
        """The profile's messages, each with the id of the source that sent it."""
        return [
            dict(record.message, source_id=record.source_id)
            for record in self.store.list(SpaceMessageRecord, space.workspace_id, space.id)
            if record.segment_id == profile.segment_id
        ]

    def message_metadata(self, space: SpaceRecord, profile: ProfileRecord) -> JsonObject:
        """The first and last messages a profile received (nothing for a seeded profile that
        received none, whose metadata stays the seed's)."""
        messages = self.profile_messages(space, profile)
        if not messages:
            return {}
        messages.sort(key=lambda m: str(m["receivedAt"]))
        first, last = messages[0], messages[-1]
        return {
            "first_message_id": first["messageId"],
            "first_source_id": first["source_id"],
            "last_message_id": last["messageId"],
            "last_source_id": last["source_id"],
        }
