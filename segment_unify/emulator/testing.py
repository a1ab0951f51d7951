"""Harness for tests and benchmarks: run the emulator in-process or as a subprocess.

    with running_emulator(seed="examples/seed.yaml") as emu:
        httpx.get(emu.url + "/sources", headers={"Authorization": f"Bearer {emu.token}"})
        emu.set_faults([{"kind": "lost_response", "method": "POST"}])
        emu.objects("acme-contact-center", "source")

`running_emulator` serves uvicorn from a background thread on 127.0.0.1 and an ephemeral
port; `spawn_emulator` starts `python -m segment_unify.emulator serve` and parses the lines
it prints (for tests that need a separate process, e.g. a restart over the same database).
Both yield an `EmulatorHandle`, whose admin methods go through the `/__emulator` API; the
in-process one sees stored secrets unmasked, the subprocess one sees them masked, as any other
local process does.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import queue
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from .app import Emulator, EmulatorConfig, build_emulator
from .errors import PROFILE_API_PREFIX
from .faults import FaultRule
from .routers.admin import REVEAL_HEADER
from .seed import SeedDocument, load_seed

SeedSource = str | Path | Mapping[str, Any] | SeedDocument
STARTUP_TIMEOUT_SECONDS = 20.0


@functools.lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """One shared context: httpx otherwise loads the CA bundle per client (~80 ms each),
    although the emulator speaks plain HTTP on loopback."""
    return ssl.create_default_context()


def _as_seed(seed: SeedSource) -> SeedDocument:
    return load_seed(dict(seed) if isinstance(seed, Mapping) else seed)


class EmulatorHandle:
    """Where the emulator listens, the seeded tokens, and its control plane."""

    def __init__(self, url: str, seeds: Sequence[SeedDocument] = ()) -> None:
        self.url = url
        self.profile_url = url + PROFILE_API_PREFIX
        self.tokens: dict[str, str] = {}
        self.profile_tokens: dict[str, str] = {}
        for seed in seeds:
            self._remember(seed)
        self._admin = httpx.Client(
            base_url=url + "/__emulator", timeout=30.0, verify=_tls_context()
        )

    def _remember(self, seed: SeedDocument) -> None:
        for workspace in seed.workspaces:
            self.tokens.setdefault(workspace.slug, workspace.token)
            for space in workspace.spaces:
                self.profile_tokens.setdefault(space.slug, space.profile_api_token)

    @property
    def token(self) -> str:
        """The first seeded workspace's Public API token."""
        return next(iter(self.tokens.values()))

    def __repr__(self) -> str:
        return f"EmulatorHandle(url={self.url!r}, workspaces={list(self.tokens)!r})"

    # -- clients --------------------------------------------------------------------------
    def client(self, workspace: str | None = None, **kwargs: Any) -> httpx.Client:
        """An httpx client on the Public API with a workspace's Bearer token."""
        token = self.tokens[workspace] if workspace else self.token
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        kwargs.setdefault("verify", _tls_context())
        return httpx.Client(base_url=self.url, headers=headers, **kwargs)

    def profile_client(self, space: str, **kwargs: Any) -> httpx.Client:
        """An httpx client on the Profile API with a space's token (Basic auth)."""
        auth = httpx.BasicAuth(self.profile_tokens[space], "")
        kwargs.setdefault("verify", _tls_context())
        return httpx.Client(base_url=self.profile_url, auth=auth, **kwargs)

    # -- control plane ----------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._admin.request(method, path, **kwargs)
        response.raise_for_status()
        return response.json()

    def seed(self, seed: SeedSource) -> list[dict[str, str]]:
        document = _as_seed(seed)
        self._remember(document)
        result: list[dict[str, str]] = self._call(
            "POST", "/seed", json=document.model_dump(mode="json", by_alias=True)
        )["workspaces"]
        return result

    def reset(self, reseed: bool = True) -> None:
        self._call("POST", "/reset", params={"reseed": str(reseed).lower()})

    def set_faults(
        self, rules: Sequence[FaultRule | Mapping[str, Any]], seed: int | None = None
    ) -> dict[str, Any]:
        payload = [
            rule.model_dump(exclude_none=True) if isinstance(rule, FaultRule) else dict(rule)
            for rule in rules
        ]
        result: dict[str, Any] = self._call("PUT", "/faults", json={"rules": payload, "seed": seed})
        return result

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def fault_counts(self) -> dict[str, int]:
        counts: dict[str, int] = self._call("GET", "/faults/counts")["counts"]
        return counts

    def request_log(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self._call("GET", "/requests")["requests"]
        return entries

    def clear_request_log(self) -> None:
        self._call("DELETE", "/requests")

    def state(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/state")
        return result

    def objects(self, workspace: str, kind: str) -> list[dict[str, Any]]:
        """Stored records of one kind (`source`, `computed_trait`...) in a workspace."""
        result: list[dict[str, Any]] = self._call("GET", f"/workspaces/{workspace}/objects/{kind}")[
            "objects"
        ]
        return result

    def close(self) -> None:
        self._admin.close()


class InProcessEmulator(EmulatorHandle):
    """Holds the emulator object, so its control-plane calls see stored secrets unmasked."""

    def __init__(self, url: str, seeds: Sequence[SeedDocument], emulator: Emulator) -> None:
        super().__init__(url, seeds)
        self.emulator = emulator
        self._admin.headers[REVEAL_HEADER] = emulator.context.reveal_key


class _ThreadServer(uvicorn.Server):
    """A uvicorn server that stops as soon as asked, instead of at its next 0.1 s tick."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None

    async def main_loop(self) -> None:
        self._loop, self._wake = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 10) % 864000  # on_tick refreshes the Date header every 10
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=1.0)

    def stop(self) -> None:
        self.should_exit = True
        self.force_exit = True
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)


@contextlib.contextmanager
def running_emulator(
    seed: SeedSource | None = None,
    db: str = ":memory:",
    time_scale: float = 1.0,
    latency_ms: int = 0,
    faults: Sequence[FaultRule | Mapping[str, Any]] | None = None,
    fault_seed: int = 0,
) -> Iterator[InProcessEmulator]:
    """Serve an emulator from a background thread for the duration of the block.

    On exit the server is told to stop and the block returns at once; the thread closes
    the listening socket and the store on its own shortly after.
    """
    seeds = [_as_seed(seed)] if seed is not None else []
    rules = [r if isinstance(r, FaultRule) else FaultRule.model_validate(r) for r in faults or []]
    emulator = build_emulator(EmulatorConfig(db, seeds, time_scale, latency_ms, rules, fault_seed))
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets whose proto says TCP,
    # and without it every keep-alive response waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    server = _ThreadServer(
        uvicorn.Config(emulator.asgi, log_level="warning", access_log=False, lifespan="off")
    )

    def serve() -> None:
        try:
            server.run(sockets=[sock])
        finally:
            sock.close()
            emulator.close()

    thread = threading.Thread(target=serve, name="segment-emulator", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError("the emulator did not start")
        time.sleep(0.002)
    handle = InProcessEmulator(f"http://127.0.0.1:{port}", seeds, emulator)
    try:
        yield handle
    finally:
        handle.close()
        server.stop()


class SpawnedEmulator(EmulatorHandle):
    def __init__(
        self,
        url: str,
        seeds: Sequence[SeedDocument],
        process: subprocess.Popen[str],
        lines: list[str],
    ) -> None:
        super().__init__(url, seeds)
        self.process = process
        self.lines = lines


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


@contextlib.contextmanager
def spawn_emulator(
    seed: str | Path | None = None,
    db: str = ":memory:",
    time_scale: float = 1.0,
    latency_ms: int = 0,
    faults: Sequence[str] = (),
    extra_args: Sequence[str] = (),
) -> Iterator[SpawnedEmulator]:
    """Run `python -m segment_unify.emulator serve` and parse the lines it prints."""
    command = [sys.executable, "-m", "segment_unify.emulator", "serve", "--port", "0", "--db", db]
    command += ["--time-scale", str(time_scale), "--latency-ms", str(latency_ms)]
    seeds = []
    if seed is not None:
        command += ["--seed", str(seed)]
        seeds.append(load_seed(seed))
    for spec in faults:
        command += ["--fault", spec]
    command += list(extra_args)
    expected = 3 if any(s.workspaces for s in seeds) else 2
    with tempfile.TemporaryFile(mode="w+") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
        printed: queue.Queue[str] = queue.Queue()
        reader = threading.Thread(target=_read_lines, args=(process.stdout, printed), daemon=True)
        reader.start()
        lines: list[str] = []
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        try:
            while len(lines) < expected:
                remaining = deadline - time.monotonic()
                try:
                    lines.append(printed.get(timeout=max(0.01, remaining)))
                except queue.Empty:
                    if remaining <= 0 or process.poll() is not None:
                        stderr.seek(0)
                        raise RuntimeError(f"the emulator did not start: {stderr.read()}") from None
            values = dict(line.split("=", 1) for line in lines)
            handle = SpawnedEmulator(values["SEGMENT_PUBLIC_API_URL"], seeds, process, lines)
            try:
                yield handle
            finally:
                handle.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
