"""Waiting for a request the provider process sends in the background.

A Unify space's create starts listing the space's seen events and traits without waiting for
the answers (``_read_ahead``). A test that asserts on the emulator's whole request log after
adopting a space waits for those listings first, so they do not land in what is asserted.
"""

from __future__ import annotations

import time
from typing import Any

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
    """The two listings a space's adoption starts in the background, once both are logged."""
    return [wait_for_request(emulator, "GET", suffix) for suffix in READ_AHEAD_SUFFIXES]
