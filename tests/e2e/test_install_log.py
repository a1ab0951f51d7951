"""`pulumi install` as the demo runs it: one line on the terminal, pip's output in a log file
(the demo printed pip's whole install log, hundreds of lines, before anything of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from segment_unify.pulumi_cli import LocalBackend

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]


def test_install_prints_one_line_and_keeps_pip_s_output_in_its_log(
    pulumi_bin: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: tiny\nruntime:\n  name: python\n  options:\n    toolchain: pip\n"
        "    virtualenv: venv\n"
    )
    (project / "requirements.txt").write_text("setuptools\n")
    log = tmp_path / "logs" / "pulumi-install.log"
    capfd.readouterr()

    LocalBackend(pulumi_bin, tmp_path / "pulumi").install(project, log=log)

    printed = capfd.readouterr()
    assert printed.out.splitlines() == [
        f"`pulumi install`: project's virtualenv, once (log: {log})"
    ], printed
    assert "setuptools" in log.read_text()
    assert (project / "venv" / "bin" / "python").exists()
