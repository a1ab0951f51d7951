"""Figures taken from the emulator's request log: calls, statuses, calls in flight at once.

Each entry has the request's start (``timestamp``, ISO 8601) and ``durationMs``, both taken by
the emulator's outermost middleware, so in-flight counts include injected latency and faults
but not the client's side of the connection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

Entry = Mapping[str, Any]


def start(entry: Entry) -> float:
    return datetime.fromisoformat(str(entry["timestamp"])).timestamp()


def end(entry: Entry) -> float:
    return start(entry) + float(entry.get("durationMs") or 0) / 1000


def statuses(entries: Iterable[Entry]) -> Counter[int]:
    return Counter(int(e["status"]) for e in entries if e.get("status") is not None)


def max_in_flight(entries: Sequence[Entry]) -> int:
    """The most requests the emulator was handling at one moment."""
    events: list[tuple[float, int]] = []
    for entry in entries:
        # An end sorts before a start at the same instant: back-to-back calls are not overlapping.
        events += [(start(entry), 1), (end(entry), -1)]
    events.sort(key=lambda event: (event[0], event[1]))
    most = current = 0
    for _, change in events:
        current += change
        most = max(most, current)
    return most


def matching(entries: Iterable[Entry], method: str, path_suffix: str) -> list[Entry]:
    return [e for e in entries if e["method"] == method and str(e["path"]).endswith(path_suffix)]
