"""The example stack through the real Pulumi CLI, against the emulator, on a local file backend.

``up``, ``up`` again with no changes (``--expect-no-changes``), ``refresh``, ``destroy``. Runs where
``pulumi`` is on PATH; elsewhere it is skipped, saying so (the other tiers reach the engine
boundary without the CLI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from segment_unify import demo
from segment_unify.emulator.testing import spawn_emulator

PULUMI = shutil.which("pulumi")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(1200),
    pytest.mark.skipif(
        PULUMI is None,
        reason="the Pulumi CLI is not on PATH (install it: curl -fsSL https://get.pulumi.com | sh)",
    ),
]


def test_up_up_refresh_destroy(tmp_path: Path) -> None:
    assert PULUMI is not None
    env = {
        **os.environ,
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
        "PULUMI_CONFIG_PASSPHRASE": "e2e-only",
        "PULUMI_SKIP_UPDATE_CHECKS": "true",
    }
    (tmp_path / "state").mkdir()
    config_file = tmp_path / "Pulumi.dev.yaml"
    shutil.copyfile(demo.EXAMPLE / "Pulumi.dev.yaml", config_file)

    def pulumi(*args: str) -> str:
        done = subprocess.run(
            [PULUMI, *args, "--cwd", str(demo.EXAMPLE), "--non-interactive"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    with spawn_emulator(seed=demo.SEED, db=str(tmp_path / "emulator.db")) as emulator:
        pulumi("stack", "init", "dev")
        settings = {
            "segment:endpoint": emulator.url,
            "segment:profileEndpoint": emulator.profile_url,
            "segment:token": emulator.token,
            **demo.demo_secrets(demo._seed_token("dev")),
        }
        for key, value in settings.items():
            secret = ["--secret"] if key in demo.SECRET_KEYS else []
            pulumi("config", "set", key, value, *secret, "--config-file", str(config_file))
        cfg = ["--config-file", str(config_file)]

        pulumi("up", "--yes", *cfg)
        traits = emulator.objects("acme-contact-center", "computed_trait")
        assert len(traits) == 6
        pulumi("up", "--yes", "--expect-no-changes", *cfg)
        outputs = json.loads(pulumi("stack", "output", "--json", "--show-secrets"))
        assert outputs["spaceSlug"] == "unified-profiles-dev"
        state = pulumi("stack", "export")
        assert emulator.token not in state
        assert settings["unified-profiles:profileApiToken"] not in state

        pulumi("refresh", "--yes", *cfg)
        pulumi("up", "--yes", "--expect-no-changes", *cfg)
        pulumi("destroy", "--yes", *cfg)
        assert emulator.objects("acme-contact-center", "computed_trait") == []
