"""The success envelope shared by every Public API handler."""

from __future__ import annotations

from typing import Any


def envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data}
