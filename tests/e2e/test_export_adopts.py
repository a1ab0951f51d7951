"""`segment-unify export` under the real CLI: the program it writes adopts a workspace made in
Segment's app without creating, deleting or changing anything, and then tracks it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from segment_unify import demo
from segment_unify.emulator.testing import EmulatorHandle, spawn_emulator
from segment_unify.pulumi_cli import LocalBackend, locate, why_missing
from segment_unify.pulumi_stack import EXAMPLES, WORKSPACE, init_stack
from tests.cli.app_workspace import build
from tests.cli.exporting import SPACE, export_argv

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]

VENV = Path(sys.executable).parent.parent


@pytest.fixture
def cli(tmp_path: Path) -> LocalBackend:
    # The CLI as it is (never built here: other work shares the machine).
    found = locate(build_if_missing=False)
    if found is None:
        pytest.skip(why_missing())
    return LocalBackend(found, tmp_path / "pulumi")


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[EmulatorHandle]:
    with spawn_emulator(seed=demo.SEED, db=str(tmp_path / "emulator.db")) as emu:
        yield emu


def _exported(emulator: EmulatorHandle, out: Path, *extra: str) -> None:
    argv = export_argv(emulator, out, "--project", "adopted", *extra)
    command = [sys.executable, "-m", "segment_unify", *argv]
    env = {"SEGMENT_PUBLIC_API_TOKEN": emulator.token, "PATH": str(VENV / "bin")}
    subprocess.run(command, check=True, env=env, capture_output=True, text=True)


def _stack(cli: LocalBackend, emulator: EmulatorHandle, out: Path) -> Path:
    """The exported project under the CLI, with the secrets EXPORT.md asks for set."""
    project = cli.project(out, virtualenv=VENV)
    cli.run("stack", "init", "dev", cwd=project)
    for key, value in (
        ("segment:token", emulator.token),
        ("spaceUnifiedProfilesDevProfileApiToken", emulator.profile_tokens[SPACE]),
    ):
        cli.run("config", "set", "--secret", key, value, "--stack", "dev", cwd=project)
    return project


def _up_adopts_without_a_write(cli: LocalBackend, emulator: EmulatorHandle, project: Path) -> None:
    """`up` sends Segment nothing but reads, and leaves the stack converged."""
    emulator.clear_request_log()
    cli.run("up", "--yes", "--stack", "dev", cwd=project)
    writes = [entry for entry in emulator.request_log() if entry["method"] != "GET"]
    assert writes == [], writes
    cli.run("preview", "--expect-no-changes", "--stack", "dev", cwd=project)


def test_the_exported_program_adopts_everything_and_changes_nothing(
    cli: LocalBackend, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    with emulator.client() as api:
        build(api, SPACE)
    out = tmp_path / "adopted"
    _exported(emulator, out)
    project = _stack(cli, emulator, out)
    _up_adopts_without_a_write(cli, emulator, project)

    program = out / "__main__.py"
    text = program.read_text()
    assert text.count(".within(days=30)") == 1  # the trait, as builder code
    program.write_text(text.replace(".within(days=30)", ".within(days=60)"))
    preview = cli.run("preview", "--json", "--stack", "dev", cwd=project)
    steps = json.loads(preview.stdout)["steps"]
    changed = [(s["op"], s["urn"].rsplit("::", 1)[-1]) for s in steps if s["op"] != "same"]
    assert changed == [("update", "trait-inbound-calls-30d")], changed


def test_destroy_of_a_protected_export_deletes_nothing(
    cli: LocalBackend, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    with emulator.client() as api:
        made = build(api, SPACE)
    out = tmp_path / "adopted"
    _exported(emulator, out, "--protect")
    assert "protect=True" in (out / "__main__.py").read_text()
    project = _stack(cli, emulator, out)
    cli.run("up", "--yes", "--stack", "dev", cwd=project)
    emulator.clear_request_log()
    destroy = cli.run("destroy", "--yes", "--stack", "dev", cwd=project, check=False)
    assert destroy.returncode != 0
    assert "protected" in destroy.stdout + destroy.stderr
    assert [e for e in emulator.request_log() if e["method"] == "DELETE"] == []
    with emulator.client() as api:
        traits = api.get(f"/spaces/{made['space_id']}/computed-traits").json()["data"]
    assert len(traits["computedTraits"]) == len(made["traits"])


def test_the_demo_dev_space_exported_is_adopted_by_a_second_stack(
    cli: LocalBackend, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    example = EXAMPLES / demo.PROJECT
    cli.project(example, virtualenv=VENV)
    first = init_stack(cli, example, "dev", emulator)
    first.pulumi("up", "--yes")
    out = tmp_path / "demo-dev"
    _exported(emulator, out)
    program = (out / "__main__.py").read_text()
    made = {
        kind: len(emulator.objects(WORKSPACE, kind)) for kind in ("computed_trait", "subscription")
    }
    assert made["computed_trait"] >= 6 and made["subscription"] >= 1, made
    assert program.count("= ComputedTrait(") == made["computed_trait"]
    assert program.count("= DestinationSubscription(") == made["subscription"]
    assert "\u2022" not in program  # a masked secret is read from config, not written
    for check in (["ruff", "format", "--check", "--isolated"], ["mypy", "--strict"]):
        done = subprocess.run(
            [str(VENV / "bin" / check[0]), *check[1:], str(out / "__main__.py")],
            capture_output=True,
            text=True,
            cwd=out,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    second = LocalBackend(cli.pulumi, tmp_path / "second")
    project = _stack(second, emulator, out)
    _up_adopts_without_a_write(second, emulator, project)
    first.pulumi("preview", "--expect-no-changes")


def test_diff_of_the_demo_s_dev_and_prod_spaces_finds_one_trait_changed_in_prod(
    cli: LocalBackend, emulator: EmulatorHandle
) -> None:
    example = EXAMPLES / demo.PROJECT
    cli.project(example, virtualenv=VENV)
    for stack in ("dev", "prod"):
        init_stack(cli, example, stack, emulator).pulumi("up", "--yes")
    command = [
        *("-m", "segment_unify", "--endpoint", emulator.url, "diff"),
        *("--space", "unified-profiles-dev", "--space", "unified-profiles-prod"),
        *("--suffix", "dev", "--suffix", "prod", "--ignore-autonames", "--json"),
    ]
    env = {"SEGMENT_PUBLIC_API_TOKEN": emulator.token, "PATH": str(VENV / "bin")}
    same = subprocess.run(
        [sys.executable, *command], env=env, capture_output=True, text=True, check=False
    )
    assert (same.returncode, json.loads(same.stdout)) == (0, []), same.stdout + same.stderr

    with emulator.client() as api:
        [prod] = [
            s for s in api.get("/spaces").json()["data"]["spaces"] if s["slug"].endswith("prod")
        ]
        traits = f"/spaces/{prod['id']}/computed-traits"
        [trait] = [
            t
            for t in api.get(traits).json()["data"]["computedTraits"]
            if t["key"] == "total_inbounds"
        ]
        changed = trait["definition"]["query"].replace("'Inbound'", "'Outbound'")
        body = {"definition": {"type": "USERS", "query": changed}}
        assert api.patch(f"{traits}/{trait['id']}", json=body).status_code == 200
    found = subprocess.run(
        [sys.executable, *command], env=env, capture_output=True, text=True, check=False
    )
    assert found.returncode == 1, found.stderr
    assert json.loads(found.stdout) == [
        {
            "kind": "computed_trait",
            "key": "total_inbounds",
            "change": "different",
            "fields": [
                {"field": "definition.query", "a": trait["definition"]["query"], "b": changed}
            ],
        }
    ]
