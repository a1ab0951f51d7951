"""Request dependencies shared by the routers: backend, authentication, metering, paging.

Every Public API route runs `meter` first (declared on the routers in app.py): it resolves
the workspace from the Bearer token (401 otherwise), counts the request against the
operation's rate limit (429 over it) and puts the `X-RateLimit-*` headers on the response,
whether it succeeds or fails. The operation is the route's `operation_id` (Segment's name).

The dependencies are coroutines although they block briefly (a SQLite read, a lock): FastAPI
runs a plain function in a worker thread, and four thread hops per request cost more than the
work itself, which made every emulated call several milliseconds slower than its latency.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from .backend import Backend
from .context import context_of
from .errors import Unauthorized
from .pagination import PageRequest
from .records import WorkspaceRecord


async def get_backend(request: Request) -> Backend:
    return context_of(request).backend


BackendDep = Annotated[Backend, Depends(get_backend)]


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


async def current_workspace(request: Request, backend: BackendDep) -> WorkspaceRecord:
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("Unauthorized: the Authorization header must be 'Bearer <token>'")
    workspace = backend.workspace_for_token(token)
    if workspace is None:
        raise Unauthorized("Unauthorized: the token is not valid")
    return workspace


WorkspaceDep = Annotated[WorkspaceRecord, Depends(current_workspace)]


async def meter(request: Request, response: Response, workspace: WorkspaceDep) -> None:
    route = request.scope.get("route")
    operation = str(getattr(route, "operation_id", None) or request.url.path)
    decision = context_of(request).limiter.check(workspace.id, operation)
    headers = decision.headers()
    request.state.rate_limit_headers = headers
    response.headers.update(headers)


async def page_request(request: Request) -> PageRequest:
    return PageRequest.from_query(request.query_params)


PageDep = Annotated[PageRequest, Depends(page_request)]
