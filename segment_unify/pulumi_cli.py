"""The Pulumi CLI for the demo, the e2e tests and the benchmarks: found, or built from Go modules.

``locate()`` prefers the CLI that ``tools/build-pulumi-cli.sh`` (``make pulumi-cli``) builds from
Pulumi's published Go modules into ``.tools/pulumi/bin``: it builds it where ``go`` is on PATH
(once; later calls reuse it), else takes a build already there, else ``pulumi`` on PATH (a user's
install from Pulumi's installer). ``LocalBackend`` runs that CLI on a local file backend with a
passphrase secrets provider and a Pulumi home of its own, so nothing reaches a Pulumi account or
the user's ``~/.pulumi``. ``LocalBackend.project`` lays a project out under the work folder (its
files linked, its stack config files copied), because `pulumi stack init` writes the stack's
encryption salt into ``Pulumi.<stack>.yaml`` and the checkout's files must stay as committed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = ROOT / "tools" / "build-pulumi-cli.sh"
BUILT_BIN = ROOT / ".tools" / "pulumi" / "bin"
PROGRAM_VENV_ENV = "SEGMENT_UNIFY_PROGRAM_VENV"


class PulumiCliError(RuntimeError):
    """A `pulumi` command exited non-zero; carries what it printed."""

    def __init__(self, args: Sequence[str], done: subprocess.CompletedProcess[str]) -> None:
        super().__init__(
            f"`pulumi {' '.join(args)}` exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
        self.returncode = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr


# Where Go's own installer puts it; not on every non-login shell's PATH.
GO_FALLBACK = Path("/usr/local/go/bin/go")


def go_binary() -> str | None:
    found = shutil.which("go")
    if found:
        return found
    return str(GO_FALLBACK) if GO_FALLBACK.exists() else None


def build() -> Path | None:
    """Build (or reuse) the CLI from Pulumi's Go modules; None where there is no Go."""
    go = go_binary()
    if go is None or not BUILD_SCRIPT.exists():
        return None
    env = {**os.environ, "PATH": f"{Path(go).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(["bash", str(BUILD_SCRIPT)], check=True, env=env)
    return BUILT_BIN / "pulumi"


def locate(*, build_if_missing: bool = True) -> Path | None:
    """The `pulumi` to run: built here where possible, else the one on PATH, else None."""
    if build_if_missing:
        built = build()
        if built is not None:
            return built
    if (BUILT_BIN / "pulumi").exists():
        return BUILT_BIN / "pulumi"
    found = shutil.which("pulumi")
    return Path(found) if found else None


def why_missing() -> str:
    return (
        "no Pulumi CLI: neither `go` (to build it from Pulumi's Go modules: make pulumi-cli) "
        "nor `pulumi` (Pulumi's installer: curl -fsSL https://get.pulumi.com | sh) is on PATH"
    )


def _absolute_virtualenv(project_file: Path, virtualenv: Path | None = None) -> str:
    """Pulumi.yaml with its `virtualenv` option resolved against where the file really is (or
    set to ``virtualenv``)."""
    import yaml

    doc = yaml.safe_load(project_file.read_text())
    runtime = doc.get("runtime")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    if isinstance(options, dict) and virtualenv is not None:
        options["virtualenv"] = str(virtualenv)
    elif isinstance(options, dict) and isinstance(options.get("virtualenv"), str):
        options["virtualenv"] = str((project_file.parent / options["virtualenv"]).resolve())
    return str(yaml.safe_dump(doc, sort_keys=False))


def session_members(session: int) -> list[int]:
    """Pids of the live processes in ``session`` (Linux's /proc; empty elsewhere)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command: state, ppid, pgrp, session.
        if len(fields) > 3 and fields[3] == str(session) and fields[0] not in ("Z", "X"):
            members.append(int(stat.parent.name))
    return members


class LocalBackend:
    """`pulumi` on a file backend under ``work``, secrets under a passphrase."""

    def __init__(
        self,
        pulumi: Path,
        work: Path,
        *,
        passphrase: str = "local-only",
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.pulumi = pulumi
        self.work = work
        (work / "state").mkdir(parents=True, exist_ok=True)
        (work / "home").mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            # The plugins (language host, dynamic provider) sit beside the CLI.
            "PATH": f"{pulumi.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PULUMI_BACKEND_URL": f"file://{work / 'state'}",
            "PULUMI_HOME": str(work / "home"),
            "PULUMI_CONFIG_PASSPHRASE": passphrase,
            "PULUMI_SKIP_UPDATE_CHECKS": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            # The provider's record of creates it sent and never heard back from (_intents).
            "SEGMENT_UNIFY_STATE_DIR": str(work / "provider-state"),
            **(env or {}),
        }

    def command(self, args: Sequence[str], cwd: Path) -> list[str]:
        return [str(self.pulumi), *args, "--cwd", str(cwd), "--non-interactive"]

    def run(
        self,
        *args: str,
        cwd: Path,
        check: bool = True,
        capture: bool = True,
        timeout: float | None = 900,
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            self.command(args, cwd),
            env=self.env,
            text=True,
            capture_output=capture,
            check=False,
            timeout=timeout,
        )
        if check and done.returncode != 0:
            raise PulumiCliError(args, done)
        return done

    def popen(self, *args: str, cwd: Path) -> subprocess.Popen[str]:
        """Start a command in a session of its own (so a test can kill it alone, or all of it)."""
        return subprocess.Popen(
            self.command(args, cwd),
            env=self.env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @staticmethod
    def kill_all(process: subprocess.Popen[str], *, within: float = 10.0) -> None:
        """Kill what ``popen`` started, every process of its session: the CLI starts its
        plugins (the language host, the dynamic provider) in process groups of their own,
        which a kill of the CLI's group alone leaves running. Killed again until none is
        left (a kill takes a moment, and a dying plugin may have started another)."""
        deadline = time.monotonic() + within
        while True:
            members = session_members(process.pid)
            for pid in members:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if process.poll() is None:
                process.wait()
            if not members or time.monotonic() > deadline:
                return
            time.sleep(0.1)

    def project(self, source: Path, *, virtualenv: Path | None = None) -> Path:
        """``source`` laid out under the work folder: files linked, stack configs copied;
        ``virtualenv`` (else ``$SEGMENT_UNIFY_PROGRAM_VENV``, which `make test-newest` sets to
        its own, so programs and their provider run the newest Pulumi SDK too) replaces the one
        its Pulumi.yaml names."""
        if virtualenv is None and os.environ.get(PROGRAM_VENV_ENV):
            virtualenv = Path(os.environ[PROGRAM_VENV_ENV])
        target = self.work / "projects" / source.name
        if target.exists():
            return target
        target.mkdir(parents=True)
        for entry in source.iterdir():
            if entry.name == "Pulumi.yaml":
                (target / entry.name).write_text(_absolute_virtualenv(entry, virtualenv))
            elif entry.name.startswith("Pulumi."):
                shutil.copyfile(entry, target / entry.name)
            else:
                (target / entry.name).symlink_to(entry)
        return target

    def install(self, project: Path, *, log: Path | None = None) -> None:
        """`pulumi install`: the project's virtualenv, as its Pulumi.yaml asks, once.

        With ``log``, one line says it is happening and where pip's output goes (hundreds of
        lines a person need not read unless it fails; then the error quotes them too).

        Its Python appears before its packages do, so what says it is done is a mark written
        after `pulumi install` succeeded; callers in other processes (test workers, a demo
        beside a test run) wait on a lock instead of using a half-made virtualenv."""
        done = project / "venv" / ".pulumi-install-done"
        if done.exists():
            return
        with open(project / ".pulumi-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not done.exists():
                if log is not None:
                    print(f"`pulumi install`: {project.name}'s virtualenv, once (log: {log})")
                ran = self.run("install", cwd=project, check=False, timeout=1800)
                if log is not None:
                    log.parent.mkdir(parents=True, exist_ok=True)
                    log.write_text(ran.stdout + ran.stderr)
                if ran.returncode != 0:
                    raise PulumiCliError(("install",), ran)
                done.touch()
