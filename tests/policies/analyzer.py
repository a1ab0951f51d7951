"""pulumi_policy's analyzer servicer behind a loopback gRPC server, spoken to as the engine does.

``Analyzer`` serves the pack's policies with the servicer ``PolicyPack`` starts (the one the
CLI's ``--policy-pack`` talks to) and offers the engine's calls: ``GetAnalyzerInfo``,
``Configure`` (from a ``--policy-pack-config`` JSON document, resolved the way the CLI does:
``"all"`` sets every policy's level, a policy's own entry wins), ``Analyze`` and
``AnalyzeStack``. ``Diagnostic.detail`` is the sentence a policy reported, without the
policy description pulumi_policy puts in front of it.

``Registered`` is a resource as the engine sends it to ``Analyze``: ``analyzed`` takes a
registration that ``segment_unify.localrun`` recorded and, as the engine does before it calls
the analyzer, puts its inputs through its provider's ``check`` the way the dynamic-provider
host runs it (unknowns kept, ``__provider`` put back). Values still unknown at preview
(outputs of other resources) stay the engine's unknown marker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent import futures
from dataclasses import dataclass
from typing import Any

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import proto, rpc
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel, Policy
from pulumi_policy.policy import _PolicyAnalyzerServicer

from segment_unify import provider
from segment_unify.localrun.engine import PROVIDER_KEY, to_struct
from segment_unify.localrun.program import Registration
from segment_unify.policies import DEFAULT_ENFORCEMENT, PACK_DESCRIPTION, PACK_NAME, POLICIES

_TOKEN_PREFIX = "pulumi-python:dynamic/segment:"

_LEVELS = {
    "advisory": proto.ADVISORY,
    "mandatory": proto.MANDATORY,
    "remediate": proto.REMEDIATE,
    "disabled": proto.DISABLED,
}
LEVEL_NAMES = {value: name for name, value in _LEVELS.items()}


@dataclass
class Registered:
    """One resource as the engine sends it to ``Analyze``/``AnalyzeStack``."""

    type: str
    name: str
    urn: str
    parent: str
    protect: bool
    properties: struct_pb2.Struct

    def props(self) -> dict[str, Any]:
        return dict(rpc.deserialize_properties(self.properties, keep_unknowns=True))


def analyzed(registration: Registration) -> Registered:
    """``registration`` with its inputs checked by its provider, as the analyzer receives it."""
    properties = registration.properties
    resource_class = None
    if registration.type.startswith(_TOKEN_PREFIX):
        resource_class = getattr(provider, registration.type.removeprefix(_TOKEN_PREFIX))
    # The stack's identity has no Segment provider: it is checked as registered.
    if resource_class is not None and hasattr(resource_class, "_segment_provider"):
        news = rpc.deserialize_properties(properties, keep_unknowns=True)
        inputs = dict(resource_class._segment_provider.check({}, dict(news)).inputs)
        inputs[PROVIDER_KEY] = news[PROVIDER_KEY]
        properties = to_struct(inputs)
    return Registered(
        type=registration.type,
        name=registration.name,
        urn=registration.urn,
        parent=registration.parent,
        protect=registration.protect,
        properties=properties,
    )


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    message: str
    level: str
    urn: str

    @property
    def detail(self) -> str:
        """What the policy reported (pulumi_policy prefixes the policy's description)."""
        return self.message.split("\n", 1)[1] if "\n" in self.message else ""


class Analyzer:
    """The pack's analyzer servicer on 127.0.0.1, and a stub to call it."""

    def __init__(
        self,
        policies: list[Policy] | None = None,
        enforcement: EnforcementLevel = DEFAULT_ENFORCEMENT,
    ) -> None:
        servicer = _PolicyAnalyzerServicer(
            PACK_NAME, "0.1.0", policies or POLICIES, enforcement, None, PACK_DESCRIPTION
        )
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer, self.server)
        port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)

    def close(self) -> None:
        self.channel.close()
        self.server.stop(None)

    def info(self) -> Any:
        return self.stub.GetAnalyzerInfo(empty_pb2.Empty())

    def configure(self, config: Mapping[str, Any]) -> None:
        """Send a ``--policy-pack-config`` document as the CLI resolves it."""
        request = proto.ConfigureAnalyzerRequest()
        for policy in self.info().policies:
            level = _LEVELS.get(str(config.get("all")), policy.enforcementLevel)
            entry = config.get(policy.name)
            properties: dict[str, Any] = {}
            if isinstance(entry, str):
                level = _LEVELS[entry]
            elif isinstance(entry, Mapping):
                level = _LEVELS.get(str(entry.get("enforcementLevel")), level)
                properties = {k: v for k, v in entry.items() if k != "enforcementLevel"}
            struct = struct_pb2.Struct()
            struct.update(properties)
            request.policyConfig[policy.name].CopyFrom(
                proto.PolicyConfig(enforcementLevel=level, properties=struct)
            )
        self.stub.Configure(request)

    def analyze(self, resource: Registered) -> list[Diagnostic]:
        response = self.stub.Analyze(
            proto.AnalyzeRequest(
                type=resource.type,
                properties=resource.properties,
                urn=resource.urn,
                name=resource.name,
                options=_options(resource),
            )
        )
        return _diagnostics(response, resource.urn)

    def analyze_all(self, resources: Iterable[Registered]) -> list[Diagnostic]:
        return [diagnostic for r in resources for diagnostic in self.analyze(r)]

    def analyze_stack(self, resources: Iterable[Registered]) -> list[Diagnostic]:
        request = proto.AnalyzeStackRequest(
            resources=[
                proto.AnalyzerResource(
                    type=r.type,
                    properties=r.properties,
                    urn=r.urn,
                    name=r.name,
                    options=_options(r),
                    parent=r.parent,
                )
                for r in resources
            ]
        )
        return _diagnostics(self.stub.AnalyzeStack(request), "")


def _options(resource: Registered) -> Any:
    return proto.AnalyzerResourceOptions(protect=resource.protect, parent=resource.parent)


def _diagnostics(response: Any, urn: str) -> list[Diagnostic]:
    return [
        Diagnostic(d.policyName, d.message, LEVEL_NAMES[d.enforcementLevel], d.urn or urn)
        for d in response.diagnostics
    ]
