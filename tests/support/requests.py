"""Waiting for a request the provider process sends in the background.

A Unify space's create starts listing the space's seen events without waiting for the answer
(``prefetch_events``). A test that asserts on the emulator's whole request log after adopting
a space waits for that listing first, so it does not land in the middle of what is asserted.
"""

from __future__ import annotations

import time
from typing import Any

EVENTS_SUFFIX = "/events"


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


def wait_for_events_prefetch(emulator: Any) -> dict[str, Any]:
    return wait_for_request(emulator, "GET", EVENTS_SUFFIX)
