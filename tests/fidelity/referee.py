"""The referee: a request body or an answer, judged by Segment's published models.

``judge_body`` and ``judge_answer`` return what is wrong, one line per problem, naming the
operation and the field: unknown fields, missing required fields, enum values, and the
``oneOf`` of a Reverse ETL schedule's config (exactly one variant must fit), and ``null`` where
the field is not nullable in Segment's model. Nested objects are
judged where Segment's models name their type (``NESTED``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.fidelity.segment_models import Field, Operation, PublicApi

# Which object shape a nested body field has, by operation and field, as Segment's models type
# them (CreateAudience's definition is AudienceDefinition, its update's has no targetEntity).
NESTED: dict[tuple[str, str], str] = {
    ("CreateComputedTrait", "definition"): "ComputedTraitsDefinition",
    ("CreateComputedTrait", "options"): "TraitOptions",
    ("UpdateComputedTraitForSpace", "definition"): "ComputedTraitsDefinition",
    ("CreateAudience", "definition"): "AudienceDefinition",
    ("CreateAudience", "options"): "AudienceOptions",
    ("UpdateAudienceForSpace", "options"): "AudienceOptions",
}
# The update model's definition is AudienceDefinitionWithoutTargetEntity: the query alone.
WITHOUT_TARGET_ENTITY = {("UpdateAudienceForSpace", "definition")}
# DestinationSubscriptionUpdateInput (the ``input`` of UpdateSubscriptionForDestination), as
# the Go SDK's model at 73.x has it; the shared contract lists ``input`` without its fields.
SUBSCRIPTION_UPDATE_FIELDS = frozenset(
    {"name", "trigger", "enabled", "settings", "reverseETLModelId", "reverseETLSchedule"}
)
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "NullableString": (str, type(None)),
    "bool": (bool,),
    "float32": (int, float),
}


def _judge_fields(
    where: str, value: Any, fields: Mapping[str, bool], *, typed: Mapping[str, Field] | None = None
) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where}: expected an object, got {type(value).__name__}"]
    problems = [f"{where}.{key}: not in Segment's model" for key in value if key not in fields]
    problems += [
        f"{where}.{key}: required by Segment's model, missing"
        for key, required in fields.items()
        if required and key not in value
    ]
    for key, spec in (typed or {}).items():
        expected = _JSON_TYPES.get(spec.type)
        if key in value and expected and not isinstance(value[key], expected):
            problems.append(f"{where}.{key}: Segment's model has {spec.type}, got {value[key]!r}")
    return problems


def _shape(api: PublicApi, name: str) -> tuple[dict[str, bool], dict[str, Field]]:
    shape = api.shapes[name]
    return {k: f.required for k, f in shape.items()}, shape


def judge_schedule(api: PublicApi, where: str, schedule: Any) -> list[str]:
    """``{strategy, config}``: the strategy is one of the enum; config fits exactly one variant."""
    problems = _judge_fields(where, schedule, {"strategy": True, "config": False})
    if problems:
        return problems
    strategy = schedule["strategy"]
    if strategy not in api.enums["strategy"]:
        return [f"{where}.strategy: {strategy!r} is not one of {api.enums['strategy']}"]
    config = schedule.get("config")
    fits = [
        name
        for name, keys in api.schedule_configs.items()
        if (keys is None and config is None)
        or (keys is not None and isinstance(config, Mapping) and set(config) == set(keys))
    ]
    if len(fits) != 1:
        return [f"{where}.config: {config!r} fits {len(fits)} of the oneOf variants, not one"]
    if fits[0] != strategy:
        return [f"{where}.config: has the shape of {fits[0]}, but strategy is {strategy}"]
    return []


def _judge_nulls(where: str, value: Any, nullable: frozenset[str]) -> list[str]:
    """``null`` only where Segment's model lets the field be null."""
    if not isinstance(value, Mapping):
        return []
    return [
        f"{where}.{key}: null, where Segment's model takes a plain value (not nullable)"
        for key, item in value.items()
        if item is None and key not in nullable
    ]


def judge_body(api: PublicApi, op: Operation, body: Any) -> list[str]:
    where = op.name
    if op.body is None:
        return [] if body in (None, "", {}) else [f"{where}: takes no body, got {body!r}"]
    problems = _judge_fields(where, body, op.body)
    problems += _judge_nulls(where, body, api.nullable.get(op.name, frozenset()))
    if problems or not isinstance(body, Mapping):
        return problems
    for key, value in body.items():
        if (op.name, key) in NESTED:
            fields, typed = _shape(api, NESTED[(op.name, key)])
            problems += _judge_fields(f"{where}.{key}", value, fields, typed=typed)
        if (op.name, key) in WITHOUT_TARGET_ENTITY:
            problems += _judge_fields(f"{where}.{key}", value, {"query": True})
    if "audienceType" in body and body["audienceType"] not in api.enums.get("audienceType", ()):
        problems.append(f"{where}.audienceType: {body['audienceType']!r} is not in the enum")
    if op.name == "UpdateSubscriptionForDestination":
        update = body["input"]
        fields = dict.fromkeys(SUBSCRIPTION_UPDATE_FIELDS, False)
        problems += _judge_fields(f"{where}.input", update, fields)
        problems += _judge_nulls(f"{where}.input", update, frozenset())
        if isinstance(update, Mapping) and update.get("reverseETLSchedule") is not None:
            schedule = update["reverseETLSchedule"]
            problems += judge_schedule(api, f"{where}.input.reverseETLSchedule", schedule)
    return problems


def _judge_object(api: PublicApi, where: str, value: Any, shape_name: str) -> list[str]:
    if not isinstance(value, Mapping):
        return [f"{where}: expected {shape_name}, got {type(value).__name__}"]
    shape = api.shapes[shape_name]
    problems = [
        f"{where}.{key}: required by {shape_name}, missing"
        for key, spec in shape.items()
        if spec.required and key not in value
    ]
    for key, spec in shape.items():
        inner = spec.type.removeprefix("Nullable").removeprefix("[]")
        if key in value and value[key] is not None and inner in api.shapes:
            items = value[key] if spec.type.startswith("[]") else [value[key]]
            for index, item in enumerate(items):
                problems += _judge_object(api, f"{where}.{key}[{index}]", item, inner)
    return problems


# What each answer's ``data`` key decodes into, as the SDK's output models type it.
DATA_SHAPES: dict[str, str] = {
    "workspace": "WorkspaceV1",
    "source": "SourceV1",
    "sources": "SourceV1",
    "warehouse": "WarehouseV1",
    "warehouses": "WarehouseV1",
    "destination": "DestinationV1",
    "destinations": "DestinationV1",
    "subscription": "DestinationSubscription",
    "subscriptions": "DestinationSubscription",
    "destinationSubscription": "DestinationSubscription",
    "reverseEtlModel": "ReverseEtlModel",
    "models": "ReverseEtlModel",
    "space": "Space",
    "spaces": "Space",
    "computedTrait": "ComputedTraitSummary",
    "computedTraits": "ComputedTraitSummary",
    "audience": "AudienceSummaryWithAudienceTypeAndLookback",
    "audiences": "AudienceSummary",
    "profilesWarehouse": "ProfilesWarehouseAlpha",
    "profilesWarehouses": "ProfilesWarehouseAlpha",
    "traits": "TraitAlpha",
    "events": "EventAlpha",
    "eventProperties": "EventPropertyAlpha",
    "sourcesCatalog": "SourceMetadataV1",
    "destinationsCatalog": "DestinationMetadataV1",
    "warehousesCatalog": "WarehouseMetadataV1",
    "pagination": "PaginationOutput",
    "syncStatuses": "ReverseETLSyncStatus",
    "reverseETLSyncStatus": "ReverseETLSyncStatus",
    "query": "GetEventsVolumeFromWorkspaceV1Query",
    "result": "SourceEventVolumeV1",
    "dataset": "DeliveryOverviewMetricsDataset",
}


# Where one data key decodes into different models by operation.
OPERATION_DATA_SHAPES: dict[tuple[str, str], str] = {
    ("CreateAudiencePreview", "audiencePreview"): "AudiencePreviewIdentifier",
    ("GetAudiencePreview", "audiencePreview"): "AudiencePreview",
}


def judge_answer(api: PublicApi, op: Operation, status: int, answer: Any) -> list[str]:
    where = f"{op.name} answer"
    if status != op.status:
        return [f"{where}: status {status}, Segment answers {op.status}"]
    if not isinstance(answer, Mapping) or set(answer) != {"data"}:
        return [f"{where}: expected {{data: ...}}, got {answer!r:.200}"]
    data = answer["data"]
    problems = _judge_fields(f"{where}.data", data, op.data_keys)
    for key, value in data.items() if isinstance(data, Mapping) else ():
        shape = OPERATION_DATA_SHAPES.get((op.name, key)) or DATA_SHAPES.get(key)
        if shape is None or value is None or shape not in api.shapes:
            continue
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            problems += _judge_object(api, f"{where}.data.{key}[{index}]", item, shape)
    return problems


def judge_action_settings(
    definition: Mapping[str, Any], action: str, settings: Any, where: str
) -> list[str]:
    """A subscription's ``settings`` against the action's fields in Segment's definition."""
    fields: Mapping[str, Any] = definition["actions"][action]["fields"]
    problems = _judge_fields(where, settings, {k: bool(v["required"]) for k, v in fields.items()})
    for key, value in settings.items() if isinstance(settings, Mapping) else ():
        spec = fields.get(key)
        if spec is None or (isinstance(value, Mapping) and _is_directive(value)):
            continue
        if spec["type"] == "object" and not isinstance(value, Mapping):
            problems.append(f"{where}.{key}: Segment's field is an object, got {value!r:.80}")
        if spec["type"] in ("string", "datetime") and not isinstance(value, str):
            problems.append(
                f"{where}.{key}: Segment's field is a {spec['type']}, got {value!r:.80}"
            )
    return problems


def _is_directive(value: Mapping[str, Any]) -> bool:
    return len(value) == 1 and next(iter(value)).startswith("@")


def judge_destination_settings(
    definition: Mapping[str, Any], settings: Any, where: str
) -> list[str]:
    fields = {k: bool(v["required"]) for k, v in definition["settings"].items()}
    problems = _judge_fields(where, settings, fields)
    for key, value in settings.items() if isinstance(settings, Mapping) else ():
        choices = (definition["settings"].get(key) or {}).get("choices")
        if choices and value not in choices:
            problems.append(f"{where}.{key}: {value!r} is not one of {choices}")
    return problems
