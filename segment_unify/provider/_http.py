"""Retry policy and error translation shared by both Segment clients.

Three small decisions, kept apart so each can be read and tested alone: how long the server asked
us to wait (``server_wait``), how long to back off otherwise (``backoff``), and whether an error may
be retried for a method (``retryable``). A write is retried only when we know Segment did not act
on it: a 429, or a connection that was never made. Everything else that may have been applied
surfaces as an error whose ``maybe_committed``/``outcome_unknown`` tells the caller to look first.

httpx and tenacity are imported by the first request, not with this module: the resource
scaffold uses ``backoff`` and is imported by processes that may never call Segment.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from segment_unify.provider import _constants as c
from segment_unify.provider import notices
from segment_unify.provider.errors import (
    RateLimitedError,
    SegmentConnectionError,
    SegmentError,
    ServerError,
)

if TYPE_CHECKING:
    import httpx
    import tenacity

IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})


def server_wait(body_data: Mapping[str, Any] | None, headers: httpx.Headers) -> float | None:
    """Seconds Segment asked us to wait: ``msBeforeNext``, else ``X-RateLimit-Reset``."""
    if body_data:
        ms = body_data.get("msBeforeNext")
        if isinstance(ms, int | float) and ms >= 0:
            return float(ms) / 1000.0
    reset = headers.get("x-ratelimit-reset")
    if reset:
        try:
            when = email.utils.parsedate_to_datetime(reset).timestamp()
        except (TypeError, ValueError):
            return None
        return max(0.0, when - time.time())
    return None


def backoff(attempt: int, initial: float, maximum: float) -> float:
    """Exponential backoff with full jitter for the ``attempt``-th retry (1-based)."""
    ceiling = min(maximum, initial * (2 ** (attempt - 1)))
    return random.uniform(ceiling / 2, ceiling)


def retryable(exc: BaseException, method: str) -> bool:
    if isinstance(exc, RateLimitedError):
        return exc.retry_after <= c.MAX_RATE_LIMIT_WAIT
    if isinstance(exc, SegmentConnectionError):
        return method in IDEMPOTENT or not exc.maybe_committed
    if isinstance(exc, ServerError):
        return method in IDEMPOTENT
    return False


def wait_for(exc: BaseException | None, attempt: int, initial: float, maximum: float) -> float:
    if isinstance(exc, RateLimitedError):
        return exc.retry_after
    return backoff(attempt, initial, maximum)


def retrying(
    method: str,
    *,
    max_attempts: int,
    initial: float,
    maximum: float,
    sleep: Callable[[float], None],
) -> tenacity.Retrying:
    """The retry loop both clients run a request in: only what is safe for ``method``."""
    import tenacity

    def wait(state: tenacity.RetryCallState) -> float:
        # Called once a retry is decided, before its sleep.
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimitedError):
            notices.server_wait(exc.operation, exc.retry_after)
        return wait_for(exc, state.attempt_number, initial, maximum)

    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max_attempts),
        retry=tenacity.retry_if_exception(lambda exc: retryable(exc, method)),
        wait=wait,
        sleep=sleep,
        reraise=True,
    )


def connection_error(
    exc: httpx.TransportError,
    *,
    operation: str,
    method: str,
    path: str,
    base_url: str = "",
    endpoint_from: str = "",
) -> SegmentError:
    """Translate a transport failure at the one boundary where it happens: the message names
    the URL, the setting that chose it, and whether the request may have been applied."""
    import httpx

    # A refused or never-opened connection carried no request: nothing can have been applied.
    sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
    kind = type(exc).__name__
    detail = "timed out" if isinstance(exc, httpx.TimeoutException) else "connection failed"
    if sent and method not in IDEMPOTENT:
        applied = "Segment may have applied it (look before sending it again)"
    elif sent:
        applied = "nothing was changed (a read)"
    else:
        applied = "not sent, so nothing was applied"
    setting = f"; the endpoint {base_url} is set by {endpoint_from}" if endpoint_from else ""
    return SegmentConnectionError(
        f"{operation} {method} {base_url}{path} failed: {detail} ({kind}); {applied}{setting}",
        operation=operation,
        method=method,
        path=path,
        maybe_committed=sent and method not in IDEMPOTENT,
    )


def redact(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[redacted]")
    return text
