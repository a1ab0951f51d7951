"""Segment's npm packages the tests run under node, installed at test time into `.tools/node`.

They are installed together, in one `npm install`: npm removes from a prefix what the command
does not name, so installing one alone would remove the other. Gitignored; no lock file kept.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_PREFIX = ROOT / ".tools" / "node"
PACKAGES = {
    "@segment/analytics-node": "3.1.0",
    "@segment/actions-core": "3.170.0",
    # actions-core's mapping-kit requires liquidjs without declaring it; Segment's
    # action-destinations declares it (^10.25.7), which is how it is had in Segment's builds.
    "liquidjs": "10.25.7",
}


def node_modules(package: str) -> Path:
    """``.tools/node/node_modules`` holding ``package`` (all of PACKAGES), or skip saying why."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip(f"node and npm are needed to run {package}")
    modules = NODE_PREFIX / "node_modules"
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    # Test workers (pytest-xdist) may ask at once: one installs, the others wait for it.
    with (NODE_PREFIX / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _install_missing(package, modules)
    return modules


def _install_missing(package: str, modules: Path) -> None:
    missing = [name for name in PACKAGES if not (modules / name / "package.json").exists()]
    if missing:
        result = subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-package-lock",
                "--prefix",
                str(NODE_PREFIX),
                *(f"{name}@{version}" for name, version in PACKAGES.items()),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            pytest.skip(f"npm could not install {', '.join(missing)}: {result.stderr[-500:]}")
