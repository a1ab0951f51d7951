"""Drive ``python -m pulumi.dynamic`` over gRPC the way the Pulumi engine does.

Not a referee: it was written by the same hands as the provider, so where both are wrong no test
here sees it; the e2e tier runs Pulumi's own engine (the CLI from ``make pulumi-cli``). Kept where
the real engine cannot serve: the demo's fallback where neither ``go`` nor ``pulumi`` exists; the
protocol and program tiers, which need a provider call at a time (a lost response, a double
delete, a create cut off between two calls) that the CLI gives no handle on; and the benchmark
rows that time single provider steps (the ``CLI:`` rows measure the same paths under the CLI).

``ProviderProcess`` starts the dynamic provider as a subprocess and speaks its real protocol
(Configure, Check, Diff, Create, Read, Update, Delete) with serialized properties, including the
pickled provider in ``__provider``. ``Engine`` adds the engine's step logic on top — check, then
create, or diff and update / replace (create-before-delete unless the provider asks otherwise,
re-checking without olds so autonaming picks a fresh name), refresh and destroy — over an
in-memory state of ``Resource`` records. ``Engine.preview`` is what ``pulumi preview`` asks of
a provider that does not preview its writes, as the dynamic provider does not: check and diff.
Nothing here knows about our resources' internals.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

PROVIDER_KEY = "__provider"


class CheckFailedError(Exception):
    def __init__(self, failures: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {r}" for p, r in failures))
        self.failures = failures


# One event loop for every caller, kept: a new loop costs a socket pair and an epoll object, and
# the engine serializes properties several times per step. Serializing plain values is quick,
# so the callers (the program's thread pool) take turns.
_loop = asyncio.new_event_loop()
_loop_lock = threading.Lock()
# Closed before interpreter teardown, which would otherwise close its sockets first.
atexit.register(_loop.close)


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    with _loop_lock:
        return _loop.run_until_complete(rpc.serialize_properties(dict(props), {}))


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return dict(rpc.deserialize_properties(struct, keep_unknowns=True))


@dataclass
class Diff:
    changes: bool
    replaces: list[str]
    delete_before_replace: bool


# ``python -m pulumi.dynamic`` configures no logging, so only warnings reach stderr (Python's
# last-resort handler). With a level, the same module runs after ``logging.basicConfig``.
_LOGGING_BOOTSTRAP = (
    "import logging, runpy, sys; "
    "logging.basicConfig(level=sys.argv[1], stream=sys.stderr, "
    "format='%(levelname)s %(name)s: %(message)s'); "
    "runpy.run_module('pulumi.dynamic', run_name='__main__', alter_sys=True)"
)


class ProviderProcess:
    """One ``python -m pulumi.dynamic`` subprocess and a gRPC channel to it.

    ``log_level`` (``"DEBUG"``...) has every logger of the process write to its stderr at that
    level; ``close()`` returns what it wrote.
    """

    def __init__(self, env: Mapping[str, str] | None = None, log_level: str | None = None) -> None:
        full_env = {**os.environ, **(env or {})}
        command = [sys.executable, "-m", "pulumi.dynamic"]
        if log_level is not None:
            command = [sys.executable, "-c", _LOGGING_BOOTSTRAP, log_level]
        self.proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env
        )
        # Drained as it comes: a full pipe would block the provider mid-call.
        self._stderr: list[bytes] = []
        self._stderr_reader = threading.Thread(
            target=self._drain_stderr, name="provider-stderr", daemon=True
        )
        self._stderr_reader.start()
        assert self.proc.stdout is not None
        port = int(self.proc.stdout.readline().decode().strip())
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)
        self.calls: list[str] = []
        self._closed: str | None = None

    def _drain_stderr(self) -> None:
        stream = self.proc.stderr
        assert stream is not None
        for line in stream:
            self._stderr.append(line)

    def close(self) -> str:
        """Stop the process; returns what it wrote to stderr (its log). Idempotent."""
        if self._closed is not None:
            return self._closed
        self.channel.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr_reader.join(timeout=10)
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self.proc.stdout.close()
        self.proc.stderr.close()
        self._closed = b"".join(self._stderr).decode(errors="replace")
        return self._closed

    def __enter__(self) -> ProviderProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def configure(self, config: Mapping[str, Any]) -> None:
        self.calls.append("Configure")
        self.stub.Configure(
            provider_pb2.ConfigureRequest(args=to_struct(config), acceptSecrets=True)
        )

    def check(
        self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        self.calls.append("Check")
        resp = self.stub.Check(
            provider_pb2.CheckRequest(urn=urn, olds=to_struct(olds), news=to_struct(news))
        )
        return from_struct(resp.inputs), [(f.property, f.reason) for f in resp.failures]

    def diff(self, urn: str, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
        self.calls.append("Diff")
        resp = self.stub.Diff(
            provider_pb2.DiffRequest(id=id_, urn=urn, olds=to_struct(olds), news=to_struct(news))
        )
        return Diff(
            changes=resp.changes == provider_pb2.DiffResponse.DIFF_SOME,
            replaces=list(resp.replaces),
            delete_before_replace=resp.deleteBeforeReplace,
        )

    def create(self, urn: str, props: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        self.calls.append("Create")
        resp = self.stub.Create(provider_pb2.CreateRequest(urn=urn, properties=to_struct(props)))
        return resp.id, from_struct(resp.properties)

    def read(
        self, urn: str, id_: str, props: Mapping[str, Any], inputs: Mapping[str, Any] | None = None
    ) -> tuple[str, dict[str, Any], dict[str, Any]]:
        self.calls.append("Read")
        resp = self.stub.Read(
            provider_pb2.ReadRequest(
                id=id_, urn=urn, properties=to_struct(props), inputs=to_struct(inputs or {})
            )
        )
        return resp.id, from_struct(resp.properties), from_struct(resp.inputs)

    def update(
        self, urn: str, id_: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> dict[str, Any]:
        self.calls.append("Update")
        resp = self.stub.Update(
            provider_pb2.UpdateRequest(id=id_, urn=urn, olds=to_struct(olds), news=to_struct(news))
        )
        return from_struct(resp.properties)

    def delete(self, urn: str, id_: str, props: Mapping[str, Any]) -> None:
        self.calls.append("Delete")
        self.stub.Delete(provider_pb2.DeleteRequest(id=id_, urn=urn, properties=to_struct(props)))


@dataclass
class Resource:
    """What the engine keeps in state for one resource."""

    urn: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]


@dataclass
class Engine:
    """The engine's step logic for dynamic resources, over one provider process.

    Safe to call from several threads at once for different resources, as the engine is.
    """

    provider: ProviderProcess
    state: dict[str, Resource] = field(default_factory=dict)
    steps: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def step(self, kind: str, urn: str) -> None:
        with self.lock:
            self.steps.append((kind, urn))

    @staticmethod
    def urn(type_: str, name: str) -> str:
        return f"urn:pulumi:test::project::{type_}::{name}"

    def up(self, type_: str, name: str, props: Mapping[str, Any]) -> Resource:
        """Register one resource: create, update, replace or leave it, as `pulumi up` would."""
        urn = self.urn(type_, name)
        old = self.state.get(urn)
        inputs, failures = self.provider.check(urn, old.inputs if old else {}, props)
        if failures:
            raise CheckFailedError(failures)
        if old is None:
            return self._create(urn, inputs)
        diff = self.provider.diff(urn, old.id, old.outputs, inputs)
        if diff.replaces:
            inputs, failures = self.provider.check(urn, {}, props)
            if failures:
                raise CheckFailedError(failures)
            if diff.delete_before_replace:
                self.provider.delete(urn, old.id, old.outputs)
                del self.state[urn]
                self.step("delete-replaced", urn)
                return self._create(urn, inputs, step="replace")
            new = self._create(urn, inputs, step="replace")
            self.provider.delete(urn, old.id, old.outputs)
            self.step("delete-replaced", urn)
            return new
        if diff.changes:
            outs = self.provider.update(urn, old.id, old.outputs, inputs)
            res = Resource(urn, old.id, inputs, outs)
            self.state[urn] = res
            self.step("update", urn)
            return res
        self.step("same", urn)
        old.inputs = inputs
        return old

    def preview(self, type_: str, name: str, props: Mapping[str, Any]) -> Resource:
        """Plan one registration as ``pulumi preview`` does: check, and diff against state.

        Nothing is created, updated or deleted and state is left as it is. The planned resource
        is the one in state when nothing changes; otherwise the checked inputs stand for its
        outputs (what the provider computes is unknown until ``up``), with an empty id (unknown)
        for a create or a replacement. Steps are recorded as ``would-create``,
        ``would-update``, ``would-replace`` and ``same``.
        """
        urn = self.urn(type_, name)
        old = self.state.get(urn)
        inputs, failures = self.provider.check(urn, old.inputs if old else {}, props)
        if failures:
            raise CheckFailedError(failures)
        if old is None:
            self.step("would-create", urn)
            return Resource(urn, "", inputs, dict(inputs))
        diff = self.provider.diff(urn, old.id, old.outputs, inputs)
        if diff.replaces:
            inputs, failures = self.provider.check(urn, {}, props)
            if failures:
                raise CheckFailedError(failures)
            self.step("would-replace", urn)
            return Resource(urn, "", inputs, dict(inputs))
        if diff.changes:
            self.step("would-update", urn)
            return Resource(urn, old.id, inputs, dict(inputs))
        self.step("same", urn)
        return old

    def _create(self, urn: str, inputs: dict[str, Any], step: str = "create") -> Resource:
        id_, outs = self.provider.create(urn, inputs)
        res = Resource(urn, id_, inputs, outs)
        self.state[urn] = res
        self.step(step, urn)
        return res

    def refresh_all(self) -> list[str]:
        """``pulumi refresh``: read every resource in state; returns the URNs dropped as gone."""
        return [urn for urn in list(self.state) if self.refresh(urn) is None]

    def refresh(self, urn: str) -> Resource | None:
        res = self.state[urn]
        id_, outs, inputs = self.provider.read(urn, res.id, res.outputs, res.inputs)
        if not id_:
            del self.state[urn]
            self.step("refresh-deleted", urn)
            return None
        res.outputs = outs
        if inputs:
            res.inputs = inputs
        self.step("refresh", urn)
        return res

    def import_(self, type_: str, name: str, id_: str, provider_blob: str) -> Resource | None:
        """``ResourceOptions(import_=id)``: a read from the id and the pickled provider alone."""
        urn = self.urn(type_, name)
        got, outs, inputs = self.provider.read(urn, id_, {PROVIDER_KEY: provider_blob})
        if not got:
            return None
        res = Resource(urn, got, inputs, outs)
        self.state[urn] = res
        return res

    def destroy(self, urn: str) -> None:
        res = self.state.pop(urn)
        self.provider.delete(urn, res.id, res.outputs)
        self.step("delete", urn)


def provider_blob(provider: object) -> str:
    """The base64 dill pickle the program puts in ``__provider``."""
    return str(serialize_provider(provider))
