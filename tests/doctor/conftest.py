"""The demo's healthy setup, made once per test session: the example stack (dev) run through
``localrun`` against an in-process emulator, its warehouse a throwaway PostgreSQL on loopback,
then the demo's data steps (``demo_profile.show_customer``: the Reverse ETL model synced once,
the website and Flex sources connected and sending). Each test then runs ``segment-unify doctor``
in this process against it over loopback HTTP, as a user would, and reads its JSON."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from segment_unify import demo
from segment_unify.cli.main import main
from segment_unify.demo_profile import show_customer
from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.local_postgres import LocalPostgres, PostgresUnavailableError, running_postgres

SPACE = "unified-profiles-dev"
CUSTOMER = "001A0000AdaLvl"


@dataclass
class Setup:
    emulator: InProcessEmulator
    warehouse: LocalPostgres
    outputs: dict[str, Any]

    def doctor(
        self, monkeypatch: pytest.MonkeyPatch, *extra: str, profile_token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """``segment-unify doctor --json`` against the emulator: exit code and report
        (``profile_token``: the seed's when None, none when empty)."""
        env = {
            "SEGMENT_PUBLIC_API_TOKEN": self.emulator.token,
            "SEGMENT_PUBLIC_API_URL": self.emulator.url,
            "SEGMENT_PROFILE_API_URL": self.emulator.profile_url,
            "SEGMENT_PROFILE_API_TOKEN": demo.seed_token("dev")
            if profile_token is None
            else profile_token,
        }
        for key, value in env.items():
            if value:
                monkeypatch.setenv(key, value)
            else:  # "": none given (say, to take the stack's)
                monkeypatch.delenv(key, raising=False)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["doctor", "--space", SPACE, "--json", *extra])
        return code, json.loads(out.getvalue())


def statuses(report: dict[str, Any]) -> dict[str, str]:
    return {check["id"]: check["status"] for check in report["checks"]}


def failed(report: dict[str, Any]) -> dict[str, str]:
    return {c["id"]: c["seen"] for c in report["checks"] if c["status"] == "FAIL"}


def stack_outputs_locally(emulator: InProcessEmulator, warehouse: LocalPostgres) -> dict[str, Any]:
    config = demo.stack_config("dev", demo.seed_token("dev")) | demo.warehouse_config(warehouse)
    endpoints = {
        "segment:endpoint": emulator.url,
        "segment:profileEndpoint": emulator.profile_url,
        "segment:token": emulator.token,
    }
    with contextlib.redirect_stdout(io.StringIO()):
        return demo.run_locally("dev", config, endpoints)


@pytest.fixture(scope="session")
def postgres() -> Iterator[LocalPostgres]:
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailableError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def healthy(postgres: LocalPostgres) -> Iterator[Setup]:
    with running_emulator(seed=demo.SEED) as emulator:
        outputs = stack_outputs_locally(emulator, postgres)
        with contextlib.redirect_stdout(io.StringIO()):
            show_customer(emulator.url, emulator.token, demo.seed_token("dev"), outputs, postgres)
        yield Setup(emulator, postgres, outputs)
