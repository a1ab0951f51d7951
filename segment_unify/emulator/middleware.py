"""The outermost ASGI layer: request log and fault injection.

It wraps the FastAPI application (outside Starlette's own error middleware), because a
dropped connection has to reach uvicorn as an exception raised after the response started:
uvicorn then closes the socket and the client sees a transport error instead of a status.
The control plane (`/__emulator/`) is neither logged nor faulted. Under a `list_lag` rule
the ids of what a POST made are noted before its answer leaves, and list answers are rewritten
without them until the lag is over.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime, timezone
from typing import Any

from .context import SCOPE_KEY, EmulatorContext
from .errors import PROFILE_API_PREFIX
from .faults import FaultRule
from .ratelimits import DEFAULT_LIMIT_PER_MINUTE, WINDOW_SECONDS, RateDecision
from .requestlog import decode_body, redact_authorization

ADMIN_PREFIX = "/__emulator"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ConnectionDroppedError(Exception):
    """Raised after a partial response so that uvicorn closes the connection."""


class _QuietDrops(logging.Filter):
    """Keeps injected drops out of uvicorn's error log (they are intended)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, ConnectionDroppedError)


def install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(existing, _QuietDrops) for existing in logger.filters):
        logger.addFilter(_QuietDrops())


async def _send_json(
    send: Send, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> None:
    payload = json.dumps(body).encode("utf-8")
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    raw_headers += [
        (key.lower().encode(), value.encode()) for key, value in (headers or {}).items()
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


async def _drop(send: Send) -> None:
    partial = b'{"data":'
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
        }
    )
    await send({"type": "http.response.body", "body": partial, "more_body": True})
    raise ConnectionDroppedError("connection dropped by fault injection")


class EmulatorMiddleware:
    def __init__(self, app: ASGIApp, context: EmulatorContext) -> None:
        self.app = app
        self.context = context
        self.faults = context.faults
        self.log = context.request_log
        self.limiter = context.limiter
        self._late: set[asyncio.Task[None]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[SCOPE_KEY] = self.context
        if scope["type"] != "http" or str(scope["path"]).startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        method, path = str(scope["method"]), str(scope["path"])
        body = bytearray()
        # Kept so that tests can check every answer against Segment's output models.
        answer = bytearray()
        # [status sent to the client, status of the handled request when it was not sent]
        status: list[int | None] = [None, None]

        async def logged_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                body.extend(message.get("body", b""))
            return message

        decision = self.faults.decide(method, path)
        fault = decision.fault
        started = time.time()
        # Latency is the time from the request's arrival to the answer, the handling included
        # (a server's own work is part of what a client waits for), so the answer is held
        # until then rather than the handling put off.
        answer_at = time.monotonic() + decision.latency_ms / 1000

        async def logged_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                wait = answer_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            elif message["type"] == "http.response.body":
                answer.extend(message.get("body", b""))
            await send(message)

        app = self.app
        if decision.list_lag_seconds > 0:
            # Segment's seconds, shortened by the time scale as its rate-limit windows are.
            app = self._hiding_created(
                decision.list_lag_seconds * self.limiter.window / WINDOW_SECONDS
            )
        hidden = self.faults.hidden() if method == "GET" else frozenset()
        if hidden:
            app = _leaving_out(app, hidden)
        try:
            if fault is None:
                await app(scope, logged_receive, logged_send)
            else:
                await self._inject(fault, app, scope, logged_receive, logged_send, status)
        finally:
            entry = self._entry(scope, method, path, status[0], started, bytes(body), fault)
            entry["handledStatus"] = status[1] if fault is not None else status[0]
            entry["response"] = decode_body(bytes(answer))
            self.log.append(entry)

    def _hiding_created(self, seconds: float) -> ASGIApp:
        """The app, with the ids a successful answer carries hidden from lists for ``seconds``."""
        inner = self.app
        faults = self.faults

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            status = [0]
            chunks: list[bytes] = []

            async def noting(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status[0] = int(message["status"])
                elif message["type"] == "http.response.body":
                    chunks.append(bytes(message.get("body", b"")))
                    # Before the answer leaves: a client that lists right after must not win.
                    if not message.get("more_body") and 200 <= status[0] < 300:
                        faults.hide(_answered_ids(b"".join(chunks)), seconds)
                await send(message)

            await inner(scope, receive, noting)

        return app

    async def _inject(
        self,
        fault: FaultRule,
        app: ASGIApp,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: list[int | None],
    ) -> None:
        """Apply a terminal fault; `status[1]` gets the status the request was handled with."""
        path = str(scope["path"])
        if fault.kind in ("drop", "rate_limit", "server_error"):
            await _drain(receive)
        if fault.kind == "drop":
            await _drop(send)
        elif fault.kind == "rate_limit":
            await self._send_rate_limited(send, path)
        elif fault.kind == "server_error":
            await self._send_server_error(send, path, fault.status or 503)
        elif fault.kind == "late_commit":
            await self._commit_late(fault, app, scope, receive, send, path)
        elif fault.kind == "lost_response":

            async def swallow(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status[1] = int(message["status"])

            await app(scope, receive, swallow)
            if fault.status is None:
                await _drop(send)
            else:
                await self._send_server_error(send, path, fault.status)

    async def _commit_late(
        self, fault: FaultRule, app: ASGIApp, scope: Scope, receive: Receive, send: Send, path: str
    ) -> None:
        """Answer as a lost request now, and handle it ``hold_ms`` later."""
        body = await _read_body(receive)

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        async def ignore(message: Message) -> None:
            return None

        async def later() -> None:
            await asyncio.sleep(fault.hold_ms / 1000)
            await app(dict(scope), replay, ignore)

        # Kept referenced until done: the loop holds tasks only weakly.
        task = asyncio.get_running_loop().create_task(later())
        self._late.add(task)
        task.add_done_callback(self._late.discard)
        if fault.status is None:
            await _drop(send)
        else:
            await self._send_server_error(send, path, fault.status)

    async def _send_rate_limited(self, send: Send, path: str) -> None:
        now = time.time()
        window_end = (int(now // self.limiter.window) + 1) * self.limiter.window
        decision = RateDecision(DEFAULT_LIMIT_PER_MINUTE, DEFAULT_LIMIT_PER_MINUTE + 1, window_end)
        if path.startswith(PROFILE_API_PREFIX):
            body: dict[str, Any] = {
                "error": {"code": "rate_limit_error", "message": "Too many requests"}
            }
        else:
            body = {
                "errors": [
                    {
                        "type": "RequestError",
                        "message": "Too many requests",
                        "data": {
                            "remainingPoints": 0,
                            "msBeforeNext": decision.ms_before_next(now),
                            "consumedPoints": decision.consumed,
                        },
                    }
                ]
            }
        await _send_json(send, 429, body, decision.headers())

    async def _send_server_error(self, send: Send, path: str, status: int) -> None:
        message = f"Service unavailable ({status})"
        if path.startswith(PROFILE_API_PREFIX):
            await _send_json(
                send, status, {"error": {"code": "internal_error", "message": message}}
            )
        else:
            await _send_json(
                send, status, {"errors": [{"type": "InternalError", "message": message}]}
            )

    @staticmethod
    def _entry(
        scope: Scope,
        method: str,
        path: str,
        status: int | None,
        started: float,
        body: bytes,
        fault: FaultRule | None,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        for raw_key, raw_value in scope.get("headers", []):
            key, value = raw_key.decode("latin-1").lower(), raw_value.decode("latin-1")
            headers[key] = redact_authorization(value) if key == "authorization" else value
        query = scope.get("query_string", b"").decode("latin-1")
        return {
            "method": method,
            "path": path,
            "query": query,
            "status": status,
            "timestamp": datetime.fromtimestamp(started, timezone.utc).isoformat(),
            "durationMs": int((time.time() - started) * 1000),
            "fault": None if fault is None else fault.kind,
            "headers": headers,
            "body": decode_body(bytes(body)),
        }


def _answered_ids(body: bytes) -> list[str]:
    """Ids of the objects an answer's ``data`` carries (``{"data": {"source": {"id": …}}}``)."""
    try:
        data = json.loads(body).get("data")
    except (ValueError, AttributeError):
        return []
    if not isinstance(data, dict):
        return []
    return [str(v["id"]) for v in data.values() if isinstance(v, dict) and "id" in v]


def _without_hidden(body: bytes, hidden: frozenset[str]) -> bytes:
    try:
        document = json.loads(body)
    except ValueError:
        return body
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        return body
    left_out = 0
    for key, value in data.items():
        if isinstance(value, list):
            kept = [v for v in value if not (isinstance(v, dict) and v.get("id") in hidden)]
            left_out += len(value) - len(kept)
            data[key] = kept
    pagination = data.get("pagination")
    if left_out and isinstance(pagination, dict) and "totalEntries" in pagination:
        pagination["totalEntries"] -= left_out
    return json.dumps(document).encode("utf-8")


def _leaving_out(inner: ASGIApp, hidden: frozenset[str]) -> ASGIApp:
    """The app, with list answers rewritten without the ``hidden`` objects."""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        start: list[Message] = []
        chunks: list[bytes] = []

        async def rewriting(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.append(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(bytes(message.get("body", b"")))
            if message.get("more_body"):
                return
            body = _without_hidden(b"".join(chunks), hidden)
            headers = [
                (k, v) for k, v in start[0].get("headers", []) if k.lower() != b"content-length"
            ]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start[0], "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await inner(scope, receive, rewriting)

    return app


async def _read_body(receive: Receive) -> bytes:
    body = bytearray()
    more = True
    while more:
        message = await receive()
        body.extend(message.get("body", b""))
        more = message["type"] == "http.request" and bool(message.get("more_body", False))
    return bytes(body)


async def _drain(receive: Receive) -> None:
    more = True
    while more:
        message = await receive()
        more = message["type"] == "http.request" and bool(message.get("more_body", False))
