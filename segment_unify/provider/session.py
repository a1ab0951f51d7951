"""What the provider process keeps for one endpoint and workspace: one ``Session`` each.

One object, one rule per kind of thing kept:

- ``limiter(operation, window)``: the pacing of one operation (Segment counts requests per
  workspace and operation); kept as long as the process, so a client built again (the stack
  configured again) still counts the calls already made in the window.
- ``reads``: listings that serve the reads of a refresh (``read_cache``); any write
  through the session drops them, and they expire after a TTL.
- ``ahead``: what a space's later resources check against, listed once the space is adopted
  (``resources._read_ahead``): seen events and their properties only grow, a listed trait
  serves one create.

Every ``SegmentClient`` carries the session of its endpoint and workspace; the provider
process's client is built by ``config.public_client()``. Sessions are keyed by endpoint and a
digest of the token, never the token. ``reset()`` forgets them all (a fresh process, for tests).
"""

from __future__ import annotations

import hashlib
import threading

from segment_unify.provider import _constants as c
from segment_unify.provider.pacing import Limiter, limit_for
from segment_unify.provider.read_ahead_store import ReadAhead
from segment_unify.provider.read_cache import ReadCache


class Session:
    """The pacing, read listings and read-ahead of one endpoint and workspace."""

    def __init__(self, endpoint: str, workspace: str) -> None:
        self.endpoint = endpoint
        self.workspace = workspace
        self.reads = ReadCache()
        self.ahead = ReadAhead()
        self._limiters: dict[str, Limiter] = {}
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


_sessions: dict[tuple[str, str], Session] = {}
_lock = threading.Lock()


def workspace_key(token: str) -> str:
    """A stable key for a token's workspace that does not reveal the token."""
    return hashlib.sha256(token.encode()).hexdigest()[:16]


def session_for(endpoint: str, token: str) -> Session:
    """The process's session of ``endpoint`` and the workspace of ``token``."""
    key = (endpoint, workspace_key(token))
    with _lock:
        found = _sessions.get(key)
        if found is None:
            found = _sessions[key] = Session(*key)
        return found


def sessions() -> list[Session]:
    with _lock:
        return list(_sessions.values())


def reset() -> None:
    """Forget every session (the state of a fresh process)."""
    with _lock:
        _sessions.clear()


def adopted_here(space_id: str) -> bool:
    """Whether this process adopted the space (so it serves an ``up``, which may read ahead:
    a preview adopts nothing)."""
    for session in sessions():
        with session.ahead.lock:
            if ("events", space_id) in session.ahead.pending:
                return True
    return False
