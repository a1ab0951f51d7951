"""Errors in the shapes Segment's APIs return, rendered by one set of handlers.

Public API errors are `{"errors": [{"type", "message", "field"?, "data"?}]}`:

    SegmentError
    ├── Unauthorized        401 Unauthorized
    ├── NotFound            404 NotFound "Resource not found"
    ├── MethodNotAllowed    405 MethodNotAllowed (Segment's status here is not documented)
    ├── ValidationFailure   422 ValidationFailure, `field` names the bad body/query field
    └── TooManyRequests     429 RequestError "Too many requests", data = rate-limit points

Profile API errors are `{"error": {"code", "message"}}` (ProfileApiError). Every path that
FastAPI or Starlette would answer on its own (unknown route, wrong method, request validation,
unhandled exception) is routed through `install_error_handlers`, so `{"detail": ...}` is never
seen. What is not emulated: Segment's exact wording of validation messages (the emulator uses
joi-like `"field" is required` sentences).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROFILE_API_PREFIX = "/profile-api"


class SegmentError(Exception):
    """An error rendered in the Public API envelope."""

    status = 400
    type = "BadRequest"
    default_message = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.field = field
        self.data = dict(data) if data is not None else None
        self.headers = dict(headers or {})
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        if self.data is not None:
            error["data"] = self.data
        return {"errors": [error]}


class Unauthorized(SegmentError):  # noqa: N818 - named as Segment's error type
    status = 401
    type = "Unauthorized"
    default_message = "Unauthorized: missing or invalid token"


class NotFound(SegmentError):  # noqa: N818 - named as Segment's error type
    status = 404
    type = "NotFound"
    default_message = "Resource not found"


class MethodNotAllowed(SegmentError):  # noqa: N818 - named as Segment's error type
    status = 405
    type = "MethodNotAllowed"
    default_message = "Method not allowed"


class ValidationFailure(SegmentError):  # noqa: N818 - named as Segment's error type
    status = 422
    type = "ValidationFailure"
    default_message = "Validation failure"


class TooManyRequests(SegmentError):  # noqa: N818 - named as Segment's error type
    status = 429
    type = "RequestError"
    default_message = "Too many requests"


class ProfileApiError(Exception):
    """An error rendered in the Profile API's `{"error": {code, message}}` shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        self.status = status
        self.code = code
        self.message = message
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def profile_unauthorized() -> ProfileApiError:
    return ProfileApiError(401, "authentication_error", "Invalid or missing access token")


def profile_not_found(message: str = "Profile not found") -> ProfileApiError:
    return ProfileApiError(404, "not_found", message)


def _is_profile_api(request: Request) -> bool:
    return request.url.path.startswith(PROFILE_API_PREFIX)


def _rate_limit_headers(request: Request) -> dict[str, str]:
    headers = getattr(request.state, "rate_limit_headers", None)
    return dict(headers) if isinstance(headers, dict) else {}


def field_from_location(loc: Sequence[int | str]) -> str:
    """`("body", "definition", "query")` -> `definition.query`; list indexes as `[i]`."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path") else loc)
    field = ""
    for part in parts:
        if isinstance(part, int):
            field += f"[{part}]"
        else:
            field += f".{part}" if field else str(part)
    return field or "body"


_TYPE_SENTENCES = {
    "missing": "is required",
    "extra_forbidden": "is not allowed",
    "bool_type": "must be a boolean",
    "string_type": "must be a string",
    "int_type": "must be a number",
    "float_type": "must be a number",
    "list_type": "must be an array",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
}


def validation_message(field: str, error_type: str, message: str) -> str:
    """A joi-like sentence for one pydantic error."""
    if error_type == "json_invalid":
        return "The request body is not valid JSON"
    sentence = _TYPE_SENTENCES.get(error_type)
    if sentence is None:
        sentence = message.replace("Input should be", "must be")
        sentence = sentence[:1].lower() + sentence[1:]
    return f'"{field}" {sentence}'


def install_error_handlers(app: FastAPI) -> None:
    """Render every error path in Segment's envelopes."""

    async def segment_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, SegmentError)
        headers = _rate_limit_headers(request) | exc.headers
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    async def profile_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProfileApiError)
        return JSONResponse(exc.body(), status_code=exc.status)

    async def request_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {"loc": (), "type": "", "msg": ""}
        field = field_from_location(tuple(first.get("loc", ())))
        if first.get("type") == "json_invalid":
            field = "body"
        message = validation_message(field, str(first.get("type", "")), str(first.get("msg", "")))
        if _is_profile_api(request):
            return await profile_error(request, ProfileApiError(400, "validation_error", message))
        return await segment_error(request, ValidationFailure(message, field=field))

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if _is_profile_api(request):
            code = "not_found" if exc.status_code == 404 else "invalid_request_error"
            return await profile_error(
                request, ProfileApiError(exc.status_code, code, str(exc.detail))
            )
        error: SegmentError
        if exc.status_code == 404:
            error = NotFound()
        elif exc.status_code == 405:
            error = MethodNotAllowed()
        else:
            error = SegmentError(str(exc.detail))
            error.status = exc.status_code
        return await segment_error(request, error)

    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        if _is_profile_api(request):
            return JSONResponse(
                {"error": {"code": "internal_error", "message": "Internal server error"}},
                status_code=500,
            )
        body = {"errors": [{"type": "InternalServerError", "message": "Internal server error"}]}
        return JSONResponse(body, status_code=500)

    app.add_exception_handler(SegmentError, segment_error)
    app.add_exception_handler(ProfileApiError, profile_error)
    app.add_exception_handler(RequestValidationError, request_validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
