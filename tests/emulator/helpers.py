"""Shared pieces of the contract tests: the target, object factories, error assertions."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator

REAL_TOKEN_ENV = "SEGMENT_REAL_TOKEN"
REAL_URL_ENV = "SEGMENT_REAL_API_URL"
REAL_SPACE_ENV = "SEGMENT_REAL_SPACE_ID"
DEFAULT_REAL_URL = "https://api.segmentapis.com"

SEGMENT_PROFILES = "639c2dbb1309fdcad13951b6"
SEND_IDENTIFY = "vm2tNA5U1zxUusQkdC4D7Z"
JAVASCRIPT = "IqDTy1TpoU"
SALESFORCE = "2baks93n"
RETL_BIGQUERY = "78PbvP2yv8"
POSTGRES_WAREHOUSE = "55d3d3aea3c"
SNOWFLAKE_WAREHOUSE = "CCIl4HLQPz"


def real_mode() -> bool:
    return bool(os.environ.get(REAL_TOKEN_ENV))


class PacedTransport(httpx.BaseTransport):
    """Waits out Segment's 429s (`msBeforeNext`) and retries, for runs against a real
    workspace, where limits such as 5 subscription writes a minute span several tests."""

    def __init__(self, inner: httpx.BaseTransport, max_waits: int = 5) -> None:
        self.inner = inner
        self.max_waits = max_waits

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(self.max_waits):
            response = self.inner.handle_request(request)
            if response.status_code != 429:
                return response
            response.read()
            try:
                wait_ms = float(response.json()["errors"][0]["data"]["msBeforeNext"])
            except (ValueError, KeyError, IndexError, TypeError):
                wait_ms = 60_000.0
            response.close()
            time.sleep(min(wait_ms, 60_000.0) / 1000 + 0.1)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@dataclass
class Target:
    """Where the contract tests send requests, and what they leave to clean up."""

    client: httpx.Client
    emulator: InProcessEmulator | None
    cleanups: list[Callable[[], Any]] = field(default_factory=list)

    @property
    def is_real(self) -> bool:
        return self.emulator is None

    def require_emulator(self, why: str) -> InProcessEmulator:
        if self.emulator is None:
            pytest.skip(f"needs the emulator: {why}")
        return self.emulator

    def created(self, path: str) -> None:
        """Delete `path` when the test ends (ignoring a 404: the test deleted it already)."""
        self.cleanups.append(lambda: self.client.delete(path))

    def create(self, path: str, body: dict[str, Any], key: str, *, status: int) -> dict[str, Any]:
        """POST ``body`` to ``path``, expecting ``status`` (Segment answers some creates with
        201, others with 200); the object made, ``data.<key>``, deleted when the test ends."""
        response = self.client.post(path, json=body)
        assert response.status_code == status, response.text
        made: dict[str, Any] = response.json()["data"][key]
        self.created(f"{path}/{made['id']}")
        return made

    def space_id(self) -> str:
        if self.is_real and os.environ.get(REAL_SPACE_ENV):
            return os.environ[REAL_SPACE_ENV]
        spaces = self.client.get("/spaces").json()["data"]["spaces"]
        if not spaces:
            pytest.skip("the workspace has no Unify space, and the Public API cannot create one")
        return str(spaces[0]["id"])


def cleaned_up(target: Target) -> Iterator[Target]:
    """``target`` for one test; then what the test made is deleted, the last made first (a
    child before its parent)."""
    try:
        yield target
    finally:
        for cleanup in reversed(target.cleanups):
            cleanup()


def unique(prefix: str) -> str:
    return f"{prefix}-{os.urandom(4).hex()}"


def create_source(target: Target, metadata_id: str = JAVASCRIPT, **extra: Any) -> dict[str, Any]:
    body = {"slug": unique("contract"), "enabled": True, "metadataId": metadata_id} | extra
    return target.create("/sources", body, "source", status=201)


def create_warehouse(
    target: Target, metadata_id: str = POSTGRES_WAREHOUSE, **extra: Any
) -> dict[str, Any]:
    settings = {
        "hostname": "db.example.com",
        "port": "5432",
        "database": "segment",
        "username": "segment",
        "password": "s3cret-password",
    }
    body = {"metadataId": metadata_id, "settings": settings, "disconnectAllSources": True} | extra
    return target.create("/warehouses", body, "warehouse", status=201)


def create_retl_chain(target: Target) -> dict[str, Any]:
    """A Reverse ETL source, a model on it, and a Segment Profiles destination on it."""
    source = create_source(target, RETL_BIGQUERY)
    model_body = {
        "sourceId": source["id"],
        "name": "Accounts",
        "description": "Salesforce accounts",
        "enabled": True,
        "query": "SELECT * FROM salesforce.accounts",
        "queryIdentifierColumn": "id",
    }
    model = target.create("/reverse-etl-models", model_body, "reverseEtlModel", status=201)
    destination = create_destination(target, source["id"])
    return {"source": source, "model": model, "destination": destination}


def create_destination(target: Target, source_id: str) -> dict[str, Any]:
    body = {"sourceId": source_id, "metadataId": SEGMENT_PROFILES, "settings": {}, "enabled": True}
    return target.create("/destinations", body, "destination", status=200)


def assert_error(
    response: httpx.Response, status: int, error_type: str, field: str | None = None
) -> dict[str, Any]:
    """The response is Segment's error envelope with this status, type and field."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"errors"}, body
    error: dict[str, Any] = body["errors"][0]
    assert error["type"] == error_type, error
    assert isinstance(error["message"], str) and error["message"], error
    if field is not None:
        assert error.get("field") == field, error
    return error
