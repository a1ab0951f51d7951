"""Secrets audit: after the example stack's whole lifecycle against the emulator, where do the
Segment Public API token, the space's Profile API token and the warehouse password appear?

The lifecycle runs through localrun (the program under Pulumi's mocks, every Segment object
through the real ``python -m pulumi.dynamic`` process over gRPC, with every logger of that
process at DEBUG): an ``up`` that fails (Segment answers 500 to the warehouse's create), an
``up`` that completes, an ``up`` that changes nothing, a changed config (warehouse database, sync
interval, a source's name), a refresh, failing creates and checks of the resources that take the
secrets (a token for an unknown space, the Profile API down, bad warehouse settings, a warehouse
create whose connection drops, one whose answer is lost and is adopted), and a destroy.

Places, and what each may hold:

- state, every snapshot between steps: an input may hold a secret only if the program passed it
  as a secret; an output only if it is in the resource's ``additional_secret_outputs`` or named
  like a secret input (the engine copies secretness from inputs to same-named outputs for
  providers that accept no secrets). Pulumi encrypts those; everything else, ids included, it
  writes as plain text. Stack outputs: only those exported as secrets.
- ``__provider``: the decoded pickle and the object it loads to hold none, and the pickle is
  under 4 KB.
- logs: the provider process's stderr at DEBUG (httpx and every other logger too) and the test
  process's records at DEBUG (the program, the in-process emulator): none.
- error messages (failed runs, gRPC errors, check failures): none.
- the emulator's request log. The emulator redacts Authorization headers, so neither token may
  appear anywhere in it. The warehouse password is sent to Segment, by design, in the bodies of
  the writes that store it (POST/PATCH of warehouses, of sources, which include the Reverse ETL
  source's login, and of the Profiles Sync warehouse); those bodies are a row of their own where
  only the password is allowed. Headers, paths, queries and all other bodies: none.
- reprs and strs of the clients and settings built with the secrets, and of the input models
  that carry them: none.

The table is printed (``pytest -s`` shows it). The test asserts zero wherever a secret must not
be, and that the secrets were found where they must be, so the search is shown to work.
"""

from __future__ import annotations

import base64
import copy
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import dill
import grpc
import pytest

from segment_unify import demo
from segment_unify.emulator.ratelimits import WINDOW_SECONDS
from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.localrun.engine import (
    PROVIDER_KEY,
    CheckFailedError,
    Engine,
    ProviderProcess,
    Resource,
)
from segment_unify.localrun.program import Registration, RunResult, destroy_all, run_program
from segment_unify.provider import config as provider_config
from segment_unify.provider._constants import (
    ENV_LIST_WAIT,
    ENV_RATE_LIMIT_WINDOW,
    LIST_WAIT_SECONDS,
)
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.profile_client import ProfileClient
from segment_unify.provider.resources.profile_api_token import ProfileApiToken
from segment_unify.provider.resources.profiles_warehouse import ProfilesWarehouse
from segment_unify.provider.resources.source import Source
from segment_unify.provider.resources.warehouse import Warehouse
from tests.conftest import SEED_PATH
from tests.protocol.cases import props_of
from tests.security.audit import SecretAudit

pytestmark = pytest.mark.timeout(280)

TOKEN, PROFILE_TOKEN, PASSWORD = "Segment token", "Profile API token", "warehouse password"
ALL = (TOKEN, PROFILE_TOKEN, PASSWORD)
MAX_PROVIDER_PICKLE = 4096
SECRET_CONFIG = [k for k in demo.SECRET_KEYS if not k.startswith("segment:")]
# The writes whose body hands Segment a warehouse credential.
CREDENTIAL_WRITES = re.compile(r"^/(warehouses|sources|spaces/[^/]+/profiles-warehouses)(/[^/]+)?$")
WAREHOUSE_KEY = f"{demo.PROJECT}:warehouse"
TIME_SCALE = 10.0


def _password(profile_token: str) -> str:
    secrets = demo.demo_secrets(profile_token)[f"{demo.PROJECT}:warehouseSecrets"]
    return str(json.loads(secrets)["password"])


@dataclass
class Lifecycle:
    """The example stack's runs on one engine, and what they left to audit."""

    engine: Engine
    runs: list[RunResult] = field(default_factory=list)
    snapshots: list[dict[str, Resource]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def up(self, config: dict[str, Any]) -> RunResult:
        result = run_program(
            demo.EXAMPLE / "__main__.py",
            self.engine,
            config=config,
            secret_keys=SECRET_CONFIG,
            project=demo.PROJECT,
            stack="dev",
        )
        self.runs.append(result)
        self.snapshot()
        return result

    def failing_up(self, config: dict[str, Any], match: str) -> None:
        # The runtime re-raises a failed registration as a plain Exception.
        with pytest.raises(Exception, match=match) as failed:
            self.up(config)
        self.errors.append(str(failed.value))
        self.snapshot()

    def snapshot(self) -> None:
        self.snapshots.append(
            {
                urn: Resource(r.urn, r.id, copy.deepcopy(r.inputs), copy.deepcopy(r.outputs))
                for urn, r in self.engine.state.items()
            }
        )

    def registrations(self) -> dict[tuple[str, str], Registration]:
        """By (type, name): every run registers the same program, so the last one is kept."""
        return {(r.type, r.name): r for run in self.runs for r in run.registrations}

    def expect_error(self, step: Callable[[], object]) -> None:
        """Run a step that must fail; keep what the engine (and a person) would be shown."""
        with pytest.raises((grpc.RpcError, CheckFailedError)) as failed:
            step()
        error = failed.value
        self.errors.append(str(error))
        if isinstance(error, grpc.RpcError):
            self.errors.append(str(error.details()))  # type: ignore[attr-defined]
        else:
            self.errors.extend(f"{path}: {reason}" for path, reason in error.failures)


@pytest.fixture
def emulator() -> Iterator[InProcessEmulator]:
    # Segment's clock 10x faster, and the provider's pacing and list wait with it: the failing
    # steps meet Segment's limits (warehouse operations 2 a minute) and a dropped create's list
    # wait without waiting minutes of real time.
    with running_emulator(seed=SEED_PATH, time_scale=TIME_SCALE) as handle:
        yield handle


@pytest.fixture
def provider(emulator: InProcessEmulator) -> Iterator[ProviderProcess]:
    # The token reaches the process only through Configure, as from `segment:token`.
    env = {
        "SEGMENT_PUBLIC_API_TOKEN": "",
        "SEGMENT_PUBLIC_API_URL": "",
        "SEGMENT_PROFILE_API_URL": "",
        ENV_RATE_LIMIT_WINDOW: repr(WINDOW_SECONDS / TIME_SCALE),
        ENV_LIST_WAIT: repr(LIST_WAIT_SECONDS / TIME_SCALE),
    }
    with ProviderProcess(env, log_level="DEBUG") as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": emulator.url,
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        yield proc


def _changed(config: dict[str, Any]) -> dict[str, Any]:
    """The dev stack's config with the warehouse's database, the sync interval and the
    website source's name changed."""
    changed = dict(config)
    warehouse = json.loads(changed[WAREHOUSE_KEY])
    warehouse["settings"]["database"] = "analytics_dev_v2"
    changed[WAREHOUSE_KEY] = json.dumps(warehouse)
    changed[f"{demo.PROJECT}:syncInterval"] = "2h"
    sources = json.loads(changed[f"{demo.PROJECT}:sources"])
    sources[0]["name"] = "Website (dev, renamed)"
    changed[f"{demo.PROJECT}:sources"] = json.dumps(sources)
    return changed


def _failing_steps(life: Lifecycle, emulator: InProcessEmulator, profile_token: str) -> None:
    """Creates and checks of the resources that take the secrets, failing in every way they can
    here, on an engine of their own (the stack's state is left alone)."""
    side = Engine(life.engine.provider)
    space_id = emulator.client().get("/spaces").json()["data"]["spaces"][0]["id"]
    credentials = {
        "hostname": "side.example",
        "port": "5432",
        "database": "side",
        "username": "side",
        "password": _password(profile_token),
    }

    def token(name: str, **args: Any) -> Callable[[], object]:
        props = props_of(ProfileApiToken, name, **args)
        return lambda: side.up(ProfileApiToken.type_token(), name, props)

    def warehouse(name: str, **args: Any) -> Callable[[], object]:
        props = props_of(Warehouse, name, catalog_slug="postgres", **args)
        return lambda: side.up(Warehouse.type_token(), name, props)

    life.expect_error(token("unknown-space", space_id="spa_no_such_space", token=profile_token))
    emulator.set_faults([{"kind": "server_error", "path": "^/profile-api/", "status": 503}])
    life.expect_error(token("profile-api-down", space_id=space_id, token=profile_token))
    emulator.clear_faults()
    life.expect_error(token("bad-space-id", space_id=42, token=profile_token))
    life.expect_error(warehouse("named-twice", settings={**credentials, "name": "x"}))
    life.expect_error(warehouse("bad-enabled", enabled="sometimes", settings=credentials))
    emulator.set_faults([{"kind": "drop", "method": "POST", "path": "^/warehouses$"}])
    life.expect_error(warehouse("dropped", settings=credentials))
    # A create whose answer is lost is found and adopted (a warning in the log), then deleted.
    emulator.set_faults([{"kind": "lost_response", "method": "POST", "path": "^/warehouses$"}])
    adopted = warehouse("adopted", settings=credentials)()
    emulator.clear_faults()
    assert isinstance(adopted, Resource)
    side.destroy(adopted.urn)


def _audit_state(audit: SecretAudit, life: Lifecycle) -> set[str]:
    """State rows; returns the ``__provider`` blobs seen."""
    registrations = life.registrations()
    blobs: set[str] = set()
    for snapshot in life.snapshots:
        for res in snapshot.values():
            _, _, type_, name = res.urn.split("::")
            reg = registrations.get((type_, name))
            secret_in = set(reg.secret_inputs) if reg else set()
            secret_out = secret_in | set(reg.secret_outputs) if reg else set()
            audit.add("state: ids", {res.urn: res.id})
            for kind, values, secret in (
                ("inputs", res.inputs, secret_in),
                ("outputs", res.outputs, secret_out),
            ):
                for key, value in values.items():
                    if key == PROVIDER_KEY:
                        blobs.add(value)
                    elif key in secret:
                        audit.add(f"state: {kind} Pulumi encrypts", {res.urn: {key: value}}, ALL)
                    else:
                        audit.add(f"state: {kind} in plain text", {res.urn: {key: value}})
    for run in life.runs:
        for key, value in run.outputs.items():
            if key in run.secret_outputs:
                audit.add("stack outputs: secret", {key: value}, ALL)
            else:
                audit.add("stack outputs: plain", {key: value})
    return blobs


def _audit_provider_blobs(audit: SecretAudit, blobs: set[str]) -> None:
    assert blobs
    for blob in blobs:
        pickle = base64.b64decode(blob)
        assert len(pickle) < MAX_PROVIDER_PICKLE, len(pickle)
        loaded = dill.loads(pickle)
        audit.add("__provider (pickle, loaded object)", blob)
        audit.add("__provider (pickle, loaded object)", pickle)
        audit.add("__provider (pickle, loaded object)", f"{loaded!r} {vars(loaded)!r}")


def _audit_request_log(audit: SecretAudit, emulator: InProcessEmulator) -> None:
    entries = emulator.request_log()
    assert entries
    for entry in entries:
        body = entry.pop("body", None)
        assert entry["headers"].get("authorization", "[REDACTED]").endswith("[REDACTED]")
        audit.add("request log: headers, paths, queries", entry)
        if body is None:
            continue
        if entry["method"] in ("POST", "PATCH") and CREDENTIAL_WRITES.match(entry["path"]):
            audit.add("request log: bodies of credential writes", body, (PASSWORD,))
        else:
            audit.add("request log: other bodies", body)


def _audit_reprs(audit: SecretAudit, emulator: InProcessEmulator, profile_token: str) -> None:
    password = _password(profile_token)
    settings = provider_config.resolve(token=emulator.token, endpoint=emulator.url)
    credentials = {"hostname": "h", "username": "u", "password": password}
    with SegmentClient(emulator.token, base_url=emulator.url) as client:
        profiles = ProfileClient(profile_token, base_url=emulator.profile_url)
        for obj in (client, profiles, settings, settings.token):
            audit.add("reprs: clients and settings", f"{obj!r} {obj!s}")
        profiles.close()
    # The input models check derives from each resource's declaration.
    models = [
        ProfileApiToken._segment_provider.inputs_model(space_id="spa_1", token=profile_token),
        Warehouse._segment_provider.inputs_model(
            catalog_slug="postgres", name="dw", settings=credentials
        ),
        ProfilesWarehouse._segment_provider.inputs_model(
            space_id="spa_1", catalog_slug="postgres", name="sync", settings=credentials
        ),
        Source._segment_provider.inputs_model(
            catalog_slug="postgres", slug="retl", settings=credentials
        ),
    ]
    for model in models:
        audit.add("reprs: input models", f"{model!r} {model!s}")


def test_secrets_audit(
    emulator: InProcessEmulator, provider: ProviderProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    profile_token = demo.seed_token("dev")
    audit = SecretAudit(
        {TOKEN: emulator.token, PROFILE_TOKEN: profile_token, PASSWORD: _password(profile_token)}
    )
    # The search itself: raw, and as HTTP Basic credentials.
    basic = base64.b64encode(f"{profile_token}:".encode()).decode()
    assert audit.count({"h": f"Bearer {emulator.token}", "b": f"Basic {basic}"}) == {
        TOKEN: 1,
        PROFILE_TOKEN: 1,
        PASSWORD: 0,
    }

    life = Lifecycle(Engine(provider))
    config = demo.stack_config("dev", profile_token)
    emulator.set_faults([{"kind": "server_error", "method": "POST", "path": "^/warehouses$"}])
    life.failing_up(config, match="CreateWarehouse POST /warehouses failed: 503")
    emulator.clear_faults()
    life.up(config)
    mark = len(life.engine.steps)
    life.up(config)
    assert {kind for kind, _ in life.engine.steps[mark:]} == {"same"}
    mark = len(life.engine.steps)
    life.up(_changed(config))
    assert "update" in {kind for kind, _ in life.engine.steps[mark:]}
    assert life.engine.refresh_all() == []
    life.snapshot()
    _failing_steps(life, emulator, profile_token)
    assert destroy_all(life.engine)
    life.snapshot()
    stderr = provider.close()

    blobs = _audit_state(audit, life)
    _audit_provider_blobs(audit, blobs)
    assert "DEBUG segment_unify.client" in stderr and "adopting" in stderr
    audit.add("log: provider process stderr (DEBUG)", stderr)
    audit.add("log: test process records (DEBUG)", caplog.text)
    assert len(life.errors) >= 8
    for error in life.errors:
        audit.add("error messages", error)
    _audit_request_log(audit, emulator)
    _audit_reprs(audit, emulator, profile_token)

    table = audit.table()
    print(f"\nSecrets found, by place:\n{table}")
    assert audit.leaks() == {}, table
    # Where they must be: Pulumi's encrypted state, and what Segment was asked to store.
    assert audit.found("state: inputs Pulumi encrypts", PROFILE_TOKEN) > 0, table
    assert audit.found("state: outputs Pulumi encrypts", PASSWORD) > 0, table
    assert audit.found("stack outputs: secret", PROFILE_TOKEN) > 0, table
    assert audit.found("request log: bodies of credential writes", PASSWORD) > 0, table
