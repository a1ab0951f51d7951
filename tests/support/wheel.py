"""The package built from this checkout and installed into a fresh virtualenv: as a wheel, or
editable as ``make`` installs it.

Builds run in the checkout without build isolation (so no download) and write under its
``build/`` and ``*.egg-info``; two at once (test workers) trip over each other's files, so builds
take a lock. The fresh virtualenv reads its dependencies from this environment's site-packages
as a plain path entry, so this environment's own install of the package is not loaded.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class InstalledWheel:
    wheel: Path
    build_output: str
    python: Path
    env_dir: Path


@contextmanager
def _build_lock() -> Iterator[None]:
    lock_path = ROOT / "build" / ".wheel.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _fresh_env(env_dir: Path, *, with_pip: bool) -> Path:
    venv.create(env_dir, with_pip=with_pip)
    fresh_site = next((env_dir / "lib").glob("python*/site-packages"))
    (fresh_site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir / "bin" / "python"


def build_wheel(where: Path) -> tuple[Path, str]:
    """The wheel built from this checkout into ``where``, and the build's output."""
    with _build_lock():
        built = subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(where)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
    return next(where.glob("pulumi_segment_unify-*.whl")), built.stdout + built.stderr


def install_wheel_with_its_dependencies(where: Path, extras: str = "") -> InstalledWheel:
    """The wheel installed as a user installs it: into a clean virtualenv that sees nothing of
    this environment, with the dependencies it declares (``extras``: ``"[demo]"``) at the
    versions constraints.txt pins, fetched by pip."""
    wheel, output = build_wheel(where)
    env_dir = where / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    constraints = str(ROOT / "constraints.txt")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-c", constraints, f"{wheel}{extras}"],
        check=True,
        capture_output=True,
        timeout=900,
    )
    return InstalledWheel(wheel, output, python, env_dir)


def install_wheel(where: Path) -> InstalledWheel:
    """Build the wheel into ``where`` and install it into ``where/venv``: only the wheel
    provides ``segment_unify`` there."""
    wheel, output = build_wheel(where)
    env_dir = where / "venv"
    python = _fresh_env(env_dir, with_pip=True)
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    return InstalledWheel(wheel, output, python, env_dir)


def install_editable(where: Path) -> tuple[Path, str]:
    """``pip install -e`` of the checkout into ``where/venv``, as ``make`` runs it (this
    environment's pip, which shows the build backend's warnings): its Python and pip's output."""
    python = _fresh_env(where / "venv", with_pip=False)
    with _build_lock():
        done = subprocess.run(
            [python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-e", str(ROOT)],
            check=True,
            capture_output=True,
            text=True,
        )
    return python, done.stdout + done.stderr
