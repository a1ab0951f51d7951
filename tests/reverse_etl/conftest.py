"""A PostgreSQL warehouse for the Reverse ETL tests: Debian's server on loopback, one per
session (installed with apt-get first when missing and this process is root, as `.ci/run`
is), with a fresh database per test."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest

from segment_unify.local_postgres import LocalPostgres, PostgresUnavailableError, running_postgres


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[LocalPostgres]:
    try:
        with running_postgres(install=True) as server:
            yield server
    except PostgresUnavailableError as unavailable:
        pytest.skip(f"no PostgreSQL for the Reverse ETL tests: {unavailable}")


@pytest.fixture
def warehouse(postgres_server: LocalPostgres) -> LocalPostgres:
    """A database of its own on the session's server."""
    name = f"wh_{secrets.token_hex(4)}"
    postgres_server.execute(f'CREATE DATABASE "{name}"')
    return LocalPostgres(
        postgres_server.host,
        postgres_server.port,
        name,
        postgres_server.user,
        postgres_server.password,
    )
