"""Assembly of the emulator: backend, limiter, faults, request log, routes, error handlers.

`build_emulator(EmulatorConfig(...))` returns an `Emulator` whose `asgi` attribute is the
application to serve: the process-wide FastAPI app (`shared_app()`, built once) wrapped by
this emulator's fault/log middleware, which hands the app this emulator's state. The Public
API is served at the root, the Profile API under `/profile-api`, the Tracking API under `/v1/`,
the control plane under `/__emulator`. What is not emulated is listed in each backend module's
docstring.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline

from .backend import Backend
from .context import EmulatorContext
from .deps import meter
from .edit_locks import DEFAULT_SECONDS as DEFAULT_EDIT_LOCK_SECONDS
from .errors import PROFILE_API_PREFIX, install_error_handlers
from .faults import FaultInjector, FaultRule
from .middleware import ADMIN_PREFIX, ASGIApp, EmulatorMiddleware, install_log_filter
from .ratelimits import RateLimiter
from .requestlog import RequestLog
from .routers import (
    PUBLIC_ROUTERS,
    admin,
    admin_reverse_etl,
    admin_tracking,
    profile_api,
    tracking,
)
from .seed import SeedDocument
from .store import Store


@dataclass
class EmulatorConfig:
    db: str = ":memory:"
    seeds: list[SeedDocument] = field(default_factory=list)
    time_scale: float = 1.0
    latency_ms: int = 0
    faults: list[FaultRule] = field(default_factory=list)
    fault_seed: int = 0
    # How long a computed trait or audience stays locked after an update (edit_locks.py).
    edit_lock_seconds: float = DEFAULT_EDIT_LOCK_SECONDS


@dataclass
class Emulator:
    config: EmulatorConfig
    context: EmulatorContext
    asgi: ASGIApp

    @property
    def backend(self) -> Backend:
        return self.context.backend

    def close(self) -> None:
        self.context.backend.store.close()


@lru_cache(maxsize=1)
def shared_app() -> FastAPI:
    """The routes and error handlers, without state (that comes with each request)."""
    # The docs page's scripts and styles are served from the package, not a CDN: the emulator
    # runs where there is no network. Every docs route sits under the control plane's prefix,
    # since Segment's API has none of them.
    app = FastAPIOffline(
        title="Segment emulator",
        docs_url=f"{ADMIN_PREFIX}/docs",
        redoc_url=None,
        openapi_url=f"{ADMIN_PREFIX}/openapi.json",
        swagger_ui_oauth2_redirect_url=f"{ADMIN_PREFIX}/docs/oauth2-redirect",
        static_url=f"{ADMIN_PREFIX}/docs-static",
    )
    install_error_handlers(app)
    app.include_router(admin.router)
    app.include_router(admin_tracking.router)
    app.include_router(admin_reverse_etl.router)
    # Segment's Tracking API authenticates by write key, not by workspace token.
    app.include_router(tracking.router)
    app.include_router(profile_api.router, prefix=PROFILE_API_PREFIX)
    for router in PUBLIC_ROUTERS:
        app.include_router(router, dependencies=[Depends(meter)])
    install_log_filter()
    return app


def build_emulator(config: EmulatorConfig | None = None) -> Emulator:
    config = config or EmulatorConfig()
    backend = Backend(Store(config.db))
    backend.startup_seeds = list(config.seeds)
    backend.edit_locks.seconds = config.edit_lock_seconds
    for seed in config.seeds:
        backend.apply_seed(seed)
    context = EmulatorContext(
        backend=backend,
        limiter=RateLimiter(time_scale=config.time_scale),
        faults=FaultInjector(
            rules=list(config.faults), seed=config.fault_seed, base_latency_ms=config.latency_ms
        ),
        request_log=RequestLog(),
    )
    return Emulator(config, context, EmulatorMiddleware(shared_app(), context))
