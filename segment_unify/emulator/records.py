"""Stored records: what the emulator keeps per object, before rendering.

A record is a pydantic model stored as one JSON document; `KIND` names its table partition.
Records hold raw (unmasked) settings; rendering for the API masks secrets and joins catalog
metadata. Tokens appear only as digests (`tokenDigests`, `profileTokenDigests`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class Record(BaseModel):
    """Base of every stored object: an id and the workspace that owns it."""

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True
    )
    KIND: ClassVar[str] = "record"

    id: str
    workspace_id: str

    def parent_id(self) -> str | None:
        """The object this record lists under (space, destination, warehouse), if any."""
        return None

    def document(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class WorkspaceRecord(Record):
    KIND = "workspace"
    slug: str
    name: str
    token_digests: list[str]
    user_id: str


class SpaceRecord(Record):
    KIND = "space"
    slug: str
    name: str
    profile_token_digests: list[str]
    source_id: str


class SourceRecord(Record):
    KIND = "source"
    slug: str
    name: str
    metadata_id: str
    enabled: bool
    write_keys: list[str]
    settings: dict[str, Any]
    labels: list[dict[str, str]]
    space_id: str | None = None


class WarehouseRecord(Record):
    KIND = "warehouse"
    metadata_id: str
    enabled: bool
    settings: dict[str, Any]


class ConnectionRecord(Record):
    """A warehouse <-> source connection; id is `<warehouseId>:<sourceId>`."""

    KIND = "connection"
    warehouse_id: str
    source_id: str

    def parent_id(self) -> str | None:
        return self.warehouse_id


class DestinationRecord(Record):
    KIND = "destination"
    name: str | None
    enabled: bool
    metadata_id: str
    source_id: str
    settings: dict[str, Any]


class SubscriptionRecord(Record):
    KIND = "subscription"
    destination_id: str
    name: str
    action_id: str
    action_slug: str
    enabled: bool
    settings: dict[str, Any]
    trigger: str
    model_id: str | None = None
    reverse_etl_schedule: dict[str, Any] | None = None

    def parent_id(self) -> str | None:
        return self.destination_id


class ModelRecord(Record):
    KIND = "reverse_etl_model"
    source_id: str
    name: str
    description: str
    enabled: bool
    query: str
    query_identifier_column: str


class SyncRecord(Record):
    KIND = "reverse_etl_sync"
    model_id: str
    source_id: str
    subscription_id: str
    started_at: str
    # What the run did (backend_reverse_etl.py): SUCCESS, PARTIAL_SUCCESS or FAIL.
    status: str = "SUCCESS"
    finished_at: str | None = None
    counts: dict[str, int] = {}
    error: str | None = None
    error_code: str | None = None
    # Why rows were not delivered, reason -> rows (Delivery Overview's discard reasons).
    failure_reasons: dict[str, int] = {}
    # The rows seen, identifier -> digest of the row: what the next run compares against.
    row_digests: dict[str, str] = {}

    def parent_id(self) -> str | None:
        return self.model_id


class SpaceObject(Record):
    """Base of records that live inside a space."""

    space_id: str

    def parent_id(self) -> str | None:
        return self.space_id


class ComputedTraitRecord(SpaceObject):
    KIND = "computed_trait"
    name: str
    description: str | None = None
    key: str
    enabled: bool
    definition: dict[str, Any]
    options: dict[str, Any] | None = None
    created_by: str
    updated_by: str
    created_at: str
    updated_at: str


class AudienceRecord(SpaceObject):
    KIND = "audience"
    name: str
    description: str | None = None
    key: str
    enabled: bool
    definition: dict[str, Any]
    audience_type: str
    options: dict[str, Any] | None = None
    created_by: str
    updated_by: str
    created_at: str
    updated_at: str


class ProfilesWarehouseRecord(SpaceObject):
    KIND = "profiles_warehouse"
    metadata_id: str
    name: str | None = None
    enabled: bool
    settings: dict[str, Any]
    schema_name: str | None = None


class EventRecord(SpaceObject):
    """An event seen in a space (seeded: Segment learns these from traffic), with the names of
    the properties its messages carried and a few sample values of each (as strings)."""

    KIND = "event"
    name: str
    type: str
    last_seen_at: str
    properties: dict[str, list[str]] = Field(default_factory=dict)


class TraitRecord(SpaceObject):
    """A trait seen in a space; `prediction` is set for predictions (churn, ltv, custom)."""

    KIND = "trait"
    trait: str
    type: str
    last_seen_at: str
    prediction: str | None = None
    samples: list[str] | None = None


class ProfileRecord(SpaceObject):
    KIND = "profile"
    collection: str
    segment_id: str
    traits: dict[str, Any]
    external_ids: list[dict[str, Any]]
    created_at: str
    updated_at: str


class AudiencePreviewRecord(SpaceObject):
    """An audience preview (`CreateAudiencePreview`), computed when made: its answer as kept."""

    KIND = "audience_preview"
    preview: dict[str, Any]


class SpaceSourceRecord(SpaceObject):
    """A source connected to a space: its events reach the space (made in Segment's app)."""

    KIND = "space_source"
    source_id: str


class MessageRecord(Record):
    """A message a source accepted, as stored after Segment's enrichment; id
    `<sourceId>:<messageId>`, which is what de-duplication looks up."""

    KIND = "message"
    source_id: str
    message: dict[str, Any]

    def parent_id(self) -> str | None:
        return self.source_id


class SpaceMessageRecord(SpaceObject):
    """A message as a space received it, with the profile identity resolution gave it."""

    KIND = "space_message"
    source_id: str
    message_id: str
    segment_id: str
    message: dict[str, Any]


class IdentityRecord(SpaceObject):
    """Index of the identity graph: id `<spaceId>:<collection>:<type>:<value>` -> profile."""

    KIND = "identity"
    segment_id: str


class ProfileMergeRecord(SpaceObject):
    """A merge identity resolution made: `merged_id`'s profile now lives in `segment_id`."""

    KIND = "profile_merge"
    merged_id: str
    segment_id: str
    message_id: str
    merged_at: str


ALL_RECORDS: tuple[type[Record], ...] = (
    WorkspaceRecord,
    SpaceRecord,
    SourceRecord,
    WarehouseRecord,
    ConnectionRecord,
    DestinationRecord,
    SubscriptionRecord,
    ModelRecord,
    SyncRecord,
    ComputedTraitRecord,
    AudienceRecord,
    ProfilesWarehouseRecord,
    EventRecord,
    TraitRecord,
    ProfileRecord,
    SpaceSourceRecord,
    MessageRecord,
    SpaceMessageRecord,
    IdentityRecord,
    ProfileMergeRecord,
)
RECORDS_BY_KIND: dict[str, type[Record]] = {cls.KIND: cls for cls in ALL_RECORDS}
