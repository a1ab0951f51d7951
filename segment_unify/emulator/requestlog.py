"""The request log kept for tests: method, path, status, time, fault, redacted headers, body,
and the body of the answer (`response`).

The `authorization` header is replaced by its scheme and `[REDACTED]`, so no token is ever
stored. Bodies are kept parsed (JSON) or as text, truncated to 64 KiB. The log is bounded.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from typing import Any

MAX_ENTRIES = 10_000
MAX_BODY_BYTES = 64 * 1024


def redact_authorization(value: str) -> str:
    scheme, _, _ = value.partition(" ")
    return f"{scheme} [REDACTED]" if scheme else "[REDACTED]"


def decode_body(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw[:MAX_BODY_BYTES].decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        # Not JSON, or nested past what the parser recurses into: logged as sent.
        return text


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: deque[dict[str, Any]] = deque(maxlen=MAX_ENTRIES)

    def append(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
