"""A policy pack that cannot start, under the real CLI: `pulumi preview --policy-pack` fails
within seconds naming what is missing and the fix, where it used to sit at "Loading policy
packs...: starting" for good (SIGTERM ignored) because the language host left the engine
waiting on a pack it had failed to launch.

The cases: the checkout's pack folder in a fresh clone (its PulumiPolicy.yaml names ``../.venv``,
not made yet), with the message's advice followed afterwards; and the package's own pack folder
run by a Python that lacks the package.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from segment_unify.pulumi_cli import LocalBackend

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
# Generous: a hung pack waits forever, a failing one fails in about a second.
HANG_GUARD = 120


def empty_program(where: Path, virtualenv: Path) -> Path:
    """A program with no resources, run in ``virtualenv``: only the pack is under test."""
    where.mkdir(parents=True)
    (where / "Pulumi.yaml").write_text(
        f"name: empty\nruntime:\n  name: python\n  options:\n    virtualenv: {virtualenv}\n"
    )
    (where / "__main__.py").write_text("import pulumi\n")
    return where


def fresh_clone(where: Path) -> Path:
    """The checkout's tracked files (as in the work tree), without its .venv."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, target = ROOT / name, where / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree, not yet committed
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return where


def preview(backend: LocalBackend, program: Path, pack: Path) -> subprocess.CompletedProcess[str]:
    """`pulumi preview --policy-pack`; a run that outlives the guard is killed and fails."""
    process = backend.popen("preview", "--policy-pack", str(pack), cwd=program)
    try:
        out, _ = process.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
        pytest.fail(f"`pulumi preview --policy-pack {pack}` hung; it printed:\n{out}")
    return subprocess.CompletedProcess(process.args, process.returncode, out, "")


@pytest.fixture
def stack_backend(pulumi_bin: Path, tmp_path: Path) -> tuple[LocalBackend, Path]:
    backend = LocalBackend(pulumi_bin, tmp_path / "pulumi")
    program = empty_program(tmp_path / "program", Path(sys.prefix))
    backend.run("stack", "init", "dev", cwd=program)
    return backend, program


def test_a_fresh_clone_s_pack_fails_naming_its_missing_virtualenv_and_the_fix_works(
    stack_backend: tuple[LocalBackend, Path], tmp_path: Path
) -> None:
    backend, program = stack_backend
    clone = fresh_clone(tmp_path / "clone")
    pack = clone / "policies"

    failed = preview(backend, program, pack)

    assert failed.returncode != 0, failed.stdout
    shown = " ".join(failed.stdout.split())
    missing = clone / ".venv"
    assert f'the virtualenv "../.venv" ({missing}), which does not exist' in shown, shown
    # The advice, followed as printed (pip reads the constraints `make` exports, if any).
    commands = [
        line.strip()
        for line in failed.stdout.splitlines()
        if line.strip().startswith(("python3 -m venv", f"cd {pack}"))
    ]
    assert len(commands) == 2, failed.stdout
    for command in commands:
        subprocess.run(command, shell=True, check=True, capture_output=True, timeout=600)
    passed = preview(backend, program, pack)
    assert passed.returncode == 0, passed.stdout
    assert "Policies:" in passed.stdout or "segment-unify" in passed.stdout, passed.stdout


def test_the_package_s_pack_run_by_a_python_without_the_package_says_what_to_install(
    stack_backend: tuple[LocalBackend, Path], tmp_path: Path
) -> None:
    backend, program = stack_backend
    # pulumi and pulumi-policy from this environment, not segment_unify (its editable install
    # is a .pth file, which a plain path entry does not read).
    other = tmp_path / "other-venv"
    venv.create(other)
    site = next((other / "lib").glob("python*/site-packages"))
    (site / "deps.pth").write_text(next(p for p in sys.path if p.endswith("site-packages")) + "\n")
    pack = shutil.copytree(ROOT / "segment_unify" / "policies" / "pack", tmp_path / "pack")
    (pack / "PulumiPolicy.yaml").write_text(
        f"runtime:\n  name: python\n  options:\n    virtualenv: {other}\n"
    )

    failed = preview(backend, program, pack)

    assert failed.returncode != 0, failed.stdout
    shown = " ".join(failed.stdout.split())
    assert f"{other}/bin/python cannot import segment_unify" in shown, shown
    assert "Install pulumi-segment-unify into the environment your program runs in" in shown
    assert "-m segment_unify.policies --path" in shown
