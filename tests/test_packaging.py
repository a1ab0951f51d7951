"""The wheel holds every subpackage: built, installed into a fresh virtualenv, imported."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "segment_unify",
    "segment_unify.provider",
    "segment_unify.provider.resources.source",
    "segment_unify.provider.query",
    "segment_unify.components",
    "segment_unify.emulator.app",
    "segment_unify.policies",
]


@pytest.mark.timeout(300)
def test_wheel_installs_into_a_fresh_venv_and_imports(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("pulumi_segment_unify-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    # Dependencies come from this environment's site-packages as a plain path entry, so its
    # editable finder for segment_unify is not loaded: only the wheel can provide the package.
    fresh_site = next((env_dir / "lib").glob("python*/site-packages"))
    (fresh_site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = "; ".join(f"import {m}" for m in MODULES) + (
        "; import segment_unify, importlib.resources as r; print(segment_unify.__file__); "
        "print(r.files('segment_unify.provider.query').joinpath('grammar.lark').is_file()); "
        "print(r.files('segment_unify').joinpath('py.typed').is_file())"
    )
    # Run outside the checkout, whose folders would otherwise shadow the installed package.
    out = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    where, grammar, typed = out.stdout.split()
    assert where.startswith(str(env_dir))
    assert grammar == "True"
    assert typed == "True"
