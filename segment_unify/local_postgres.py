"""A throwaway PostgreSQL server on loopback, from Debian's packages: the warehouse a Reverse
ETL source reads in tests and in the demo.

:func:`running_postgres` finds PostgreSQL's server programs (``pg_config --bindir``, else
``/usr/lib/postgresql/<version>/bin``), installing Debian's ``postgresql`` with apt-get when
they are missing and ``install=True`` and this process is root; it then ``initdb``s a cluster
in a temporary folder and starts it on 127.0.0.1 and a free port, with a password (scram) for
TCP logins, so the source's credentials are checked. PostgreSQL refuses to run as root: as
root the cluster belongs to, and runs as, the ``postgres`` user Debian's package makes
(``runuser``). The server is stopped and its folder removed on exit.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LocalPostgres", "PostgresUnavailableError", "find_bindir", "running_postgres"]

SERVICE_USER = "postgres"


class PostgresUnavailableError(RuntimeError):
    """PostgreSQL cannot be had here; the message says why and what would give it."""


@dataclass(frozen=True)
class LocalPostgres:
    host: str
    port: int
    database: str
    user: str
    password: str = field(repr=False)

    def settings(self) -> dict[str, Any]:
        """Segment's Postgres warehouse (and Reverse ETL source) settings for this server."""
        return {
            "hostname": self.host,
            "port": str(self.port),
            "database": self.database,
            "username": self.user,
            "password": self.password,
        }

    def conninfo(self) -> str:
        return (
            f"host={self.host} port={self.port} dbname={self.database} "
            f"user={self.user} password={self.password} connect_timeout=10"
        )

    def execute(self, sql: str) -> None:
        """Run SQL statements (a table to sync, rows) as the server's owner."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(sql.encode())


def find_bindir() -> Path | None:
    """Where ``initdb`` and ``pg_ctl`` are, if PostgreSQL's server is installed."""
    for name in ("initdb", "pg_ctl"):
        found = shutil.which(name)
        if found:
            return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


def _install() -> Path:
    if os.geteuid() != 0:
        raise PostgresUnavailableError(
            "PostgreSQL's server is not installed and this process is not root, so it cannot "
            "apt-get install postgresql (run `apt-get install -y postgresql` as root once)"
        )
    if shutil.which("apt-get") is None:
        raise PostgresUnavailableError(
            "PostgreSQL's server is not installed and there is no apt-get"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # Test workers may all find it missing at once; apt-get holds dpkg's lock and fails the
    # others, so one installs and the rest wait, then find what it installed.
    with open(Path(tempfile.gettempdir()) / "segment-unify-postgres-install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        bindir = find_bindir()
        if bindir is not None:
            return bindir
        for command in (
            ["apt-get", "update", "-q"],
            ["apt-get", "install", "-y", "-q", "postgresql"],
        ):
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if done.returncode != 0:
                raise PostgresUnavailableError(f"{' '.join(command)} failed: {done.stderr[-400:]}")
        bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailableError("apt-get installed postgresql but initdb is not found")
    return bindir


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_service_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        raise PostgresUnavailableError(
            "running as root needs runuser to start PostgreSQL as postgres"
        )
    return ["runuser", "-u", SERVICE_USER, "--", *command]


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(
        _as_service_user(command), capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise PostgresUnavailableError(f"{what} failed: {(done.stderr or done.stdout)[-600:]}")


@contextmanager
def running_postgres(install: bool = False, database: str = "warehouse") -> Iterator[LocalPostgres]:
    """A started PostgreSQL server with an empty ``database``; stopped and removed after."""
    bindir = find_bindir() or (_install() if install else None)
    if bindir is None:
        raise PostgresUnavailableError(
            "PostgreSQL's server is not installed (Debian: apt-get install -y postgresql)"
        )
    root = Path(tempfile.mkdtemp(prefix="segment-unify-pg-"))
    user, password = "segment_warehouse", secrets.token_urlsafe(18)
    data, sockets, pwfile = root / "data", root / "sockets", root / "pwfile"
    sockets.mkdir()
    pwfile.write_text(password)
    if os.geteuid() == 0:
        shutil.chown(root, SERVICE_USER)
        for path in (sockets, pwfile):
            shutil.chown(path, SERVICE_USER)
    port = _free_port()
    started = False
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D", str(data),
                "-U", user,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--no-instructions",
            ],
            "initdb",
        )  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off"
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
             "-w", "-t", "60", "start"],
            "pg_ctl start",
        )  # fmt: skip
        started = True
        _run(
            [str(bindir / "psql"), "-h", str(sockets), "-p", str(port), "-U", user, "-d",
             "postgres", "-q", "-c", f'CREATE DATABASE "{database}"'],
            "CREATE DATABASE",
        )  # fmt: skip
        yield LocalPostgres("127.0.0.1", port, database, user, password)
    finally:
        if started:
            subprocess.run(
                _as_service_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)
