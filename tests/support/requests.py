"""Waiting for a request the provider process sends in the background.

A Unify space's create starts listing the space's seen events and traits, and then the
properties of its newest events, without waiting for the answers (``_read_ahead``). A test
that asserts on the emulator's whole request log after adopting a space waits for those
listings first, so they do not land in what is asserted.
"""

from __future__ import annotations

import time
from typing import Any

from segment_unify.provider.resources._event_properties import PREFETCH_EVENTS
from segment_unify.provider.resources._read_ahead import PROPERTY_EVENT_TYPES

READ_AHEAD_SUFFIXES = ("/events", "/traits")


def wait_for_request(
    emulator: Any, method: str, path_suffix: str, timeout: float = 10.0
) -> dict[str, Any]:
    """The first logged request of ``method`` whose path ends with ``path_suffix``."""
    deadline = time.monotonic() + timeout
    while True:
        for entry in emulator.request_log():
            if entry["method"] == method and str(entry["path"]).endswith(path_suffix):
                return dict(entry)
        if time.monotonic() > deadline:
            raise AssertionError(f"no {method} ...{path_suffix} within {timeout} s")
        time.sleep(0.02)


def wait_for_read_ahead(emulator: Any) -> list[dict[str, Any]]:
    """The listings a space's adoption starts in the background, once all are logged: its seen
    events and traits, then the properties of the newest events that carry them."""
    listed = [wait_for_request(emulator, "GET", suffix) for suffix in READ_AHEAD_SUFFIXES]
    return listed + [
        wait_for_request(emulator, "GET", f"/events/{name}/properties")
        for name in read_ahead_property_events(listed[0])
    ]


def read_ahead_property_events(events_listing: dict[str, Any]) -> list[str]:
    """The events whose properties a space's adoption lists, from its logged ListEvents."""
    answer = events_listing.get("response") or {}
    events = (answer.get("data") or {}).get("events") or []
    carrying = [str(e["name"]) for e in events if e.get("type") in PROPERTY_EVENT_TYPES]
    return carrying[:PREFETCH_EVENTS]
