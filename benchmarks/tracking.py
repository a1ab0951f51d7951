"""The emulator's Tracking API: events per second, and what a computed value costs per event.

- **Accepted and computed**: a spawned emulator (its own process, as a user runs it), a
  ``javascript`` source made through the Public API and connected to the dev space, and a
  computed trait counting the event; Segment's own Python library (``segment-analytics-python``,
  batches of 100, gzip) sends N track calls for N / 10 users and flushes; the clock stops when
  the source holds every message and the space's profile listing (which evaluates each profile's
  computed traits) counts all N events in the trait's values — so the rate is of events
  accepted, stored, resolved to profiles and computed over.
- **Evaluation cost**: ``evaluate()`` of the six Flex traits over one profile's interaction
  stream of E events, per event (median of 5), and the same at 10 x E: cost per event should not
  grow with the stream (the ratio is reported).
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx

from benchmarks.stack import SEED, SPACE_SLUG
from benchmarks.table import Row
from segment_unify.emulator.testing import spawn_emulator

EVENTS, QUICK_EVENTS = 5000, 300
STREAM, QUICK_STREAM = 200, 50
JAVASCRIPT = "IqDTy1TpoU"
TIMEOUT = 300.0


EVENT = "Flex - Engagement Initiated"
TRAIT = "bench_engagements"


def _feed(url: str, token: str) -> tuple[str, str, str]:
    """A new source (id, write key) connected to the dev space, and the space's id; the space
    gets a computed trait counting the benchmark's event."""
    headers = {"Authorization": f"Bearer {token}"}
    body = {"slug": "bench", "enabled": True, "metadataId": JAVASCRIPT}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as api:
        made = api.post("/sources", json=body)
        made.raise_for_status()
        source = made.json()["data"]["source"]
        spaces = api.get("/spaces").json()["data"]["spaces"]
        space = next(s["id"] for s in spaces if s["slug"] == SPACE_SLUG)
        trait = {
            "name": "Bench engagements",
            "definition": {"type": "USERS", "query": f"event('{EVENT}').count()"},
        }
        api.post(f"/spaces/{space}/computed-traits", json=trait).raise_for_status()
    httpx.put(f"{url}/__emulator/spaces/{space}/sources/{source['id']}").raise_for_status()
    return str(source["id"]), str(source["writeKeys"][0]), str(space)


def _messages(url: str, source: str) -> int:
    answer = httpx.get(f"{url}/__emulator/sources/{source}/messages", timeout=60).json()
    return len(answer["messages"])


def _computed(url: str, space: str) -> int:
    """The events the space's profiles count in the benchmark trait (computed on listing)."""
    profiles = httpx.get(f"{url}/__emulator/spaces/{space}/profiles", timeout=120).json()
    return sum(int(p["traits"].get(TRAIT) or 0) for p in profiles["profiles"])


def throughput(count: int) -> tuple[float, int]:
    from segment.analytics import Client

    with spawn_emulator(seed=SEED) as emulator:
        source, write_key, space = _feed(emulator.url, emulator.token)
        client = Client(write_key, host=emulator.url, gzip=True, upload_size=100, max_retries=3)
        started = time.monotonic()
        for n in range(count):
            client.track(
                f"user-{n % max(1, count // 10)}",
                EVENT,
                {"direction": "Inbound" if n % 2 else "Outbound", "channel": "voice"},
            )
        client.flush()
        deadline = started + TIMEOUT
        while _messages(emulator.url, source) < count and time.monotonic() < deadline:
            time.sleep(0.5)
        computed = _computed(emulator.url, space)
        elapsed = time.monotonic() - started
        client.shutdown()
    return elapsed, computed


def _stream(length: int) -> list[dict[str, Any]]:
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return [
        {
            "type": "track",
            "event": "Flex - Engagement Initiated" if n % 2 else "Flex - Engagement Completed",
            "userId": "u1",
            "timestamp": (start + timedelta(minutes=n)).isoformat(),
            "properties": {
                "direction": "Inbound" if n % 3 else "Outbound",
                "channel": "voice",
                "sentiment": "positive",
                "agent": f"agent-{n % 4}",
                "duration": n % 600,
            },
        }
        for n in range(length)
    ]


def evaluation_cost(length: int) -> float:
    """Seconds per event to evaluate the six Flex traits over one profile of ``length`` events."""
    from segment_unify.components.flex_traits import flex_traits
    from segment_unify.query.evaluation import evaluate

    queries = [spec.definition.definition["query"] for spec in flex_traits()]
    events = _stream(length)
    at = datetime(2026, 12, 1, tzinfo=timezone.utc)

    def once() -> float:
        started = time.perf_counter()
        for query in queries:
            evaluate(query, events, at)
        return time.perf_counter() - started

    return statistics.median(once() for _ in range(5)) / length


def run(quick: bool = False) -> list[Row]:
    count = QUICK_EVENTS if quick else EVENTS
    stream = QUICK_STREAM if quick else STREAM
    elapsed, stored = throughput(count)
    small, large = evaluation_cost(stream), evaluation_cost(stream * 10)
    return [
        Row(
            "Tracking API: events accepted, stored and computed per second",
            f"{stored / elapsed:.0f} events/s",
            "report",
            None,
            f"{stored}/{count} events through segment-analytics-python (batches of 100, gzip) "
            f"into one connected space in {elapsed:.2f} s, {count // 10} users; the clock stops "
            "when the space's profile listing, which computes their traits, shows every event",
        ),
        Row(
            "Evaluation: the six Flex traits, cost per event",
            f"{small * 1e6:.1f} µs per event at {stream} events",
            "report",
            None,
            f"{large * 1e6:.1f} µs per event at {stream * 10} events "
            f"({large / small:.2f}x): medians of 5 evaluations of all six over one profile",
        ),
    ]
