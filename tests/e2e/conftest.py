"""The e2e tier: the real Pulumi CLI (built from Pulumi's Go modules where `go` exists).

Skipped, saying why, only where neither `go` nor `pulumi` is on PATH. The examples' virtualenvs
are made once with `pulumi install`, as the examples' READMEs tell users to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from segment_unify.pulumi_cli import LocalBackend, locate, why_missing
from segment_unify.pulumi_stack import EXAMPLES


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    found = locate()
    if found is None:
        pytest.skip(why_missing())
    return found


@pytest.fixture(scope="session")
def examples_installed(pulumi_bin: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    backend = LocalBackend(pulumi_bin, tmp_path_factory.mktemp("install"))
    for project in ("unified-profiles", "computed-traits-only"):
        backend.install(EXAMPLES / project)
    return EXAMPLES


@pytest.fixture
def backend(pulumi_bin: Path, examples_installed: Path, tmp_path: Path) -> LocalBackend:
    return LocalBackend(pulumi_bin, tmp_path)
