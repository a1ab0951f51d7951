"""Segment's HTTP Tracking API messages: request bodies read, checked and enriched.

What Segment documents and this module holds to: a request body may be gzip-encoded; one
message is at most 32 KB and a `/v1/batch` request at most 500 KB (over either, or a body
that is not a JSON object, is a 400); the write key comes as the Basic-auth user or as the
`writeKey` body field; a batch's top-level `context` and `integrations` apply to every message
in it. Segment answers 200 to anything else and drops, after the answer, what it cannot
accept (no `userId` or `anonymousId`, a track without `event`): `rejection` names why, for
the control plane to show as Segment's debugger would.

Timestamps follow Segment's spec: `receivedAt` is the server's clock; a client `timestamp`
is kept as `originalTimestamp`, and when `sentAt` is given too, `timestamp` is corrected for
the client's clock skew (`receivedAt - (sentAt - originalTimestamp)`); without a client
`timestamp`, `timestamp` is `receivedAt`.
"""

from __future__ import annotations

import base64
import binascii
import json
import uuid
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pydantic import TypeAdapter, ValidationError

MAX_MESSAGE_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024

MESSAGE_TYPES = ("track", "identify", "page", "screen", "group", "alias")

_DATETIME = TypeAdapter(datetime)


class TrackingRequestError(Exception):
    """A request Segment answers 400: too large, not JSON, no write key."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        # The shape Segment's libraries read an error from (`code`, `message`).
        return {"success": False, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class TrackingRequest:
    write_key: str
    messages: list[dict[str, Any]]


def basic_user(authorization: str) -> str | None:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[0] or None


def decoded_body(raw: bytes, content_encoding: str, limit: int) -> bytes:
    """The body, gunzipped when so encoded, refused past ``limit`` bytes once decoded."""
    if content_encoding.strip().lower() == "gzip":
        # Decompressing at most limit + 1 bytes: a small gzip body can expand without bound.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            raw = inflater.decompress(raw, limit + 1)
        except zlib.error:
            raise TrackingRequestError("invalid_request", "The body is not valid gzip") from None
    if len(raw) > limit:
        raise TrackingRequestError(
            "payload_too_large", f"The request is larger than {limit // 1024} KB"
        )
    return raw


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise TrackingRequestError("invalid_request", "The body is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise TrackingRequestError("invalid_request", "The body must be a JSON object")
    return parsed


def _size(message: dict[str, Any]) -> int:
    return len(json.dumps(message, separators=(",", ":")).encode("utf-8"))


def parse_request(
    path_type: str, raw: bytes, content_encoding: str, authorization: str
) -> TrackingRequest:
    """The messages of one request to `/v1/<path_type>` (`batch` or a message type)."""
    limit = MAX_BATCH_BYTES if path_type == "batch" else MAX_MESSAGE_BYTES
    body = _json_object(decoded_body(raw, content_encoding, limit))
    if path_type == "batch":
        batch = body.get("batch")
        if not isinstance(batch, list) or not all(isinstance(m, dict) for m in batch):
            raise TrackingRequestError("invalid_request", '"batch" must be a list of objects')
        shared = {key: body[key] for key in ("context", "integrations") if key in body}
        messages = [shared | message for message in batch]
        for message in batch:
            if _size(message) > MAX_MESSAGE_BYTES:
                raise TrackingRequestError(
                    "payload_too_large", "A message in the batch is larger than 32 KB"
                )
        for message in messages:
            message.setdefault("sentAt", body.get("sentAt"))
    else:
        messages = [body | {"type": path_type}]
    write_key = basic_user(authorization) or body.get("writeKey")
    if not isinstance(write_key, str) or not write_key.strip():
        raise TrackingRequestError("invalid_request", "A write key is required")
    return TrackingRequest(write_key.strip(), messages)


def _parse_time(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = _DATETIME.validate_python(value)
    except ValidationError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    text = moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def rejection(message: dict[str, Any]) -> str | None:
    """Why Segment would not accept ``message`` (after answering 200), or None."""
    kind = message.get("type")
    if kind not in MESSAGE_TYPES:
        return f"unknown message type {kind!r}"
    if not _given(message, "userId") and not _given(message, "anonymousId"):
        return "a userId or an anonymousId is required"
    if kind == "track" and not _given(message, "event"):
        return "a track call needs an event"
    if kind == "alias" and not _given(message, "previousId"):
        return "an alias call needs a previousId"
    if kind == "group" and not _given(message, "groupId"):
        return "a group call needs a groupId"
    return None


def _given(message: dict[str, Any], key: str) -> bool:
    """Present and not blank: an id of white space identifies no one."""
    value = message.get(key)
    return value is not None and not (isinstance(value, str) and not value.strip())


def enriched(message: dict[str, Any], received_at: datetime) -> dict[str, Any]:
    """The message as Segment stores it: ids stringified, messageId and timestamps set."""
    stored = {key: value for key, value in message.items() if key != "writeKey"}
    for key in ("userId", "anonymousId", "previousId", "groupId"):
        if stored.get(key) is not None and not isinstance(stored[key], str):
            stored[key] = json.dumps(stored[key])
    if not stored.get("messageId"):
        stored["messageId"] = f"api-{uuid.uuid4()}"
    stored.setdefault("context", {})
    stored["receivedAt"] = iso(received_at)
    original, sent = _parse_time(stored.get("timestamp")), _parse_time(stored.get("sentAt"))
    if original is None:
        stored["timestamp"] = stored["receivedAt"]
    else:
        stored["originalTimestamp"] = iso(original)
        corrected = received_at - (sent - original) if sent is not None else original
        stored["timestamp"] = iso(corrected)
    if sent is not None:
        stored["sentAt"] = iso(sent)
    else:
        stored.pop("sentAt", None)
    return stored
