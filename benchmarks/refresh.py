"""Refresh at scale: ``pulumi refresh`` of 1,000 computed traits in one space.

Setup: the emulator (its own process, a SQLite file) gets 1,000 traits through the Public API
on a clock running 6,000 times faster, and the engine's state gets one record per trait, as
``up`` would have left it. The emulator is then restarted on the same file with a clock 60
times faster (Segment's minute is a second; the provider paces to match), and the state is
refreshed twice, each time by a fresh provider process and eight engine threads (the process
serves four calls at once): once with the provider's list-backed read cache (one listing of the
space serves every trait's read) and once with ``SEGMENT_UNIFY_READ_CACHE=0`` (one GET per
trait). Calls are the emulator's request log; every trait must come back unchanged.

At Segment's own limits (GET 100/min, list 25/min), 1,000 GETs wait at least 9 full minutes;
the listing's few pages wait for none.
"""

from __future__ import annotations

import math
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.stack import SEED, SPACE_SLUG, provider_for, window_env
from benchmarks.table import Row, seconds
from segment_unify.emulator.ratelimits import WINDOW_SECONDS, limit_for
from segment_unify.emulator.testing import spawn_emulator
from segment_unify.localrun.engine import Engine, Resource, provider_blob
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.resources.computed_trait import ComputedTrait

TRAITS = 1000
QUICK_TRAITS = 50
TARGET_CALLS = 5
SETUP_TIME_SCALE = 6000.0
TIME_SCALE = 60.0
THREADS = 8
CACHE_SWITCH = "SEGMENT_UNIFY_READ_CACHE"


def _make_traits(url: str, token: str, count: int) -> list[Resource]:
    """``count`` traits in the dev space, and the state records ``up`` would have left."""
    window = WINDOW_SECONDS / SETUP_TIME_SCALE
    blob = provider_blob(ComputedTrait._segment_provider)
    with SegmentClient(token, base_url=url, rate_limit_window=window) as client:
        spaces = client.get("ListSpaces", "/spaces")["spaces"]
        space = next(s["id"] for s in spaces if s["slug"] == SPACE_SLUG)

        def create(n: int) -> Resource:
            body = {
                "name": f"Trait {n}",
                "enabled": True,
                "definition": {"type": "USERS", "query": "event('Identify').count()"},
            }
            path = f"/spaces/{space}/computed-traits"
            trait = client.post("CreateComputedTrait", path, body)["computedTrait"]
            provider = ComputedTrait._segment_provider
            outputs: dict[str, Any] = {**provider.state(trait), "__provider": blob}
            fields = provider.inputs_model.model_fields
            inputs = {k: outputs[k] for k in fields if k in outputs}
            urn = Engine.urn(ComputedTrait.type_token(), f"trait-{n}")
            return Resource(urn, f"{space}/{trait['id']}", inputs, outputs)

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            return list(pool.map(create, range(count)))


def _refresh(emulator: Any, records: list[Resource], cache: bool) -> tuple[float, int, int, int]:
    """Seconds, calls, GETs of one trait, traits that came back unchanged."""
    env = {**window_env(TIME_SCALE), CACHE_SWITCH: "1" if cache else "0"}
    with provider_for(emulator, env=env) as provider:
        engine = Engine(provider)
        for record in records:
            engine.state[record.urn] = Resource(
                record.urn, record.id, dict(record.inputs), dict(record.outputs)
            )
        emulator.clear_request_log()
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            refreshed = list(pool.map(engine.refresh, list(engine.state)))
        elapsed = time.monotonic() - started
    entries = emulator.request_log()
    gets = sum(1 for e in entries if "/computed-traits/" in str(e["path"]))
    same = sum(
        1
        for record, fresh in zip(records, refreshed, strict=True)
        if fresh is not None and fresh.outputs.get("name") == record.outputs["name"]
    )
    return elapsed, len(entries), gets, same


def run(quick: bool = False) -> list[Row]:
    count = QUICK_TRAITS if quick else TRAITS
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "segment.db")
        with spawn_emulator(seed=SEED, db=db, time_scale=SETUP_TIME_SCALE) as emulator:
            records = _make_traits(emulator.url, emulator.token, count)
        with spawn_emulator(seed=SEED, db=db, time_scale=TIME_SCALE) as emulator:
            cached = _refresh(emulator, records, cache=True)
            uncached = _refresh(emulator, records, cache=False)
    get_windows = math.ceil(count / limit_for("GetComputedTrait")) - 1
    time_ratio = uncached[0] / cached[0] if cached[0] else float("inf")
    return [
        Row(
            f"Refresh of {count} computed traits in one space: API calls (read cache)",
            f"{cached[1]} calls in {seconds(cached[0])}",
            f"<= {TARGET_CALLS} calls",
            cached[1] <= TARGET_CALLS and cached[3] == count,
            f"traits read back unchanged: {cached[3]}/{count}; one GET per trait "
            f"({CACHE_SWITCH}=0): {uncached[1]} calls ({uncached[2]} GETs) in "
            f"{seconds(uncached[0])}, {time_ratio:.1f}x the time, on a clock 60x Segment's",
        ),
        Row(
            "Refresh: the same at Segment's own limits (derived)",
            f"read cache: {math.ceil(cached[1] / limit_for('ListComputedTraits')) - 1} "
            f"waits; one GET per trait: >= {get_windows} minutes of waits",
            "report",
            None,
            f"GetComputedTrait {limit_for('GetComputedTrait')}/min, ListComputedTraits "
            f"{limit_for('ListComputedTraits')}/min: ceil(calls / limit) - 1 full windows; "
            f"{uncached[3]}/{count} traits unchanged without the cache",
        ),
    ]
