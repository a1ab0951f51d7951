"""Which resource of the stack declared which natural key, as seen by this provider process.

One ``python -m pulumi.dynamic`` process checks every Segment resource of an ``up``, so two
resources that name the same object (two computed traits called "Total Calls" in one space)
are refused at ``check``, naming the other one, instead of becoming one object in Segment or
failing halfway through the ``up``. Keys are released when their resource is deleted.
Process-wide state lives here, not on the provider objects, which are pickled by reference.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

_LOCK = threading.Lock()
# natural key -> (the claiming resource's seed, its resource name)
_CLAIMS: dict[Hashable, tuple[str, str]] = {}


def claim(key: Hashable, seed: str, resource_name: str) -> str | None:
    """Record that ``seed`` declares ``key``; the other resource's name if one already does."""
    with _LOCK:
        held = _CLAIMS.setdefault(key, (seed, resource_name))
    return None if held[0] == seed else held[1]


def release(key: Hashable, seed: str) -> None:
    with _LOCK:
        if _CLAIMS.get(key, ("", ""))[0] == seed:
            del _CLAIMS[key]
