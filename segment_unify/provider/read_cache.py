"""A list-backed read cache for refreshing many objects of one collection.

``pulumi refresh`` reads every resource; for a space with hundreds of computed traits, one GET
per trait costs hundreds of calls against a 100-per-minute limit. Instead, the first read of a
collection (a space's traits) lists it once and keeps the listing in the provider process; the
reads that follow take their object from it.

Each cached entry serves one read and is then dropped, so a second read of the same object (the
next step of a long-lived process, after a change made out of band) lists again rather than
trusting an old answer. Every write through this process drops the whole cache, and entries are
dropped after ``TTL`` seconds. ``SEGMENT_UNIFY_READ_CACHE=0`` turns the cache off (one GET per
read), for comparison. Each endpoint and workspace has its own (``session.Session.reads``).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

ENV_SWITCH = "SEGMENT_UNIFY_READ_CACHE"
TTL = 60.0


@dataclass
class _Listing:
    made: float
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)


class ReadCache:
    """Listings keyed by collection; thread-safe, one listing per collection at a time."""

    def __init__(self, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._listings: dict[Hashable, _Listing] = {}
        self._fill_locks: dict[Hashable, threading.Lock] = {}
        self._generation = 0

    @staticmethod
    def enabled() -> bool:
        return os.environ.get(ENV_SWITCH, "1") not in {"0", "false", "no", "off"}

    def take(
        self,
        collection: Hashable,
        object_id: str,
        list_all: Callable[[], Iterable[tuple[str, dict[str, Any]]]],
    ) -> dict[str, Any] | None:
        """The object from a fresh listing of ``collection``; None when the listing lacks it."""
        with self._lock:
            fill_lock = self._fill_locks.setdefault(collection, threading.Lock())
        # One thread lists a collection while the others wait for its answer.
        with fill_lock:
            found, cached = self._pop(collection, object_id)
            if cached:
                return found
            with self._lock:
                generation = self._generation
            listing = _Listing(self._clock(), dict(list_all()))
            found = listing.objects.pop(object_id, None)
            with self._lock:
                # A write while we listed makes the listing stale: use it for this read only.
                if generation == self._generation:
                    self._listings[collection] = listing
            return found

    def _pop(self, collection: Hashable, object_id: str) -> tuple[dict[str, Any] | None, bool]:
        with self._lock:
            listing = self._listings.get(collection)
            if listing is None or self._clock() - listing.made > self._ttl:
                self._listings.pop(collection, None)
                return None, False
            found = listing.objects.pop(object_id, None)
            return found, found is not None

    def drop_all(self) -> None:
        """Forget every listing (after any write)."""
        with self._lock:
            self._generation += 1
            self._listings.clear()
