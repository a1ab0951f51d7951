"""The package's wheel, built from this checkout and installed into a fresh virtualenv.

The build runs in the checkout (``--no-isolation``, so no download) and writes under its
``build/``; two at once (test workers) trip over each other's files, so builds take a lock.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class InstalledWheel:
    wheel: Path
    build_output: str
    python: Path
    env_dir: Path


def install_wheel(where: Path) -> InstalledWheel:
    """Build the wheel into ``where`` and install it into ``where/venv``, whose dependencies
    come from this environment's site-packages as a plain path entry, so this environment's
    editable finder is not loaded: only the wheel provides ``segment_unify``."""
    lock_path = ROOT / "build" / ".wheel.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(where)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    wheel = next(where.glob("pulumi_segment_unify-*.whl"))
    env_dir = where / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    fresh_site = next((env_dir / "lib").glob("python*/site-packages"))
    (fresh_site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return InstalledWheel(wheel, built.stdout + built.stderr, python, env_dir)
