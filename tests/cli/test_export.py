"""`segment-unify export` against the emulator: files written, GETs only, a program that checks."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from segment_unify.cli.main import main
from segment_unify.emulator.testing import InProcessEmulator
from tests.cli.exporting import SPACE, export_argv

VENV_BIN = Path(sys.executable).parent


def run_export(emulator: InProcessEmulator, out: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SEGMENT_PUBLIC_API_TOKEN", emulator.token)
    emulator.clear_request_log()
    return main(export_argv(emulator, out))


@pytest.fixture
def exported(
    emulator: InProcessEmulator,
    app_made: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The folder export wrote for the space Segment's app set up."""
    assert run_export(emulator, tmp_path, monkeypatch) == 0
    return tmp_path


def calls(program: str) -> dict[str, list[dict[str, Any]]]:
    """The resources the program declares, by class: each call's keyword arguments as source."""
    found: dict[str, list[dict[str, Any]]] = {}
    for node in ast.walk(ast.parse(program)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id[0].isupper()
        ):
            kwargs = {k.arg: _value(k.value) for k in node.keywords if k.arg}
            found.setdefault(node.func.id, []).append(kwargs)
    return found


def _value(node: ast.expr) -> Any:
    """A literal's value; any other expression (a reference) as its source."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def test_export_writes_a_complete_project(
    emulator: InProcessEmulator, app_made: dict[str, Any], exported: Path
) -> None:
    names = {p.name for p in exported.iterdir()}
    assert names >= {
        "Pulumi.yaml",
        "__main__.py",
        "requirements.txt",
        "Pulumi.dev.yaml",
        "EXPORT.md",
    }
    assert yaml.safe_load((exported / "Pulumi.dev.yaml").read_text())["config"] == {
        "segment:endpoint": emulator.url,
        "segment:profileEndpoint": emulator.profile_url,
    }
    program = (exported / "__main__.py").read_text()
    made = calls(program)
    assert sorted(s["slug"] for s in made["Source"]) == [
        "salesforce-crm",
        "warehouse-retl",
        "website",
    ]
    assert len(made["Warehouse"]) == 1 and len(made["ProfilesWarehouse"]) == 1
    assert [m["source_id"] for m in made["ReverseEtlModel"]] == ["source_warehouse_retl.id"] * 2
    assert sorted(m["model_id"] for m in made["DestinationSubscription"]) == [
        "model_accounts.id",
        "model_contacts.id",
    ]
    assert {m["destination_id"] for m in made["DestinationSubscription"]} == {
        "destination_profiles_from_the_warehouse.id"
    }
    [connection] = made["WarehouseSourceConnection"]
    assert connection == {
        "warehouse_id": "warehouse_analytics.id",
        "source_id": "source_salesforce_crm.id",
        "adopt_id": f"{app_made['warehouse']['id']}/{app_made['sources'][1]['id']}",
    }
    assert sorted(t["key"] for t in made["ComputedTrait"]) == [
        "inbound_calls_30d",
        "last_agent",
        "unhappy_chats",
    ]
    assert [a["name"] for a in made["Audience"]] == ["Likely churners"]
    assert sorted(p["trait_key"] for p in made["Prediction"]) == [
        "likelihood_to_churn",
        "predicted_ltv",
    ]
    adopted = (
        "Source",
        "Warehouse",
        "WarehouseSourceConnection",
        "ReverseEtlModel",
        "Destination",
        "DestinationSubscription",
        "ProfilesWarehouse",
        "ComputedTrait",
        "Audience",
    )
    assert all("adopt_id" in call for kind in adopted for call in made[kind])
    # No id appears but in adopt_id: every other reference is a variable.
    for kind in adopted:
        for call in made[kind]:
            for field, value in call.items():
                if field != "adopt_id":
                    assert app_made["space_id"] not in str(value), (kind, field, value)


def test_export_sends_nothing_but_gets(emulator: InProcessEmulator, exported: Path) -> None:
    methods = [entry["method"] for entry in emulator.request_log()]
    assert methods and set(methods) == {"GET"}


def test_export_writes_no_secret_and_lists_the_ones_to_set(
    emulator: InProcessEmulator, exported: Path
) -> None:
    written = "".join(p.read_text() for p in exported.iterdir())
    assert "s3cret-password" not in written and emulator.token not in written
    assert emulator.profile_tokens[SPACE] not in written
    report = (exported / "EXPORT.md").read_text()
    assert "pulumi config set --secret spaceUnifiedProfilesDevProfileApiToken" in report
    assert "pulumi config set --secret warehouseAnalyticsPassword" in report
    assert (
        "personas_unified_profiles_dev" in report
    )  # the space's own source: not declared, said why


def test_the_generated_program_passes_ruff_and_mypy(exported: Path) -> None:
    program = exported / "__main__.py"
    for args in (["ruff", "format", "--check"], ["ruff", "check"]):
        done = subprocess.run(
            [str(VENV_BIN / args[0]), *args[1:], "--isolated", "--no-cache", str(program)],
            capture_output=True,
            text=True,
            cwd=exported,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    mypy = shutil.which("mypy", path=str(VENV_BIN))
    assert mypy is not None
    done = subprocess.run(
        [mypy, "--strict", "--no-incremental", str(program)],
        capture_output=True,
        text=True,
        cwd=exported,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_export_of_an_unknown_space_fails_naming_it(
    emulator: InProcessEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SEGMENT_PUBLIC_API_TOKEN", emulator.token)
    code = main(["--endpoint", emulator.url, "export", "--space", "nope", "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "'nope'" in err and "unified-profiles-dev" in err and emulator.url in err


def test_a_trait_renamed_in_the_app_is_not_declared_and_export_md_says_why(
    emulator: InProcessEmulator,
    app_made: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [trait] = [t for t in app_made["traits"] if t["key"] == "last_agent"]
    with emulator.client() as api:
        path = f"/spaces/{app_made['space_id']}/computed-traits/{trait['id']}"
        assert api.patch(path, json={"name": "Most recent agent"}).status_code == 200
    assert run_export(emulator, tmp_path, monkeypatch) == 0
    program = (tmp_path / "__main__.py").read_text()
    assert "last_agent" not in program
    report = (tmp_path / "EXPORT.md").read_text()
    assert "computed trait 'Most recent agent' (last_agent)" in report
    assert "gives the key 'most_recent_agent', not 'last_agent'" in report


def test_export_with_a_token_segment_refuses_fails_naming_the_setting(
    emulator: InProcessEmulator,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SEGMENT_PUBLIC_API_TOKEN", "sgp_not_a_token_of_this_workspace")
    code = main(["--endpoint", emulator.url, "export", "--space", SPACE, "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "SEGMENT_PUBLIC_API_TOKEN" in err and "ListSpaces" in err
    assert not (tmp_path / "__main__.py").exists()
