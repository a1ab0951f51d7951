"""The referee itself: a deliberately wrong body or answer makes it fail, naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fidelity import referee
from tests.fidelity.segment_models import PublicApi

SOURCE = {"slug": "site", "enabled": True, "metadataId": "IqDTy1TpoU"}


def _body(api: PublicApi, method: str, path: str, body: Any) -> list[str]:
    op = api.operation(method, path)
    assert op is not None
    return referee.judge_body(api, op, body)


def test_a_good_body_passes(public_api: PublicApi) -> None:
    assert _body(public_api, "POST", "/sources", SOURCE) == []


@pytest.mark.parametrize(
    ("method", "path", "body", "words"),
    [
        ("POST", "/sources", {**SOURCE, "name": "Site"}, "CreateSource.name: not in"),
        ("POST", "/sources", {"enabled": True, "metadataId": "x"}, "CreateSource.slug: required"),
        (
            "POST",
            "/spaces/s/audiences",
            {"name": "A", "definition": {"query": "q"}, "audienceType": "GROUPS"},
            "audienceType: 'GROUPS' is not in the enum",
        ),
        (
            "PATCH",
            "/spaces/s/audiences/a",
            {"definition": {"query": "q", "targetEntity": "accounts"}},
            "definition.targetEntity: not in",
        ),
        (
            "PATCH",
            "/destinations/d/subscriptions/s",
            {"input": {"reverseETLSchedule": {"strategy": "PERIODIC", "config": {"every": "1h"}}}},
            "fits 0 of the oneOf variants",
        ),
        (
            "PATCH",
            "/destinations/d/subscriptions/s",
            {"input": {"reverseETLSchedule": {"strategy": "CRON", "config": {"interval": "1h"}}}},
            "has the shape of PERIODIC, but strategy is CRON",
        ),
    ],
)
def test_a_wrong_body_fails_naming_the_field(
    public_api: PublicApi, method: str, path: str, body: Any, words: str
) -> None:
    problems = _body(public_api, method, path, body)
    assert any(words in problem for problem in problems), problems


def test_a_nested_field_of_the_wrong_type_fails(public_api: PublicApi) -> None:
    body = {"name": "T", "definition": {"query": 3, "type": "USERS"}}
    problems = _body(public_api, "POST", "/spaces/s/computed-traits", body)
    assert any("definition.query: Segment's model has string" in p for p in problems), problems


def test_an_answer_missing_a_required_field_fails(public_api: PublicApi) -> None:
    op = public_api.operation("GET", "/sources/src")
    assert op is not None
    answer = {"data": {"source": {"id": "src", "slug": "s"}, "trackingPlanId": None}}
    problems = referee.judge_answer(public_api, op, 200, answer)
    assert any("source[0].workspaceId: required by SourceV1" in p for p in problems), problems


def test_a_destination_setting_segment_does_not_define_fails(
    segment_profiles: dict[str, Any],
) -> None:
    problems = referee.judge_destination_settings(
        segment_profiles, {"endpoint": "north_america"}, "settings"
    )
    assert problems == ["settings.endpoint: not in Segment's model"]


def test_a_send_identify_mapping_without_the_space_or_with_a_stray_field_fails(
    segment_profiles: dict[str, Any],
) -> None:
    problems = referee.judge_action_settings(
        segment_profiles, "sendIdentify", {"userId": {"@path": "$.id"}}, "mapping"
    )
    assert "mapping.userId: not in Segment's model" in problems
    assert "mapping.engage_space: required by Segment's model, missing" in problems
    typed = referee.judge_action_settings(
        segment_profiles, "sendIdentify", {"engage_space": "wk", "traits": "email"}, "mapping"
    )
    assert typed == ["mapping.traits: Segment's field is an object, got 'email'"]


@pytest.mark.parametrize(
    ("method", "path", "status", "answer", "words"),
    [
        (
            "GET",
            "/spaces/s/events/Call%20Answered/properties",
            200,
            {"data": {"eventProperties": [{"name": "Direction", "type": "PROPERTY"}]}},
            "eventProperties[0].eventName: required by EventPropertyAlpha",
        ),
        (
            "GET",
            "/catalog/sources",
            200,
            {"data": {"sourcesCatalog": [{"id": "x", "slug": "zendesk"}], "pagination": {}}},
            "sourcesCatalog[0].isCloudEventSource: required by SourceMetadataV1",
        ),
        (
            "POST",
            "/warehouses/validation",
            200,
            {"data": {"connected": True}},
            "data.connected: not in Segment's model",
        ),
    ],
)
def test_a_wrong_answer_of_the_checks_before_a_create_fails(
    public_api: PublicApi, method: str, path: str, status: int, answer: Any, words: str
) -> None:
    """Test Connection, the catalog's listing and an event's properties are refereed too."""
    op = public_api.operation(method, path)
    assert op is not None
    problems = referee.judge_answer(public_api, op, status, answer)
    assert any(words in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("path", "body", "words"),
    [
        (
            "/spaces/s/computed-traits/t",
            {"description": None},
            "UpdateComputedTraitForSpace.description: null",
        ),
        (
            "/spaces/s/audiences/a",
            {"description": None},
            "UpdateAudienceForSpace.description: null",
        ),
        ("/sources/src", {"name": None}, "UpdateSource.name: null"),
        ("/destinations/d/subscriptions/s", {"input": {"name": None}}, "input.name: null"),
    ],
)
def test_null_where_segments_model_takes_a_plain_string_fails(
    public_api: PublicApi, path: str, body: Any, words: str
) -> None:
    problems = _body(public_api, "PATCH", path, body)
    assert any(words in problem for problem in problems), problems


def test_null_where_segments_model_is_nullable_passes(public_api: PublicApi) -> None:
    """UpdateDestinationV1Input's name is nullable in the SDK (``set to None if name``)."""
    assert _body(public_api, "PATCH", "/destinations/d", {"name": None}) == []
    warehouse = {"name": None, "settings": {}}
    assert _body(public_api, "PATCH", "/warehouses/w", warehouse) == []
