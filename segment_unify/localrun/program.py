"""Run a Pulumi program with its dynamic resources created through the real provider process.

The program runs under ``pulumi.runtime.set_mocks``; every registration of a dynamic resource
goes to an ``Engine`` (check, diff, create/update/replace over gRPC against Segment or the
emulator), components are recorded as they are. Like ``pulumi up``, resources in state that the
program no longer declares are deleted afterwards, dependents first. Outputs come back marked
secret where the engine marks them: those listed in a registration's ``additional_secret_outputs``
and those named like an input the program passed as a secret (the engine copies an input's
secretness to the same-named output for providers, like the dynamic one, that take no secrets).

``run_program(..., preview=True)`` is ``pulumi preview`` instead: the program sees a dry run, each
registration is only checked and diffed (``Engine.preview``), values the provider would compute
are unknown, and what ``up`` would delete is listed in ``RunResult.deleted`` but left alone.

``run_with_mocks`` is the one mock monitor of the package and its tests: it takes any answer for
the dynamic resources (the program tests answer with plausible outputs and no provider; the
policy tests answer with the inputs, then check each resource as the engine does before it calls
an analyzer) and records every registration as the engine receives it (``Registration``).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import runpy
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks, rpc
from pulumi.runtime.settings import SETTINGS
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from segment_unify.localrun.engine import PROVIDER_KEY, Engine

DYNAMIC_PREFIX = "pulumi-python:dynamic"


@dataclass
class Registration:
    """What the program asked the engine for, in the order it asked."""

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    dependencies: list[str]
    protect: bool
    secret_outputs: list[str]
    secret_inputs: list[str] = field(default_factory=list)
    """Top-level inputs the program passed as secrets, wholly or in part (what the engine
    would encrypt in state)."""
    inputs: dict[str, Any] = field(default_factory=dict)
    """The registered inputs as the monitor received them (secrets still wrapped)."""
    properties: struct_pb2.Struct = field(default_factory=struct_pb2.Struct)
    """The same on the wire, unknowns (values not known at preview) and ``__provider`` kept:
    what the engine hands the provider's ``check`` and, checked, a policy pack's ``Analyze``."""

    @property
    def kind(self) -> str:
        """``Source`` for ``pulumi-python:dynamic/segment:Source``; components keep their type."""
        return self.type.removeprefix(f"{DYNAMIC_PREFIX}/segment:")


@dataclass
class RunResult:
    outputs: dict[str, Any]
    secret_outputs: set[str]
    registrations: list[Registration]
    deleted: list[str] = field(default_factory=list)

    def of_type(self, name: str) -> list[Registration]:
        return [r for r in self.registrations if r.type.endswith(f":{name}")]


Answer = Callable[[mocks.MockResourceArgs], tuple[str, dict[str, Any]]]
"""What the engine answers for a dynamic resource: its id and outputs, given plain inputs."""


def engine_answer(engine: Engine, *, preview: bool = False) -> Answer:
    """Answers from ``engine``: check, then create/update/replace (or, previewing, plan)."""

    def answer(args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        step = engine.preview if preview else engine.up
        res = step(args.typ, args.name, args.inputs)
        return res.id, res.outputs

    return answer


# Pulumi's mock monitor gives each of the runtime's worker threads an event loop of its own and
# never closes it; closed at exit, before interpreter teardown closes the sockets under them.
_thread_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()


def _remember_thread_loop() -> None:
    # The stack's own registration sets no loop up, and a worker thread has none by default.
    with contextlib.suppress(RuntimeError):
        _thread_loops.add(asyncio.get_event_loop())


@atexit.register
def _close_thread_loops() -> None:
    for loop in list(_thread_loops):
        if not loop.is_running() and not loop.is_closed():
            loop.close()


class _Mocks(mocks.Mocks):
    def __init__(self, answer: Answer, monitor: _Monitor) -> None:
        self.answer = answer
        self.monitor = monitor

    def new_resource(self, args: mocks.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.typ.startswith(DYNAMIC_PREFIX):
            return f"{args.name}-id", dict(args.inputs)
        # The engine hands providers plain values (the dynamic provider accepts no secrets).
        plain_args = mocks.MockResourceArgs(
            typ=args.typ,
            name=args.name,
            inputs=plain(args.inputs),
            provider=args.provider,
            resource_id=args.resource_id,
            custom=args.custom,
        )
        id_, outputs = self.answer(plain_args)
        secret = self.monitor.secret_outputs_of(args.typ, args.name)
        secret = [*secret, *(k for k, v in args.inputs.items() if _contains_secret(v))]
        outs = {
            key: {rpc._special_sig_key: rpc._special_secret_sig, "value": value}
            if key in secret
            else value
            for key, value in outputs.items()
        }
        return id_, outs

    def call(self, args: mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class _Monitor(mocks.MockMonitor):
    """The mock monitor, also recording what the engine would see of each registration."""

    def __init__(self, answer: Answer) -> None:
        self.registrations: list[Registration] = []
        self._secret: dict[tuple[str, str], list[str]] = {}
        self._lock = threading.Lock()
        super().__init__(_Mocks(answer, self))

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine leaves the root stack's type out of its children's URNs.
        if "::pulumi:pulumi:Stack::" in parent:
            parent = ""
        return super().make_urn(parent, type_, name)

    def secret_outputs_of(self, type_: str, name: str) -> list[str]:
        with self._lock:
            return self._secret.get((type_, name), [])

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method's name)
        if request.type != "pulumi:pulumi:Stack":
            registration = Registration(
                urn=self.make_urn(request.parent, request.type, request.name),
                type=request.type,
                name=request.name,
                custom=bool(request.custom),
                parent=request.parent,
                dependencies=list(request.dependencies),
                protect=bool(request.protect),
                secret_outputs=list(request.additionalSecretOutputs),
                secret_inputs=sorted(
                    key
                    for key, value in json_format.MessageToDict(request.object).items()
                    if _contains_secret(value)
                ),
                inputs={
                    k: v
                    for k, v in rpc.deserialize_properties(request.object).items()
                    if k != PROVIDER_KEY
                },
                properties=request.object,
            )
            with self._lock:
                self.registrations.append(registration)
                self._secret[(request.type, request.name)] = registration.secret_outputs
        try:
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]
        finally:
            _remember_thread_loop()


def run_program(
    program: Path | Callable[[], object],
    engine: Engine,
    *,
    config: Mapping[str, Any] | None = None,
    secret_keys: list[str] | None = None,
    project: str = "project",
    stack: str = "dev",
    preview: bool = False,
) -> RunResult:
    """One ``pulumi up`` of ``program`` (a ``__main__.py`` path or a function); with
    ``preview``, one ``pulumi preview``."""
    run = run_with_mocks(
        program,
        engine_answer(engine, preview=preview),
        config=config,
        secret_keys=secret_keys,
        project=project,
        stack=stack,
        preview=preview,
    )
    declared = {engine.urn(r.type, r.name) for r in run.registrations if r.custom}
    for urn in reversed(list(engine.state)):
        if urn not in declared:
            if preview:
                engine.step("would-delete", urn)
            else:
                engine.destroy(urn)
            run.deleted.append(urn)
    return run


def run_with_mocks(
    program: Path | Callable[[], object],
    answer: Answer,
    *,
    config: Mapping[str, Any] | None = None,
    secret_keys: list[str] | None = None,
    project: str = "project",
    stack: str = "dev",
    preview: bool = False,
) -> RunResult:
    """Run ``program`` under Pulumi's mocks, each dynamic resource answered by ``answer``."""
    result: list[RunResult] = []
    errors: list[BaseException] = []
    loop = asyncio.new_event_loop()

    def body() -> None:
        asyncio.set_event_loop(loop)
        monitor = _Monitor(answer)
        mocks.set_mocks(
            monitor.mocks, project=project, stack=stack, preview=preview, monitor=monitor
        )
        # Mock settings leave the outputs awaited at exit in a set shared by every run, where a
        # failed run leaves its failed outputs: the next run would wait on them forever.
        SETTINGS.outputs = set()
        pulumi.runtime.set_all_config(dict(config or {}), secret_keys or [])

        def main() -> None:
            if isinstance(program, Path):
                _run_path(program)
            else:
                program()

        _sync_await(run_pulumi_func(main))
        root = pulumi.runtime.get_root_resource()
        outputs: dict[str, Any] = {}
        secret: set[str] = set()
        for key, value in getattr(root, "outputs", {}).items():
            out = pulumi.Output.from_input(value)
            outputs[key] = _sync_await(out.future())
            if _sync_await(out.is_secret()):
                secret.add(key)
        result.append(RunResult(outputs, secret, monitor.registrations))

    def guarded() -> None:
        try:
            body()
        except BaseException as exc:
            errors.append(exc)

    # A new thread starts with an empty context: a fresh Pulumi runtime for every run.
    thread = threading.Thread(target=guarded, name="pulumi-program")
    thread.start()
    thread.join()
    # Closed here rather than left to the collector, which may get to it during interpreter
    # teardown, after the selectors it would close.
    loop.close()
    if errors:
        # The outputs the failure left failed are dropped with this loop: their errors are the
        # one raised here and need no second report, one per output, when they are collected.
        loop.set_exception_handler(_ignore_unretrieved)
        raise errors[0]
    return result[0]


def _ignore_unretrieved(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    if "exception was never retrieved" not in str(context.get("message", "")):
        loop.default_exception_handler(context)


def _contains_secret(value: Any) -> bool:
    """Whether a serialized (or deserialized) property value holds a secret anywhere."""
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_secret_sig:
            return True
        return any(_contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secret(v) for v in value)
    return False


def plain(value: Any) -> Any:
    """A value with the secret wrappers of Pulumi's wire format removed."""
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def destroy_all(engine: Engine) -> list[str]:
    """``pulumi destroy``: everything in state, newest first."""
    urns = list(reversed(list(engine.state)))
    for urn in urns:
        engine.destroy(urn)
    return urns


def _run_path(main: Path) -> None:
    cwd = os.getcwd()
    os.chdir(main.parent)
    try:
        runpy.run_path(str(main), run_name="__main__")
    finally:
        os.chdir(cwd)
