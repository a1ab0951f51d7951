"""Which resource of the stack declared which natural key, and holds which object, as seen by
the provider process (``runtime.ProviderRuntime.claims``).

One ``python -m pulumi.dynamic`` process serves every Segment resource of an ``up``, so:

- two resources that name the same object (two computed traits called "Total Calls" in one
  space) are refused at ``check``, naming the other one, instead of becoming one object in
  Segment or failing halfway through the ``up``; keys are released when their resource is
  deleted;
- the objects resources of the stack hold (seen by ``diff`` or made by ``create``) are noted, so
  a resource's ``delete`` never removes an object another resource of the stack holds by then
  (one renamed in the program and brought back by ``adopt_id``): it only forgets it.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable


class Claims:
    """Natural keys declared and objects held, by resource of the stack (its type and name)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # natural key -> the claiming resource
        self._claims: dict[Hashable, str] = {}
        # (kind, Pulumi id) -> the resource of the stack that holds the object
        self._holders: dict[tuple[str, str], str] = {}

    def claim(self, key: Hashable, owner: str) -> str | None:
        """Record that ``owner`` declares ``key``; the other resource if one already does."""
        with self._lock:
            held = self._claims.setdefault(key, owner)
        return None if held == owner else held

    def release(self, key: Hashable, owner: str) -> None:
        with self._lock:
            if self._claims.get(key) == owner:
                del self._claims[key]

    def hold(self, kind: str, id_: str, owner: str) -> str | None:
        """Note that ``owner`` holds the object; the other resource if one already does."""
        with self._lock:
            held = self._holders.setdefault((kind, id_), owner)
        return None if held == owner else held

    def holder(self, kind: str, id_: str) -> str | None:
        with self._lock:
            return self._holders.get((kind, id_))

    def let_go(self, kind: str, id_: str, owner: str) -> None:
        with self._lock:
            if self._holders.get((kind, id_)) == owner:
                del self._holders[(kind, id_)]
