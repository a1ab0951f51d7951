"""`doctor --stack`: the stack's outputs read through the real Pulumi CLI (`pulumi stack output
--json --show-secrets`), on a local file backend. The stack is a small program exporting what
the demo's stack exported (ids, the pending steps) and the Profile API token as a secret, so
doctor takes the token from the stack, never from its own settings, and lists the stack's
pending steps among the app's steps."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest

from segment_unify import demo
from segment_unify.cli.main import main
from segment_unify.pulumi_cli import LocalBackend, locate, why_missing
from tests.doctor.conftest import CUSTOMER, Setup, statuses

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]
VENV = Path(sys.executable).parent.parent
PROGRAM = """import json
import pulumi

config = pulumi.Config()
for key, value in json.loads(config.require("outputs")).items():
    pulumi.export(key, value)
pulumi.export("profileApiToken", config.require_secret("profileApiToken"))
"""


def test_doctor_reads_the_stacks_token_and_pending_steps_through_the_cli(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pulumi = locate(build_if_missing=False)
    if pulumi is None:
        pytest.skip(why_missing())
    source = tmp_path / "outputs"
    source.mkdir()
    (source / "Pulumi.yaml").write_text(
        "name: doctor-outputs\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n"
    )
    (source / "__main__.py").write_text(PROGRAM)
    cli = LocalBackend(pulumi, tmp_path / "pulumi")
    project = cli.project(source, virtualenv=VENV)
    cli.run("stack", "init", "dev", cwd=project)
    outputs = {k: v for k, v in healthy.outputs.items() if k != "profileApiToken"}
    cli.run("config", "set", "outputs", json.dumps(outputs), "--stack", "dev", cwd=project)
    token = demo.seed_token("dev")
    cli.run("config", "set", "--secret", "profileApiToken", token, "--stack", "dev", cwd=project)
    cli.run("up", "--yes", "--stack", "dev", cwd=project)
    for key in ("PULUMI_BACKEND_URL", "PULUMI_HOME", "PULUMI_CONFIG_PASSPHRASE"):
        monkeypatch.setenv(key, cli.env[key])

    code, report = healthy.doctor(
        monkeypatch,
        "--stack",
        "dev",
        "--cwd",
        str(project),
        "--user",
        CUSTOMER,
        profile_token="",
    )
    assert code == 0, [c for c in report["checks"] if c["status"] != "PASS"]
    assert statuses(report)["profile-api-token"] == "PASS"  # the stack's token
    ids = next(c for c in report["checks"] if c["id"] == "stack-ids")
    assert ids["status"] == "PASS" and ids["counts"]["objects"] >= 10
    steps = next(c for c in report["checks"] if c["id"] == "app-steps")
    pending = [s["what"] for s in healthy.outputs["pendingSteps"]]
    assert pending and all(what in steps["seen"] for what in pending)
    assert token not in json.dumps(report)

    missing, _ = _doctor_exit(healthy, monkeypatch, project)
    assert missing == 2


def _doctor_exit(setup: Setup, monkeypatch: pytest.MonkeyPatch, project: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(
            ["doctor", "--space", "unified-profiles-dev", "--stack", "nope", "--cwd", str(project)]
        )
    assert "pulumi stack output --json --stack nope" in err.getvalue()
    return code, err.getvalue()
