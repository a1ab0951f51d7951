"""`segment-unify diff` of two spaces of the emulator, made alike through the Public API."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from segment_unify import demo
from segment_unify.cli.main import main
from segment_unify.emulator.testing import InProcessEmulator
from tests.cli.app_workspace import TRAITS, build_space, space_id

DEV, PROD = "unified-profiles-dev", "unified-profiles-prod"


@pytest.fixture
def two_spaces(emulator: InProcessEmulator) -> dict[str, dict[str, Any]]:
    with emulator.client() as api:
        return {DEV: build_space(api, DEV), PROD: build_space(api, PROD)}


def run_diff(
    emulator: InProcessEmulator,
    monkeypatch: pytest.MonkeyPatch,
    *extra: str,
    b: str = PROD,
    suffixes: tuple[str, ...] = ("dev", "prod"),
) -> int:
    """`segment-unify diff` of DEV and ``b``, with the workspace's token, ignoring ``suffixes``."""
    monkeypatch.setenv("SEGMENT_PUBLIC_API_TOKEN", emulator.token)
    ignored = [arg for suffix in suffixes for arg in ("--suffix", suffix)]
    return main(
        ["--endpoint", emulator.url, "diff", "--space", DEV, "--space", b, *ignored, *extra]
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


def test_diff_of_two_workspaces_uses_a_token_and_endpoint_per_side(
    emulator: InProcessEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = yaml.safe_load(demo.SEED.read_text())
    [dev] = [s for s in seed["workspaces"][0]["spaces"] if s["slug"] == DEV]
    other = {
        "slug": "acme-prod",
        "name": "ACME (prod)",
        "token": "sgp_FAKE_emulator_acme_prod_0000000000",
        "spaces": [{**dev, "profileApiToken": "pat_FAKE_emulator_acme_prod_dev_space_00000"}],
    }
    emulator.seed({"workspaces": [other]})
    with emulator.client() as api:
        build_space(api, DEV)
    with emulator.client("acme-prod") as api:
        build_space(api, DEV)
    monkeypatch.setenv("PROD_SEGMENT_TOKEN", other["token"])
    b_side = ("--endpoint-b", emulator.url, "--token-env-b", "PROD_SEGMENT_TOKEN", "--json")
    code = run_diff(emulator, monkeypatch, *b_side, b=DEV, suffixes=())
    assert code == 0, capsys.readouterr().out
    capsys.readouterr()
    with emulator.client("acme-prod") as api:
        audiences = f"/spaces/{space_id(api, DEV)}/audiences"
        [audience] = api.get(audiences).json()["data"]["audiences"]
        api.delete(f"{audiences}/{audience['id']}").raise_for_status()
    assert run_diff(emulator, monkeypatch, *b_side, b=DEV, suffixes=()) == 1
    assert json.loads(capsys.readouterr().out) == [
        {"kind": "audience", "key": "likely_churners", "change": "missing", "fields": []}
    ]


def test_diff_names_the_variable_of_a_missing_token(
    emulator: InProcessEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    assert run_diff(emulator, monkeypatch, "--token-env-b", "NO_SUCH_TOKEN", suffixes=()) == 2
    assert "NO_SUCH_TOKEN" in capsys.readouterr().err


def test_diff_ignores_the_environment_suffixes_named_and_only_those(
    emulator: InProcessEmulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    query = "event('Flex - Engagement Initiated').count()"
    with emulator.client() as api:
        for slug, name in ((DEV, "Engaged dev"), (PROD, "Engaged prod")):
            body = {"name": name, "definition": {"type": "USERS", "query": query}}
            made = api.post(f"/spaces/{space_id(api, slug)}/computed-traits", json=body)
            assert made.status_code == 200, made.text
    assert run_diff(emulator, monkeypatch, "--json") == 0
    capsys.readouterr()
    assert run_diff(emulator, monkeypatch, "--json", suffixes=()) == 1
    assert [(d["key"], d["change"]) for d in json.loads(capsys.readouterr().out)] == [
        ("engaged_dev", "missing"),
        ("engaged_prod", "extra"),
    ]
