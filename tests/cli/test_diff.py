"""`segment-unify diff` of two spaces of the emulator, made alike through the Public API."""

from __future__ import annotations

import json
from typing import Any

import pytest

from segment_unify.cli.main import main
from segment_unify.emulator.testing import InProcessEmulator
from tests.cli.app_workspace import TRAITS, build_space

DEV, PROD = "unified-profiles-dev", "unified-profiles-prod"


@pytest.fixture
def two_spaces(emulator: InProcessEmulator) -> dict[str, dict[str, Any]]:
    with emulator.client() as api:
        return {DEV: build_space(api, DEV), PROD: build_space(api, PROD)}


def run_diff(emulator: InProcessEmulator, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setenv("SEGMENT_PUBLIC_API_TOKEN", emulator.token)
    return main(
        [
            "--endpoint",
            emulator.url,
            "diff",
            "--space",
            DEV,
            "--space",
            PROD,
            "--suffix",
            "dev",
            "--suffix",
            "prod",
            *extra,
        ]
    )


def test_diff_of_spaces_made_alike_finds_nothing_and_exits_0(
    emulator: InProcessEmulator,
    two_spaces: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_diff(emulator, monkeypatch, "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_diff_after_one_trait_changed_names_exactly_that_field_and_exits_1(
    emulator: InProcessEmulator,
    two_spaces: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    prod = two_spaces[PROD]
    [trait] = [t for t in prod["traits"] if t["name"] == "Last agent"]
    changed = TRAITS["Last agent"].replace(".last(", ".first(")
    with emulator.client() as api:
        response = api.patch(
            f"/spaces/{prod['space_id']}/computed-traits/{trait['id']}",
            json={"definition": {"type": "USERS", "query": changed}},
        )
        assert response.status_code == 200, response.text
    assert run_diff(emulator, monkeypatch, "--json") == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "kind": "computed_trait",
            "key": "last_agent",
            "change": "different",
            "fields": [{"field": "definition.query", "a": TRAITS["Last agent"], "b": changed}],
        }
    ]
    assert run_diff(emulator, monkeypatch) == 1
    table = capsys.readouterr().out
    assert "last_agent" in table and "definition.query" in table and ".first(" in table


def test_diff_reports_a_trait_only_one_space_has(
    emulator: InProcessEmulator,
    two_spaces: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    dev = two_spaces[DEV]
    with emulator.client() as api:
        made = api.post(
            f"/spaces/{dev['space_id']}/computed-traits",
            json={
                "name": "Calls ever",
                "definition": {
                    "type": "USERS",
                    "query": "event('Flex - Engagement Initiated').count()",
                },
            },
        )
        assert made.status_code == 200, made.text
    assert run_diff(emulator, monkeypatch, "--json") == 1
    assert json.loads(capsys.readouterr().out) == [
        {"kind": "computed_trait", "key": "calls_ever", "change": "missing", "fields": []}
    ]
