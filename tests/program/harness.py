"""Run a Pulumi program under ``pulumi.runtime.set_mocks`` and record what the engine would see.

``SegmentMocks`` answers every registration with its inputs plus plausible values for what
Segment computes (ids, write keys, workspace id and slug), and marks the outputs a resource
lists in ``additional_secret_outputs`` secret, as the engine does. ``RecordingMonitor`` keeps,
per registration, what the language host sent: type, name, parent, dependency URNs, ``protect``
and which inputs were secret. ``run_program`` runs a ``__main__.py`` (with ``runpy``) or a
function in a thread of its own, so each run starts from a fresh Pulumi runtime, and resolves
the stack outputs and whether each is secret.

Not emulated: checks, diffs and Segment itself (the protocol and e2e tiers cover those).
"""

from __future__ import annotations

import asyncio
import json
import os
import runpy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from google.protobuf import struct_pb2
from pulumi.runtime import mocks, rpc

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
DYNAMIC = "pulumi-python:dynamic/segment:"
PROVIDER_KEY = "__provider"


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    dependencies: list[str]
    protect: bool
    secret_inputs: set[str]
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``Source`` for ``pulumi-python:dynamic/segment:Source``; components keep their type."""
        return self.type.removeprefix(DYNAMIC)


@dataclass
class ProgramRun:
    outputs: dict[str, Any]
    secret_outputs: set[str]
    registrations: list[Registration]

    def of_kind(self, kind: str) -> list[Registration]:
        return [r for r in self.registrations if r.kind == kind]

    def one(self, kind: str) -> Registration:
        found = self.of_kind(kind)
        assert len(found) == 1, f"expected one {kind}, got {[r.name for r in found]}"
        return found[0]

    def kinds(self) -> set[str]:
        return {r.kind for r in self.registrations if r.custom}

    def by_urn(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.registrations}

    def ancestors(self, registration: Registration) -> set[str]:
        """Every URN ``registration`` waits for, directly or through others."""
        index = self.by_urn()
        seen: set[str] = set()
        todo = list(registration.dependencies)
        while todo:
            urn = todo.pop()
            if urn in seen:
                continue
            seen.add(urn)
            if urn in index:
                todo.extend(index[urn].dependencies)
        return seen


def _computed(kind: str, name: str, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A Pulumi id and what Segment would add, by resource kind."""
    plain = f"{name}-id"
    if kind == "UnifySpace":
        slug = str(inputs.get("slug"))
        return f"spa_{slug}", {
            "space_id": f"spa_{slug}",
            "name": slug.replace("-", " ").title(),
            "workspace_id": "ws_acme",
            "workspace_slug": "acme-contact-center",
            "write_key": f"wk_personas_{slug}",
        }
    if kind == "Source":
        return plain, {"write_keys": [f"wk_{name}"], "workspace_id": "ws_acme"}
    if kind == "Warehouse":
        return plain, {"workspace_id": "ws_acme"}
    if kind == "DestinationSubscription":
        return f"dest/{plain}", {"subscription_id": plain}
    if kind == "ProfilesWarehouse":
        return f"space/{plain}", {"warehouse_id": plain, "workspace_id": "ws_acme"}
    if kind == "ComputedTrait":
        return f"space/{plain}", {"computed_trait_id": plain, "key": name, "status": "COMPUTING"}
    if kind == "Audience":
        return f"space/{plain}", {"audience_id": plain, "key": name, "status": "COMPUTING"}
    if kind == "Prediction":
        # Check fills in the UI's default key for the kind; the mock does what check would.
        defaults = {"churn": "likelihood_to_churn", "ltv": "predicted_ltv"}
        key = inputs.get("trait_key") or defaults.get(str(inputs.get("kind")))
        return f"space/{key}", {"trait_key": key, "trait_type": "PREDICTION"}
    return plain, {}


class SegmentMocks(mocks.Mocks):
    def __init__(self, monitor: RecordingMonitor) -> None:
        self.monitor = monitor

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        inputs = {k: v for k, v in args.inputs.items() if k != PROVIDER_KEY}
        if not args.typ.startswith(DYNAMIC):
            return f"{args.name}-id", inputs
        id_, computed = _computed(args.typ.removeprefix(DYNAMIC), args.name, inputs)
        outputs = {**inputs, **computed}
        for key in self.monitor.secret_outputs_of(args.typ, args.name):
            if key in outputs:
                outputs[key] = {
                    rpc._special_sig_key: rpc._special_secret_sig,
                    "value": outputs[key],
                }
        return id_, outputs

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


def plain(value: Any) -> Any:
    """A recorded input without the secret wrapper the monitor received it in."""
    if isinstance(value, Mapping) and value.get(rpc._special_sig_key) == rpc._special_secret_sig:
        return plain(value["value"])
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _is_secret(value: struct_pb2.Value) -> bool:
    if value.WhichOneof("kind") != "struct_value":
        return False
    sig = value.struct_value.fields.get(rpc._special_sig_key)
    return sig is not None and sig.string_value == rpc._special_secret_sig


class RecordingMonitor(mocks.MockMonitor):
    """The mock monitor, also recording each registration as the engine would receive it."""

    def __init__(self) -> None:
        self.registrations: list[Registration] = []
        self._secret_outputs: dict[tuple[str, str], list[str]] = {}
        self._lock = threading.Lock()
        super().__init__(SegmentMocks(self))

    def secret_outputs_of(self, type_: str, name: str) -> list[str]:
        with self._lock:
            return self._secret_outputs.get((type_, name), [])

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method's name)
        if request.type != "pulumi:pulumi:Stack":
            fields = request.object.fields
            registration = Registration(
                urn=self.make_urn(request.parent, request.type, request.name),
                type=request.type,
                name=request.name,
                custom=bool(request.custom),
                parent=request.parent,
                dependencies=list(request.dependencies),
                protect=bool(request.protect),
                secret_inputs={key for key, value in fields.items() if _is_secret(value)},
                inputs={
                    k: v
                    for k, v in rpc.deserialize_properties(request.object).items()
                    if k != PROVIDER_KEY
                },
            )
            with self._lock:
                self.registrations.append(registration)
                self._secret_outputs[(request.type, request.name)] = list(
                    request.additionalSecretOutputs
                )
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def run_program(
    program: Path | Callable[[], None],
    *,
    config: Mapping[str, str] | None = None,
    secret_keys: list[str] | None = None,
    project: str = "project",
    stack: str = "dev",
) -> ProgramRun:
    """Run ``program`` (a ``__main__.py`` or a function) under mocks; outputs resolved."""
    results: list[ProgramRun] = []
    errors: list[BaseException] = []

    def body() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        monitor = RecordingMonitor()
        pulumi.runtime.set_mocks(
            monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor
        )
        pulumi.runtime.set_all_config(dict(config or {}), secret_keys or [])
        resolved: dict[str, Any] = {}
        secret: set[str] = set()

        async def collect() -> None:
            root = pulumi.runtime.get_root_resource()
            for key, value in getattr(root, "outputs", {}).items():
                output = pulumi.Output.from_input(value)
                resolved[key] = await output.future()
                if await output.is_secret():
                    secret.add(key)

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def run() -> pulumi.Output[None]:
            if isinstance(program, Path):
                _run_path(program)
            else:
                program()
            return pulumi.Output.from_input(collect())

        run()
        results.append(ProgramRun(resolved, secret, monitor.registrations))

    def guarded() -> None:
        try:
            body()
        except BaseException as exc:
            errors.append(exc)

    # A new thread starts with an empty context, so each run gets a fresh Pulumi runtime.
    thread = threading.Thread(target=guarded, name="pulumi-program")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def _run_path(main: Path) -> None:
    cwd = os.getcwd()
    os.chdir(main.parent)
    try:
        runpy.run_path(str(main), run_name="__main__")
    finally:
        os.chdir(cwd)


def stack_config(project_dir: Path, stack: str) -> dict[str, str]:
    """A committed ``Pulumi.<stack>.yaml``'s config as the CLI hands it to the program.

    Objects and lists arrive as JSON text, scalars as strings (``true``, not ``True``).
    """
    document = yaml.safe_load((project_dir / f"Pulumi.{stack}.yaml").read_text())
    out: dict[str, str] = {}
    for key, value in (document.get("config") or {}).items():
        if isinstance(value, dict | list):
            out[key] = json.dumps(value)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


# The setup sequence of DESIGN.md / the component's docstring, as stages of resource kinds.
DOCUMENTED_ORDER: tuple[str, ...] = (
    "UnifySpace",
    "ProfileApiToken",
    "Source",
    "Warehouse",
    "WarehouseSourceConnection",
    "ReverseEtlSource",
    "ReverseEtlModel",
    "Destination",
    "DestinationSubscription",
    "ProfilesWarehouse",
    "ComputedTrait",
    "Prediction",
    "Audience",
)


def stage_of(registration: Registration) -> int | None:
    """Where a resource falls in the documented order (a Reverse ETL source is its own step)."""
    kind = registration.kind
    if kind == "Source" and str(registration.inputs.get("catalog_slug", "")).endswith(
        "-reverse-etl"
    ):
        kind = "ReverseEtlSource"
    return DOCUMENTED_ORDER.index(kind) if kind in DOCUMENTED_ORDER else None


def order_violations(run: ProgramRun) -> list[str]:
    """Each pair (earlier, later) where the later resource does not wait for the earlier one."""
    staged = [(stage_of(r), r) for r in run.registrations if r.custom]
    problems: list[str] = []
    for stage, later in staged:
        if stage is None:
            problems.append(f"{later.name}: {later.kind} is not in the documented order")
            continue
        waits_for = run.ancestors(later)
        problems += [
            f"{later.name} ({DOCUMENTED_ORDER[stage]}) does not wait for {earlier.name} "
            f"({DOCUMENTED_ORDER[earlier_stage]})"
            for earlier_stage, earlier in staged
            if earlier_stage is not None and earlier_stage < stage and earlier.urn not in waits_for
        ]
    return problems
