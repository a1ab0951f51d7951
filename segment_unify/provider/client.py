"""``SegmentClient``: the Public API over one keep-alive httpx connection pool.

Configuration: arguments, then ``SEGMENT_PUBLIC_API_URL`` / ``SEGMENT_PUBLIC_API_TOKEN``, then the
US endpoint (see ``config``). Every call names its Segment operation (``"CreateSource"``), which
keys the pacing and appears in every error. ``{data}`` is unwrapped; ``{errors}`` becomes one of
the exceptions in ``errors``. Safe to share between threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from segment_unify import __version__
from segment_unify.provider import _constants as c
from segment_unify.provider import _http, notices, pagination
from segment_unify.provider.config import Settings, resolve
from segment_unify.provider.errors import (
    RateLimitedError,
    SegmentApiError,
    ServerError,
    error_class_for,
)
from segment_unify.provider.session import Session, workspace_key

log = logging.getLogger("segment_unify.client")

USER_AGENT = f"pulumi-segment-unify/{__version__}"


class SegmentClient:
    """A client for Segment's Public API, bound to one workspace's token."""

    def __init__(
        self,
        token: str | SecretStr | None = None,
        *,
        base_url: str | None = None,
        timeout: float = c.READ_TIMEOUT,
        max_attempts: int = c.MAX_ATTEMPTS,
        backoff_initial: float = c.BACKOFF_INITIAL,
        backoff_max: float = c.BACKOFF_MAX,
        rate_limit_window: float | None = None,
        pace: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = USER_AGENT,
        endpoint_from: str | None = None,
        token_from: str | None = None,
        session: Session | None = None,
    ) -> None:
        raw = token.get_secret_value() if isinstance(token, SecretStr) else token
        settings = resolve(token=raw, endpoint=base_url)
        self._token = settings.require_token()
        self.base_url = settings.endpoint
        # For messages: which setting chose the endpoint and the token (never the token itself).
        self.endpoint_from = endpoint_from or settings.endpoint_from
        self.token_from = token_from or settings.token_from
        self.max_attempts = max_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.rate_limit_window = rate_limit_window or settings.rate_limit_window
        self.pace = pace
        self._sleep = sleep
        # Pacing, read listings and read-ahead are kept per endpoint and workspace: the provider
        # process's runtime gives the one of its workspace; a client on its own has its own.
        self.session = session or Session(
            self.base_url, workspace_key(self._token.get_secret_value())
        )
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={
                "Authorization": f"Bearer {self._token.get_secret_value()}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": user_agent,
            },
            timeout=httpx.Timeout(timeout, connect=c.CONNECT_TIMEOUT),
            limits=httpx.Limits(
                max_connections=c.MAX_CONNECTIONS, max_keepalive_connections=c.MAX_CONNECTIONS
            ),
        )
        self._counts_lock = threading.Lock()
        self.calls: Counter[str] = Counter()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, user_agent: str = USER_AGENT, session: Session | None = None
    ) -> SegmentClient:
        return cls(
            settings.require_token(),
            base_url=settings.endpoint,
            rate_limit_window=settings.rate_limit_window,
            user_agent=user_agent,
            endpoint_from=settings.endpoint_from,
            token_from=settings.token_from,
            session=session,
        )

    def __repr__(self) -> str:
        return f"SegmentClient(base_url={self.base_url!r})"

    def __enter__(self) -> SegmentClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- calls -----------------------------------------------------------------------------

    def get(
        self, operation: str, path: str, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        return self.request(operation, "GET", path, params=params)

    def post(
        self, operation: str, path: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        return self.request(operation, "POST", path, json=body)

    def patch(self, operation: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.request(operation, "PATCH", path, json=body)

    def delete(self, operation: str, path: str) -> dict[str, Any]:
        return self.request(operation, "DELETE", path)

    def paginate(
        self,
        operation: str,
        path: str,
        key: str,
        params: Mapping[str, Any] | None = None,
        *,
        count: int = c.DEFAULT_PAGE_SIZE,
    ) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, fetched page by page as the caller iterates."""
        return pagination.iterate(
            lambda query: self.get(operation, path, query), key, count=count, params=params
        )

    def request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """One Segment operation, with pacing and the retries that are safe for ``method``."""
        retrying = _http.retrying(
            method,
            max_attempts=self.max_attempts,
            initial=self.backoff_initial,
            maximum=self.backoff_max,
            sleep=self._sleep,
        )
        result: dict[str, Any] = retrying(self._send, operation, method, path, params, json)
        return result

    def _send(
        self,
        operation: str,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        limiter = self.session.limiter(operation, self.rate_limit_window)
        if self.pace:
            limiter.acquire(
                lambda wait: notices.rate_limit_wait(
                    operation, limiter.limit, self.rate_limit_window, wait
                )
            )
        with self._counts_lock:
            self.calls[operation] += 1
        started = time.monotonic()
        try:
            response = self._http.request(method, path, params=params, json=json)
        except httpx.TransportError as exc:
            log.debug("%s %s %s: %s", operation, method, path, type(exc).__name__)
            # Not chained: the transport's own text can quote a header, the token in it.
            raise _http.connection_error(
                exc,
                operation=operation,
                method=method,
                path=path,
                base_url=self.base_url,
                endpoint_from=self.endpoint_from,
            ) from None
        log.debug(
            "%s %s %s -> %d in %.0f ms",
            operation,
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        if response.status_code >= 400:
            error = self._error(operation, method, path, response)
            if isinstance(error, RateLimitedError):
                limiter.hold(error.retry_after)
            raise error
        try:
            body = response.json()
        except ValueError as exc:
            raise ServerError(
                operation=operation,
                method=method,
                path=path,
                status=response.status_code,
                error_type="InvalidResponse",
                detail="the response body is not JSON",
            ) from exc
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) else {}

    def _error(
        self, operation: str, method: str, path: str, response: httpx.Response
    ) -> SegmentApiError:
        first: dict[str, Any] = {}
        try:
            body = response.json()
            errors = body.get("errors") if isinstance(body, dict) else None
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                first = errors[0]
        except ValueError:
            pass
        secrets = [self._token.get_secret_value()]
        detail = _http.redact(str(first.get("message") or response.reason_phrase), secrets)
        data = first.get("data") if isinstance(first.get("data"), dict) else None
        common: dict[str, Any] = {
            "operation": operation,
            "method": method,
            "path": path,
            "status": response.status_code,
            "error_type": str(first.get("type") or "Error"),
            "detail": detail,
            "field": first.get("field"),
            "data": data,
        }
        cls = error_class_for(response.status_code)
        if response.status_code == 401:
            common["hint"] = (
                f"Segment did not accept the Public API token from {self.token_from} for "
                f"{self.base_url}: set a token of this workspace with `pulumi config set "
                f"--secret segment:token` (or {c.ENV_PUBLIC_API_TOKEN}); an EU workspace's token "
                f"works only at {c.EU_PUBLIC_API_URL} (segment:endpoint)"
            )
        elif response.status_code == 403:
            common["hint"] = (
                f"the Public API token from {self.token_from} lacks access to this; give the "
                "token access to the workspace's objects in Segment (Access Management > Tokens)"
            )
        elif response.status_code == 404 and method in ("POST", "PATCH", "PUT"):
            # A write's 404 is either an object gone since it was read, or an endpoint that is
            # not the Public API's base URL: name the URL and the setting that chose it.
            common["hint"] = (
                f"sent to {self.base_url} (the endpoint from {self.endpoint_from}); if the object "
                "still exists in Segment, the endpoint is wrong: Segment's Public API is at "
                f"{c.US_PUBLIC_API_URL} (EU: {c.EU_PUBLIC_API_URL}), with no path"
            )
        if cls is RateLimitedError:
            wait = _http.server_wait(data, response.headers)
            return RateLimitedError(
                retry_after=wait if wait is not None else self.backoff_initial, **common
            )
        return cls(**common)
