"""``concurrently``: independent Segment reads of one engine call, sent at the same time.

Each call is a network round trip; reads that do not need each other's answers (the workspace,
the sources, the space) take one round trip together instead of one each. The client is safe to
share between threads and its pacing is process-wide, so Segment's limits still hold.

Writes stay sequential among themselves (their order and failure handling matter); a read may
run beside one only where it needs nothing from it (a create and the look for what an earlier,
cut-off create of the same resource left).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def concurrently(*calls: Callable[[], Any]) -> list[Any]:
    """The answers of ``calls`` in order; a failure is raised after every call has finished
    (the first failing call's, in argument order)."""
    if len(calls) == 1:
        return [calls[0]()]
    with ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="segment-read") as pool:
        # Each call runs in a copy of the caller's context: notices name the same object.
        futures = [pool.submit(contextvars.copy_context().run, call) for call in calls]
        return [future.result() for future in futures]
