"""Errors raised by the Segment clients.

    SegmentError
    ├── SegmentApiError            Segment answered with an error envelope
    │   ├── BadRequestError        400, 413
    │   ├── ValidationError        422 (``field`` names the input, when Segment says)
    │   ├── UnauthorizedError      401, 403
    │   ├── NotFoundError          404
    │   ├── ConflictError          409
    │   ├── RateLimitedError       429 (``retry_after`` in seconds)
    │   └── ServerError            5xx
    └── SegmentConnectionError     no usable answer: timeout, reset, refused, cut-off body

Every message names the operation, the method and path, and Segment's own message. No message
carries a token: the clients never put one in, Segment's text passes through ``redact``, and a
transport failure is raised without its cause (httpx's text can quote a header, such as
``Illegal header value b'Bearer …'``), since the engine prints whole chains of causes.
"""

from __future__ import annotations

from typing import Any


class SegmentError(Exception):
    """Base of every error the clients raise."""

    def __init__(self, message: str, *, operation: str, method: str, path: str) -> None:
        super().__init__(message)
        self.operation = operation
        self.method = method
        self.path = path


class SegmentApiError(SegmentError):
    """Segment answered, with an error status."""

    def __init__(
        self,
        *,
        operation: str,
        method: str,
        path: str,
        status: int,
        error_type: str,
        detail: str,
        field: str | None = None,
        data: dict[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        where = f" (field '{field}')" if field else ""
        message = f"{operation} {method} {path} failed: {status} {error_type}: {detail}{where}"
        if hint:
            message += f"; {hint}"
        super().__init__(message, operation=operation, method=method, path=path)
        self.status = status
        self.error_type = error_type
        self.detail = detail
        self.field = field
        self.data = data or {}


class BadRequestError(SegmentApiError):
    """400 or 413: the request itself is malformed or too large."""


class ValidationError(SegmentApiError):
    """422: Segment refused an input; ``field`` names it when Segment does."""


class UnauthorizedError(SegmentApiError):
    """401 or 403: the token is missing, wrong, or lacks access."""


class NotFoundError(SegmentApiError):
    """404: the object does not exist in this workspace."""


class ConflictError(SegmentApiError):
    """409: the object conflicts with an existing one."""


class RateLimitedError(SegmentApiError):
    """429: too many requests; ``retry_after`` is the wait Segment asked for, in seconds."""

    def __init__(self, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.retry_after = retry_after


class ServerError(SegmentApiError):
    """5xx: Segment failed; for a write, the change may or may not have been made."""


class SegmentConnectionError(SegmentError):
    """No usable response. ``maybe_committed`` is true for writes: Segment may have applied it."""

    def __init__(
        self, message: str, *, operation: str, method: str, path: str, maybe_committed: bool
    ) -> None:
        super().__init__(message, operation=operation, method=method, path=path)
        self.maybe_committed = maybe_committed


_BY_STATUS: dict[int, type[SegmentApiError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: UnauthorizedError,
    404: NotFoundError,
    409: ConflictError,
    413: BadRequestError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_class_for(status: int) -> type[SegmentApiError]:
    """The exception class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, BadRequestError if status < 500 else ServerError)


def outcome_unknown(exc: BaseException) -> bool:
    """True when a write may have been applied although we got no success answer."""
    if isinstance(exc, SegmentConnectionError):
        return exc.maybe_committed
    return isinstance(exc, ServerError)


class SegmentResourceError(Exception):
    """A provider-level failure a person can act on (the message says what to do)."""
