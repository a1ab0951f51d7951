"""The wheel installed as a user installs it: a clean virtualenv, only the dependencies the
package declares (plus the ``demo`` extra the docs name for the demo), nothing of the checkout.

The demo used to crash here with ``ModuleNotFoundError: No module named 'segment'``: Segment's
Python library, which it sends Flex interactions through, was only a ``[dev]`` dependency. The
policy pack's folder comes from the installed package too.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.wheel import install_wheel_with_its_dependencies

pytestmark = pytest.mark.timeout(1200)


@dataclass
class Installed:
    python: Path
    env_dir: Path
    outside: Path


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    where = tmp_path_factory.mktemp("user-install")
    made = install_wheel_with_its_dependencies(where, "[demo]")
    outside = where / "elsewhere"
    outside.mkdir()
    return Installed(made.python, made.env_dir, outside)


def test_the_demo_runs_from_the_wheel_with_its_declared_dependencies(installed: Installed) -> None:
    # No Pulumi CLI and no Go on PATH: the demo runs through localrun, then sends the Flex
    # interactions through Segment's library.
    env = {
        **os.environ,
        "PATH": str(installed.python.parent) + os.pathsep + "/usr/bin:/bin",
        "SEGMENT_UNIFY_STATE_DIR": str(installed.outside / "provider-state"),
    }
    env.pop("SEGMENT_PUBLIC_API_TOKEN", None)
    env.pop("PYTHONPATH", None)
    out = subprocess.run(
        [installed.python, "-m", "segment_unify.demo"],
        cwd=installed.outside,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "interaction events sent through segment-analytics-python" in out.stdout


def test_the_installed_package_prints_its_policy_pack_folder(installed: Installed) -> None:
    out = subprocess.run(
        [installed.python, "-m", "segment_unify.policies", "--path"],
        cwd=installed.outside,
        capture_output=True,
        text=True,
        check=True,
    )
    folder = Path(out.stdout.strip())
    assert folder.is_relative_to(installed.env_dir)
    assert sorted(p.name for p in folder.iterdir()) == [
        "PulumiPolicy.yaml",
        "__main__.py",
        "config.dev.json",
        "config.prod.json",
    ]
    assert (
        f"virtualenv: {str(installed.env_dir)!r}".replace("'", '"')
        in (folder / "PulumiPolicy.yaml").read_text()
    )
