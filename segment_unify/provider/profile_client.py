"""``ProfileClient``: Segment's Profile API for one Unify space.

Basic auth with the space's access token as user name and an empty password; errors come as
``{"error": {"code", "message"}}`` and are raised as the same exceptions as the Public API's. Only
the reads this project needs are here: traits, external ids and metadata of one profile.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from segment_unify import __version__
from segment_unify.provider import _constants as c
from segment_unify.provider import _http
from segment_unify.provider.errors import SegmentApiError, error_class_for

_CODE_STATUS = {"not_found": 404, "authentication_error": 401, "rate_limit_error": 429}


class ProfileClient:
    """Reads profiles of one space; the token is the space's Profile API access token."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = c.US_PROFILE_API_URL,
        max_attempts: int = c.MAX_ATTEMPTS,
        backoff_initial: float = c.BACKOFF_INITIAL,
        backoff_max: float = c.BACKOFF_MAX,
        sleep: Callable[[float], None] = time.sleep,
        endpoint_from: str = f"segment:profileEndpoint or {c.ENV_PROFILE_API_URL}",
    ) -> None:
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.endpoint_from = endpoint_from
        self.max_attempts = max_attempts
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=httpx.BasicAuth(token, ""),
            headers={
                "Accept": "application/json",
                "User-Agent": f"pulumi-segment-unify/{__version__}",
            },
            timeout=httpx.Timeout(c.READ_TIMEOUT, connect=c.CONNECT_TIMEOUT),
        )

    def __repr__(self) -> str:
        return f"ProfileClient(base_url={self.base_url!r})"

    def close(self) -> None:
        self._http.close()

    def traits(
        self, space_id: str, identifier: str, *, collection: str = "users", limit: int = 100
    ) -> dict[str, Any]:
        return self._get(
            "GetProfileTraits", space_id, collection, identifier, "traits", {"limit": limit}
        )

    def external_ids(
        self, space_id: str, identifier: str, *, collection: str = "users"
    ) -> dict[str, Any]:
        return self._get("GetProfileExternalIds", space_id, collection, identifier, "external_ids")

    def metadata(
        self, space_id: str, identifier: str, *, collection: str = "users"
    ) -> dict[str, Any]:
        return self._get("GetProfileMetadata", space_id, collection, identifier, "metadata")

    def _get(
        self,
        operation: str,
        space_id: str,
        collection: str,
        identifier: str,
        leaf: str,
        params: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        path = (
            f"/v1/spaces/{quote(space_id, safe='')}/collections/{collection}"
            f"/profiles/{quote(identifier, safe=':')}/{leaf}"
        )
        # Reads only: 429s, 5xx answers and dropped connections are retried as the Public
        # API client retries them.
        retrying = _http.retrying(
            "GET",
            max_attempts=self.max_attempts,
            initial=self.backoff_initial,
            maximum=self.backoff_max,
            sleep=self._sleep,
        )
        result: dict[str, Any] = retrying(self._send, operation, path, params)
        return result

    def _send(self, operation: str, path: str, params: dict[str, Any] | None) -> dict[str, Any]:
        try:
            response = self._http.get(path, params=params)
        except httpx.TransportError as exc:
            # Not chained: the transport's own text can quote a header, credentials and all.
            raise _http.connection_error(
                exc,
                operation=operation,
                method="GET",
                path=path,
                base_url=self.base_url,
                endpoint_from=self.endpoint_from,
            ) from None
        if response.status_code >= 400:
            raise self._error(operation, path, response)
        body = response.json()
        return body if isinstance(body, dict) else {}

    def _error(self, operation: str, path: str, response: httpx.Response) -> SegmentApiError:
        error: dict[str, Any] = {}
        try:
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("error"), dict):
                error = body["error"]
        except ValueError:
            pass
        code = str(error.get("code") or "error")
        status = response.status_code or _CODE_STATUS.get(code, 400)
        detail = _http.redact(str(error.get("message") or response.reason_phrase), [self._token])
        common: dict[str, Any] = {
            "operation": operation,
            "method": "GET",
            "path": path,
            "status": status,
            "error_type": code,
            "detail": detail,
        }
        cls = error_class_for(status)
        if status == 429:
            return cls(retry_after=1.0, **common)  # type: ignore[call-arg]
        return cls(**common)
