"""``SendIdentifyMapping`` compiles to the settings Segment stores for Send Identify."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from segment_unify.provider.resources.send_identify import (
    SendIdentifyMapping,
    SendIdentifyMappingInputs,
    compile_mapping,
    literal,
    path,
)

WRITE_KEY = "0123456789abcdef0123456789abcdef"


def _compile(mapping: SendIdentifyMapping, *, reverse_etl: bool) -> dict[str, object]:
    inputs = SendIdentifyMappingInputs.model_validate(dataclasses.asdict(mapping))
    return compile_mapping(inputs, reverse_etl=reverse_etl)


def test_reverse_etl_mapping_compiles_to_segments_documented_export() -> None:
    mapping = SendIdentifyMapping(
        engage_space=WRITE_KEY,
        user_id="user_id",
        anonymous_id="anonymous_id",
        traits={"email": "context_traits_email", "performed_order_completed": literal("yes")},
        timestamp="timestamp",
    )

    assert _compile(mapping, reverse_etl=True) == {
        "engage_space": WRITE_KEY,
        "user_id": {"@path": "$.properties.user_id"},
        "anonymous_id": {"@path": "$.properties.anonymous_id"},
        "traits": {
            "email": {"@path": "$.properties.context_traits_email"},
            "performed_order_completed": "yes",
        },
        "timestamp": {"@path": "$.properties.timestamp"},
        "message_id": {"@path": "$.messageId"},
        "consent": {"@path": "$.context.consent"},
    }


def test_event_mapping_reads_names_from_the_event_and_defaults_the_timestamp() -> None:
    mapping = SendIdentifyMapping(
        engage_space=WRITE_KEY,
        user_id="userId",
        group_id=path("$.context.groupId"),
        traits={"plan": "traits.plan", "score": 3, "vip": True},
    )

    settings = _compile(mapping, reverse_etl=False)

    assert settings["user_id"] == {"@path": "$.userId"}
    assert settings["group_id"] == {"@path": "$.context.groupId"}
    assert settings["traits"] == {"plan": {"@path": "$.traits.plan"}, "score": 3, "vip": True}
    assert settings["timestamp"] == {"@path": "$.timestamp"}
    assert "anonymous_id" not in settings


def test_directives_pass_through_unchanged() -> None:
    template = {"@template": "{{properties.first}} {{properties.last}}"}
    mapping = SendIdentifyMapping(
        engage_space=WRITE_KEY, anonymous_id="$.properties.anon", traits={"name": template}
    )

    settings = _compile(mapping, reverse_etl=True)

    assert settings["anonymous_id"] == {"@path": "$.properties.anon"}
    assert settings["traits"] == {"name": template}


@pytest.mark.parametrize(
    ("fields", "location", "words"),
    [
        ({"engage_space": WRITE_KEY}, (), "needs user_id or anonymous_id"),
        ({"user_id": "user_id"}, ("engage_space",), "Field required"),
        ({"engage_space": WRITE_KEY, "user_id": ""}, ("user_id",), "empty string"),
        (
            {"engage_space": WRITE_KEY, "user_id": {"a": 1, "b": 2}},
            ("user_id",),
            "one mapping directive",
        ),
        (
            {"engage_space": WRITE_KEY, "user_id": "id", "traits": {"tags": ["a"]}},
            ("traits",),
            "wrap a list in literal",
        ),
    ],
)
def test_bad_mappings_name_the_field_and_what_was_expected(
    fields: dict[str, object], location: tuple[str, ...], words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        SendIdentifyMappingInputs.model_validate(fields)

    [error] = info.value.errors()
    assert error["loc"] == location
    assert words in error["msg"]
