"""What one session has listed ahead of time (``session.Session.ahead``), by space id.

Kept apart from what does the listing (``resources._read_ahead``): the session, in the core,
holds this store and imports nothing of the resources.
"""

from __future__ import annotations

import threading
from typing import Any


class ReadAhead:
    """One session's listings ahead of time (``session.Session.ahead``), by space id."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[tuple[str, str], threading.Thread] = {}
        # A space's seen events only grow, so a name found once holds for the life of the process.
        self.seen_events: dict[str, set[str]] = {}
        # The space's traits by key, as listed when the space was adopted.
        self.listed_traits: dict[str, dict[str, dict[str, Any]]] = {}
        # (space id, event) -> property name -> sample values (``_event_properties``).
        self.event_properties: dict[tuple[str, str], dict[str, list[str]]] = {}

    def settled(self, what: str, space_id: str) -> None:
        with self.lock:
            pending = self.pending.get((what, space_id))
        if pending is not None:
            pending.join()

    def settle_all(self) -> None:
        """Wait for every listing under way (a runtime closing, a test ending), and for those
        they start while it waits (the events' listing starts their properties')."""
        joined: set[threading.Thread] = set()
        while True:
            with self.lock:
                pending = [t for t in self.pending.values() if t not in joined]
            if not pending:
                return
            for thread in pending:
                thread.join()
                joined.add(thread)
