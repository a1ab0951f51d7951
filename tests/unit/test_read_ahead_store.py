"""``ReadAhead.settle_all`` waits for the listings under way and for those they start while it
waits: the events' listing starts each event's properties listing, and a runtime that closed its
client before those finished left them failing on a closed client."""

from __future__ import annotations

import threading

from segment_unify.provider.read_ahead_store import ReadAhead


def test_settle_all_waits_for_listings_started_while_it_waits() -> None:
    ahead = ReadAhead()
    started_second = threading.Event()
    release_second = threading.Event()
    finished: list[str] = []

    def second() -> None:
        release_second.wait(timeout=10)
        finished.append("properties")

    def first() -> None:
        thread = threading.Thread(target=second, daemon=True)
        with ahead.lock:
            ahead.pending[("properties", "spa_1")] = thread
        thread.start()
        started_second.set()
        finished.append("events")

    with ahead.lock:
        ahead.pending[("events", "spa_1")] = threading.Thread(target=first, daemon=True)
    # settle_all takes its first look before the events' listing runs.
    waiting = threading.Thread(target=ahead.settle_all, daemon=True)
    listing = ahead.pending[("events", "spa_1")]
    original_join = listing.join

    def join_after_start(timeout: float | None = None) -> None:
        listing.start()
        started_second.wait(timeout=10)
        original_join(timeout)

    listing.join = join_after_start  # type: ignore[method-assign]
    waiting.start()
    started_second.wait(timeout=10)
    waiting.join(timeout=0.5)
    assert waiting.is_alive(), "settle_all returned while a listing it started was under way"
    release_second.set()
    waiting.join(timeout=10)
    assert not waiting.is_alive()
    assert finished == ["events", "properties"]
