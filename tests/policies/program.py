"""Run a Pulumi program under mocks and keep each resource as the engine hands it to analyzers.

The program instantiates our real resource classes. A mock monitor records every registration
(type, name, parent, ``protect``, the serialized inputs); then, as the engine does before it
calls ``Analyze``, each resource's inputs go through its provider's ``check`` the way the
dynamic-provider host runs it (unknowns kept, ``__provider`` put back), giving the properties
the analyzer receives. Values still unknown at preview (outputs of other resources) stay the
engine's unknown marker.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from google.protobuf import struct_pb2
from pulumi.runtime import mocks, rpc
from pulumi.runtime.proto import resource_pb2

from segment_unify import provider

PROVIDER_KEY = "__provider"
_TOKEN_PREFIX = "pulumi-python:dynamic/segment:"


@dataclass
class Registered:
    """One resource as the engine sends it to ``Analyze``/``AnalyzeStack``."""

    type: str
    name: str
    urn: str
    parent: str
    protect: bool
    properties: struct_pb2.Struct
    check_failures: list[tuple[str, str]] = field(default_factory=list)

    def props(self) -> dict[str, Any]:
        return dict(rpc.deserialize_properties(self.properties, keep_unknowns=True))


class _Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


class _RecordingMonitor(mocks.MockMonitor):
    def __init__(self) -> None:
        super().__init__(_Mocks())
        self.requests: list[tuple[str, Any]] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine leaves the root stack's type out of its children's URNs.
        if parent and "::pulumi:pulumi:Stack::" in parent:
            parent = ""
        urn: str = super().make_urn(parent, type_, name)
        return urn

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method)
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.custom:
            self.requests.append((response.urn, request))
        return response


def run_program(
    program: Callable[[], object], *, stack: str = "dev", project: str = "unify"
) -> list[Registered]:
    """Run ``program`` as a preview of ``project``/``stack``; its resources, checked."""
    monitor = _RecordingMonitor()

    def run() -> None:
        pulumi.runtime.set_mocks(
            monitor.mocks, project=project, stack=stack, preview=True, monitor=monitor
        )
        pulumi.runtime.test(program)()  # type: ignore[no-untyped-call]

    # Pulumi's settings and root stack live in context variables: keep them to this program.
    contextvars.copy_context().run(run)
    return [_checked(urn, request) for urn, request in monitor.requests]


def _checked(urn: str, request: resource_pb2.RegisterResourceRequest) -> Registered:
    news = rpc.deserialize_properties(request.object, keep_unknowns=True)
    properties, failures = request.object, []
    if request.type.startswith(_TOKEN_PREFIX):
        resource_class = getattr(provider, request.type[len(_TOKEN_PREFIX) :])
        result = resource_class._segment_provider.check({}, dict(news))
        inputs = dict(result.inputs)
        inputs[PROVIDER_KEY] = news[PROVIDER_KEY]
        properties = to_struct(inputs)
        failures = [(f.property, f.reason) for f in result.failures or []]
    return Registered(
        type=request.type,
        name=request.name,
        urn=urn,
        parent=request.parent,
        protect=bool(request.protect),
        properties=properties,
        check_failures=failures,
    )


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()
