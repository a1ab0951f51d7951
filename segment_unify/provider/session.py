"""What the provider process keeps for one endpoint and workspace: one ``Session`` each.

One object, one rule per kind of thing kept:

- ``limiter(operation, window)``: the pacing of one operation (Segment counts requests per
  workspace and operation); kept as long as the session, so a client built again (the stack
  configured again) still counts the calls already made in the window.
- ``reads``: listings that serve the reads of a refresh (``read_cache``); any write
  through the session drops them, and they expire after a TTL.
- ``ahead``: what a space's later resources check against, listed once the space is adopted
  (``resources._read_ahead``): seen events and their properties only grow, a listed trait
  serves one create.
- ``remembered(kind, key, compute)``: answers that hold for the life of the session (Segment's
  catalogs change with its releases, not within an ``up``; settings that passed a Test
  Connection pass again).

The provider process's sessions belong to its runtime (``runtime.ProviderRuntime``), keyed by
endpoint and a digest of the token, never the token; a client built outside one has its own.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from segment_unify.provider import _constants as c
from segment_unify.provider.pacing import Limiter, limit_for
from segment_unify.provider.read_ahead_store import ReadAhead
from segment_unify.provider.read_cache import ReadCache

T = TypeVar("T")


class Session:
    """The pacing, read listings, read-ahead and remembered answers of one endpoint and
    workspace."""

    def __init__(self, endpoint: str, workspace: str) -> None:
        self.endpoint = endpoint
        self.workspace = workspace
        self.reads = ReadCache()
        self.ahead = ReadAhead()
        self._limiters: dict[str, Limiter] = {}
        self._remembered: dict[tuple[str, Hashable], Any] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Session(endpoint={self.endpoint!r}, workspace={self.workspace!r})"

    def limiter(self, operation: str, window: float) -> Limiter:
        """The limiter of ``operation``, shared by every thread and client of the session."""
        with self._lock:
            found = self._limiters.get(operation)
            if found is None or found.window != window * (1 + c.PACING_MARGIN):
                found = Limiter(limit_for(operation), window)
                self._limiters[operation] = found
            return found

    def remembered(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer kept for ``(kind, key)``, else ``compute()``'s, kept once it returns (a
        failure is not kept: the next call asks again)."""
        with self._lock:
            if (kind, key) in self._remembered:
                found: T = self._remembered[(kind, key)]
                return found
        answer = compute()
        with self._lock:
            self._remembered[(kind, key)] = answer
        return answer


def workspace_key(token: str) -> str:
    """A stable key for a token's workspace that does not reveal the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]
