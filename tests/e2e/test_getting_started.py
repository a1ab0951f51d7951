"""The newcomer's path of docs/getting-started.md, under the real CLI, from a built wheel in a
fresh folder: the three files the page gives (read from the page), a virtualenv installed from
`requirements.txt` by pip as the page says, `pulumi login --local`, the stack's config, the
emulator from the package's `[emulator]` extra in an environment of its own (`segment-emulator
serve --seed example`), `up`, `preview --policy-pack` with the page's rule-breaking trait added,
and `destroy`. The program's environment has the core install only, with no web server in it.
Nothing comes from the checkout but the wheel; the time it took is printed (`-s` shows it).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from segment_unify.pulumi_cli import PulumiCliError
from tests.support.wheel import build_wheel

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1500)]

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "getting-started.md"
WHEEL_ON_PAGE = "/path/to/dist/pulumi_segment_unify-0.1.0-py3-none-any.whl"


def page_files() -> dict[str, str]:
    """The blocks the page marks ``<!-- newcomer: NAME -->``, by name."""
    text = PAGE.read_text()
    found = re.findall(r"<!-- newcomer: (.+?) -->\n```\w*\n(.*?)```", text, flags=re.S)
    return dict(found)


class Folder:
    """The newcomer's folder and the `pulumi` they run there (a Pulumi home of its own)."""

    def __init__(self, pulumi: Path, where: Path) -> None:
        self.where = where
        self.pulumi = pulumi
        home = where.parent / "pulumi-home"
        home.mkdir()
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "SEGMENT_"))
        }
        self.env.update(
            PATH=f"{pulumi.parent}{os.pathsep}{os.environ['PATH']}",
            PULUMI_HOME=str(home),
            PULUMI_CONFIG_PASSPHRASE="choose one",
            PULUMI_SKIP_UPDATE_CHECKS="true",
        )

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.pulumi), *args, "--non-interactive"],
            cwd=self.where,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if check and done.returncode != 0:
            raise PulumiCliError(args, done)
        return done

    def python(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.where / "venv" / "bin" / "python"), *args],
            cwd=self.where,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()


@pytest.fixture
def emulator_of(tmp_path: Path) -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        process.terminate()
        process.communicate(timeout=30)


def start_emulator(folder: Folder, started: list[subprocess.Popen[str]]) -> dict[str, str]:
    """`.emulator/bin/segment-emulator serve --seed example` (port 0 here: tests share the
    machine); the settings it prints."""
    command = [str(folder.where / ".emulator" / "bin" / "segment-emulator"), "serve"]
    process = subprocess.Popen(
        [*command, "--port", "0", "--seed", "example"],
        cwd=folder.where,
        env=folder.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    started.append(process)
    assert process.stdout is not None
    printed: dict[str, str] = {}
    while len(printed) < 3:
        line = process.stdout.readline()
        assert line, "the emulator exited before printing its settings"
        key, _, value = line.strip().partition("=")
        printed[key] = value
    return printed


def test_the_getting_started_page_from_a_wheel_in_a_fresh_folder(
    pulumi_bin: Path, tmp_path: Path, emulator_of: list[subprocess.Popen[str]]
) -> None:
    began = time.monotonic()
    files = page_files()
    wheel, _ = build_wheel(tmp_path / "dist")
    folder = Folder(pulumi_bin, tmp_path / "unify")
    folder.where.mkdir()

    # 2. The three files, the virtualenv, a local backend.
    (folder.where / "Pulumi.yaml").write_text(files["Pulumi.yaml"])
    requirements = files["requirements.txt"].replace(WHEEL_ON_PAGE, str(wheel))
    assert str(wheel) in requirements
    (folder.where / "requirements.txt").write_text(requirements)
    subprocess.run(
        "python3 -m venv venv && venv/bin/pip install --quiet -r requirements.txt",
        shell=True,
        cwd=folder.where,
        env=folder.env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    # The core install: what `pulumi up` needs, and no web server.
    lean = subprocess.run(
        ["venv/bin/python", "-c", "import fastapi"],
        cwd=folder.where,
        capture_output=True,
        check=False,
    )
    assert lean.returncode != 0, "fastapi is in the program's environment"
    # The page's other choice: `--local` is the account's home (~/.pulumi, which the CLI reads
    # from the user database, not $HOME), shared with whoever else runs there.
    assert "mkdir .state && pulumi login file://$PWD/.state" in PAGE.read_text()
    (folder.where / ".state").mkdir()
    folder.run("login", f"file://{folder.where}/.state")
    # 3. The program.
    (folder.where / "__main__.py").write_text(files["__main__.py"])

    # 4. Config and secrets, on the emulator of the package's `[emulator]` extra.
    page = PAGE.read_text()
    install = f'.emulator/bin/pip install "{WHEEL_ON_PAGE}[emulator]"'
    assert "python3 -m venv .emulator" in page and install in page
    subprocess.run(
        f'python3 -m venv .emulator && .emulator/bin/pip install --quiet "{wheel}[emulator]"',
        shell=True,
        cwd=folder.where,
        env=folder.env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    emulator = start_emulator(folder, emulator_of)
    folder.run("stack", "init", "dev")
    folder.run("config", "set", "spaceSlug", "unified-profiles-dev")
    folder.run("config", "set", "protect", "false")
    folder.run("config", "set", "segment:endpoint", emulator["SEGMENT_PUBLIC_API_URL"])
    folder.run("config", "set", "segment:profileEndpoint", emulator["SEGMENT_PROFILE_API_URL"])
    folder.run("config", "set", "--secret", "segment:token", emulator["SEGMENT_PUBLIC_API_TOKEN"])
    folder.run(
        "config",
        "set",
        "--secret",
        "profileApiToken",
        "pat_FAKE_emulator_unified_profiles_dev_000000",
    )

    # 5. Preview, up, the pack on a trait that breaks a rule, destroy.
    folder.run("preview")
    folder.run("up", "--yes")
    outputs = folder.run("stack", "output", "--json").stdout
    assert '"spaceSlug": "unified-profiles-dev"' in outputs, outputs

    with (folder.where / "__main__.py").open("a") as program:
        program.write("\n" + files["__main__.py (appended)"])
    pack = folder.python("-m", "segment_unify.policies", "--path")
    dev = folder.python("-m", "segment_unify.policies", "--config", "dev")
    assert Path(pack).is_relative_to(folder.where / "venv")
    checked = folder.run("preview", "--policy-pack", pack, "--policy-pack-config", dev)
    shown = " ".join(checked.stdout.split())
    assert "most-frequent-minimum-frequency" in shown, checked.stdout
    assert "first-channel" in shown, checked.stdout

    folder.run("destroy", "--yes")
    left = folder.run("stack", "--show-urns").stdout
    assert "segment:ComputedTrait" not in left, left
    assert (folder.where / ".state" / ".pulumi" / "stacks").is_dir()  # where it keeps state
    print(f"getting-started newcomer path: {time.monotonic() - began:.0f} s")
