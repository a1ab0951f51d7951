"""The wheel: built without the build backend's warnings, installed into a fresh virtualenv,
every subpackage imported, and ``python -m segment_unify.demo`` run from it. The editable
install ``make`` makes: no warnings either, and the checkout is what it loads."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

import segment_unify
from tests.support.wheel import install_editable, install_wheel

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "segment_unify",
    "segment_unify.provider",
    "segment_unify.provider.resources.source",
    "segment_unify.query",
    "segment_unify.components",
    "segment_unify.emulator.app",
    "segment_unify.policies",
    "segment_unify.cli.main",
]


@dataclass
class Installed:
    wheel: Path
    build_output: str
    python: Path
    env_dir: Path
    outside: Path  # a folder outside the checkout, whose folders would shadow the package


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp_path = tmp_path_factory.mktemp("wheel")
    made = install_wheel(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    return Installed(made.wheel, made.build_output, made.python, made.env_dir, outside)


@pytest.mark.timeout(300)
def test_wheel_installs_into_a_fresh_venv_and_imports(installed: Installed) -> None:
    script = "; ".join(f"import {m}" for m in MODULES) + (
        "; import segment_unify, importlib.resources as r; print(segment_unify.__file__); "
        "print(r.files('segment_unify.query').joinpath('grammar.lark').is_file()); "
        "print(r.files('segment_unify').joinpath('py.typed').is_file())"
    )
    out = subprocess.run(
        [installed.python, "-c", script],
        cwd=installed.outside,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    where, grammar, typed = out.stdout.split()
    assert where.startswith(str(installed.env_dir))
    assert grammar == "True"
    assert typed == "True"


@pytest.mark.timeout(300)
def test_help_shows_the_field_docs_read_from_the_installed_source(installed: Installed) -> None:
    # A field's doc is the docstring under it, read from the module's source when first asked.
    from segment_unify.provider import ComputedTrait

    out = subprocess.run(
        [
            installed.python,
            "-c",
            "import inspect, segment_unify.provider as p; print(p.ComputedTrait.__doc__); "
            "print(inspect.getfile(p.ComputedTrait))",
        ],
        cwd=installed.outside,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    *doc, where = out.stdout.splitlines()
    assert where.startswith(str(installed.env_dir))
    assert "\n".join(doc) == ComputedTrait.__doc__
    assert "status: Segment's word on the trait's computation." in doc[-1]


@pytest.mark.timeout(300)
def test_the_wheel_installs_the_segment_unify_command(installed: Installed) -> None:
    command = Path(installed.python).parent / "segment-unify"
    out = subprocess.run(
        [command, "export", "--help"],
        cwd=installed.outside,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "--space SLUG" in out.stdout and "examples:" in out.stdout


def warnings_in(output: str) -> list[str]:
    # setuptools' deprecations (a license table, say) print as "SetuptoolsDeprecationWarning"
    # or a "WARNING" banner, and pip shows them as "BuildBackendWarning"; byte-compiling notes
    # ("warning: build_py: ...") are not warnings.
    return [
        line
        for line in output.splitlines()
        if re.search(r"Warning\b|^WARNING", line) and "byte-compiling is disabled" not in line
    ]


@pytest.mark.timeout(300)
def test_the_build_backend_warns_of_nothing(installed: Installed) -> None:
    assert warnings_in(installed.build_output) == []


@pytest.mark.timeout(300)
def test_the_editable_install_warns_of_nothing_and_loads_the_checkout(tmp_path: Path) -> None:
    # A package-dir mapping (or strict mode's link tree) made pip print setuptools'
    # "BuildBackendWarning: Editable installation." at every `make`.
    python, output = install_editable(tmp_path)
    assert warnings_in(output) == [], output
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = subprocess.run(
        [python, "-c", "import segment_unify.provider.resources as r; print(r.__file__)"],
        cwd=outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(out.stdout.strip()).is_relative_to(ROOT / "segment_unify"), out.stdout


def test_the_version_comes_from_the_package(installed: Installed) -> None:
    assert f"pulumi_segment_unify-{segment_unify.__version__}-" in installed.wheel.name
    out = subprocess.run(
        [
            installed.python,
            "-c",
            "import importlib.metadata as m, segment_unify; "
            "print(m.version('pulumi-segment-unify'), segment_unify.__version__)",
        ],
        cwd=installed.outside,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == [segment_unify.__version__] * 2


@pytest.mark.timeout(300)
def test_the_demo_runs_from_the_installed_wheel(installed: Installed) -> None:
    # No Pulumi CLI and no Go on PATH: the demo says what it needs and runs through localrun.
    env = {
        **os.environ,
        "PATH": str(installed.python.parent) + os.pathsep + "/usr/bin:/bin",
        "SEGMENT_UNIFY_STATE_DIR": str(installed.outside / "provider-state"),
    }
    env.pop("SEGMENT_PUBLIC_API_TOKEN", None)
    out = subprocess.run(
        [installed.python, "-m", "segment_unify.demo"],
        cwd=installed.outside,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=280,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    seed = installed.env_dir / "lib"
    assert f"(seed {seed}" in out.stdout  # the seed the wheel carries
    assert "Neither the Pulumi CLI nor Go" in out.stdout
    # The example's 19 Segment resources and the stack's identity.
    assert "second run: 20 same (no changes)" in out.stdout
    assert re.search(r"Unify space slug\s+unified-profiles-dev", out.stdout)
