"""The per-emulator state a request is served with.

One FastAPI application is built per process and shared by every emulator in it (building
its routes costs far more than a test); each emulator's outer middleware puts its own
`EmulatorContext` into the ASGI scope, where handlers find it with `context_of(request)`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from starlette.requests import Request

from .backend import Backend
from .faults import FaultInjector
from .ratelimits import RateLimiter
from .requestlog import RequestLog

SCOPE_KEY = "segment_emulator"


@dataclass
class EmulatorContext:
    backend: Backend
    limiter: RateLimiter
    faults: FaultInjector
    request_log: RequestLog
    # Shown only to the in-process test harness, which holds the emulator object anyway: with
    # it, the control plane answers with stored secrets unmasked.
    reveal_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)


def context_of(request: Request) -> EmulatorContext:
    context = request.scope.get(SCOPE_KEY)
    if not isinstance(context, EmulatorContext):
        raise RuntimeError("request served outside an emulator's middleware")
    return context
