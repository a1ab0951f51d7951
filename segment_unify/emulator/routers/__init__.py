"""HTTP routes, one module per family. Handlers are thin: parse, call the backend, wrap.

`PUBLIC_ROUTERS` are the Public API (authenticated and metered by `deps.meter`);
`profile_api.router` and `admin.router` are mounted on their own prefixes.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    audiences,
    catalog,
    computed_traits,
    destinations,
    metrics,
    reverse_etl,
    sources,
    spaces,
    warehouses,
    workspace,
)

PUBLIC_ROUTERS: tuple[APIRouter, ...] = (
    workspace.router,
    catalog.router,
    sources.router,
    warehouses.router,
    destinations.router,
    reverse_etl.router,
    spaces.router,
    computed_traits.router,
    audiences.router,
    metrics.router,
)
