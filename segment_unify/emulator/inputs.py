"""Request bodies of the Public API operations, validated strictly.

Field names are Segment's (camelCase); unknown fields are refused (`"x" is not allowed`), as
Segment's joi-based validation does, and types are strict (no "true" for a boolean).
Validation errors become 422 ValidationFailure with `field` set (see errors.py).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from .errors import ValidationFailure

JsonObject = dict[str, Any]


class Input(BaseModel):
    """A body. ``null`` is refused for a field unless ``nullable`` names it: Segment's SDK
    models type an optional field as a plain value (``Optional[StrictStr]``, dropped when None)
    unless the API's schema marks it nullable, so a ``null`` is not a value Segment takes."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
    )
    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="before")
    @classmethod
    def _refuse_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, value in data.items():
                if value is None and key not in cls.nullable:
                    raise ValidationFailure(
                        f'"{key}" must not be null (Segment\'s model takes a value or no field)',
                        field=key,
                    )
        return data


class CreateSourceInput(Input):
    # CreateSourceV1Input has no name (Segment names a new source after its slug; a PATCH
    # renames it), so a name here is refused like any unknown field.
    slug: str
    enabled: bool
    metadata_id: str
    settings: JsonObject | None = None
    disconnect_all_warehouses: bool | None = None


class UpdateSourceInput(Input):
    name: str | None = None
    enabled: bool | None = None
    slug: str | None = None
    settings: JsonObject | None = None


class CreateDestinationInput(Input):
    source_id: str
    metadata_id: str
    enabled: bool | None = None
    name: str | None = None
    settings: JsonObject


class UpdateDestinationInput(Input):
    nullable = frozenset({"name"})  # UpdateDestinationV1Input
    name: str | None = None
    enabled: bool | None = None
    settings: JsonObject | None = None


class CreateWarehouseInput(Input):
    metadata_id: str
    name: str | None = None
    enabled: bool | None = None
    settings: JsonObject
    disconnect_all_sources: bool | None = None


class UpdateWarehouseInput(Input):
    nullable = frozenset({"name"})  # UpdateWarehouseV1Input
    name: str | None = None
    enabled: bool | None = None
    settings: JsonObject


class WarehouseValidationInput(Input):
    metadata_id: str
    settings: JsonObject


class CreateSubscriptionInput(Input):
    name: str
    action_id: str
    trigger: str
    enabled: bool
    settings: JsonObject | None = None
    model_id: str | None = None


class ScheduleInput(Input):
    nullable = frozenset({"config"})  # ReverseEtlScheduleDefinition: MANUAL's is null
    strategy: Literal["PERIODIC", "SPECIFIC_DAYS", "MANUAL", "CRON", "DBT_CLOUD"]
    config: JsonObject | None = None


class UpdateSubscriptionFields(Input):
    name: str | None = None
    trigger: str | None = None
    enabled: bool | None = None
    settings: JsonObject | None = None
    reverse_etl_model_id: str | None = Field(default=None, alias="reverseETLModelId")
    reverse_etl_schedule: ScheduleInput | None = Field(default=None, alias="reverseETLSchedule")


class UpdateSubscriptionInput(Input):
    input: UpdateSubscriptionFields


class CreateModelInput(Input):
    source_id: str
    name: str
    description: str
    enabled: bool
    query: str
    query_identifier_column: str


class UpdateModelInput(Input):
    name: str | None = None
    description: str | None = None
    enabled: bool | None = None
    query: str | None = None
    query_identifier_column: str | None = None


class ManualSyncInput(Input):
    source_id: str
    model_id: str
    subscription_id: str


class ComputedTraitDefinition(Input):
    type: Literal["USERS", "ACCOUNTS"]
    query: str


class TraitOptions(Input):
    include_historical_data: bool | None = None
    include_anonymous_users: bool | None = None
    backfill_duration_days: float | None = None


class CreateComputedTraitInput(Input):
    name: str
    enabled: bool | None = None
    description: str | None = None
    definition: ComputedTraitDefinition
    options: TraitOptions | None = None


class UpdateComputedTraitInput(Input):
    enabled: bool | None = None
    name: str | None = None
    description: str | None = None
    definition: ComputedTraitDefinition | None = None


class AudienceDefinition(Input):
    nullable = frozenset({"targetEntity"})  # AudienceDefinition: NullableString
    query: str
    target_entity: str | None = None


class AudienceOptions(Input):
    include_historical_data: bool | None = None
    filter_by_external_ids: list[str] | None = None
    backfill_event_data_days: float | None = None


class CreateAudienceInput(Input):
    name: str
    enabled: bool | None = None
    description: str | None = None
    definition: AudienceDefinition
    audience_type: Literal["USERS", "ACCOUNTS", "LINKED"]
    options: AudienceOptions | None = None


class CreateAudiencePreviewInput(Input):
    definition: AudienceDefinition
    audience_type: Literal["USERS", "ACCOUNTS", "LINKED"]
    options: AudienceOptions | None = None


class AudienceDefinitionWithoutTargetEntity(Input):
    """The definition UpdateAudienceForSpaceInput takes: a target entity is set at creation."""

    query: str


class UpdateAudienceInput(Input):
    enabled: bool | None = None
    name: str | None = None
    description: str | None = None
    definition: AudienceDefinitionWithoutTargetEntity | None = None
    options: AudienceOptions | None = None


class CreateProfilesWarehouseInput(Input):
    metadata_id: str
    name: str | None = None
    enabled: bool | None = None
    settings: JsonObject
    schema_name: str | None = None


class UpdateProfilesWarehouseInput(Input):
    name: str | None = None
    enabled: bool | None = None
    settings: JsonObject
    schema_name: str | None = None


def dump_options(options: BaseModel | None) -> JsonObject | None:
    """Options as Segment echoes them: camelCase, without the keys the caller left out."""
    if options is None:
        return None
    return options.model_dump(by_alias=True, exclude_none=True)


class EventPropertiesQuery(BaseModel):
    """ListPropertiesFromEvent's query (besides pagination): Segment's defaults."""

    sort_by: Literal["name", "lastSeenAt"] = "lastSeenAt"
    sort_dir: Literal["asc", "desc"] = "desc"
    search: str | None = None
    include_sample_values: bool = False
    samples_count: int = Field(default=20, ge=1, le=100)
