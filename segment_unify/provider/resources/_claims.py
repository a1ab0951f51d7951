"""Which resource of the stack declared which natural key, and holds which object, as seen by
this provider process.

One ``python -m pulumi.dynamic`` process serves every Segment resource of an ``up``, so:

- two resources that name the same object (two computed traits called "Total Calls" in one
  space) are refused at ``check``, naming the other one, instead of becoming one object in
  Segment or failing halfway through the ``up``; keys are released when their resource is
  deleted;
- the objects resources of the stack hold (seen by ``diff`` or made by ``create``) are noted, so
  a resource's ``delete`` never removes an object another resource of the stack holds by then
  (one renamed in the program and brought back by ``adopt_id``): it only forgets it.

Process-wide state lives here, not on the provider objects, which are pickled by reference.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable

_LOCK = threading.Lock()
# natural key -> the claiming resource (its type and name)
_CLAIMS: dict[Hashable, str] = {}
# (kind, Pulumi id) -> the resource of the stack that holds the object
_HOLDERS: dict[tuple[str, str], str] = {}


def claim(key: Hashable, owner: str) -> str | None:
    """Record that ``owner`` declares ``key``; the other resource if one already does."""
    with _LOCK:
        held = _CLAIMS.setdefault(key, owner)
    return None if held == owner else held


def release(key: Hashable, owner: str) -> None:
    with _LOCK:
        if _CLAIMS.get(key) == owner:
            del _CLAIMS[key]


def hold(kind: str, id_: str, owner: str) -> str | None:
    """Note that ``owner`` holds the object; the other resource if one already does."""
    with _LOCK:
        held = _HOLDERS.setdefault((kind, id_), owner)
    return None if held == owner else held


def holder(kind: str, id_: str) -> str | None:
    with _LOCK:
        return _HOLDERS.get((kind, id_))


def let_go(kind: str, id_: str, owner: str) -> None:
    with _LOCK:
        if _HOLDERS.get((kind, id_)) == owner:
            del _HOLDERS[(kind, id_)]
