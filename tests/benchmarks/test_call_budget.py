"""The example's ``up`` keeps to its budget of calls to Segment: in all, and one after another
on its critical path. Counts, not times: each resource's sequential calls are its step's time
at a latency far above this machine's noise, less the same step with none, in round trips
(``benchmarks.latency``), so a slow moment cannot turn one call into two."""

from __future__ import annotations

import pytest

from benchmarks import latency
from benchmarks.stack import SEED, provider_for, window_env
from segment_unify.emulator.testing import spawn_emulator

pytestmark = pytest.mark.timeout(240)

LATENCY_MS = 400
# The space, its token, each source, the warehouse and its connection, the model, the
# destination, the mapping and Profiles Sync one round trip each; a source's name and the
# mapping's schedule a second write each (Segment's create bodies take neither); six traits
# on the provider process's four workers two rounds.
CRITICAL_PATH = 15
# Every call of a warm ``up`` against a fresh Segment.
TOTAL = 34
# A fresh provider process (every ``pulumi up`` under the CLI) also asks Segment's Test
# Connection before the warehouse; the Reverse ETL source's catalog entry is read beside it.
COLD_CRITICAL_PATH = 16
COLD_LATENCY_MS = 600


def test_the_examples_up_keeps_to_its_budget_of_calls() -> None:
    _, base, slow = latency.measure(LATENCY_MS, runs=1)
    calls_on_path, path, rounds = latency.critical_path(base, slow, LATENCY_MS / 1000)
    per_resource = ", ".join(f"{r.name} {rounds(r):.0f}" for r in path)
    assert calls_on_path <= CRITICAL_PATH, per_resource
    assert slow.calls <= TOTAL
    assert base.calls == slow.calls


def test_the_examples_up_in_a_fresh_provider_process_keeps_to_its_budget() -> None:
    base, slow = latency.Measured(), latency.Measured()
    with spawn_emulator(seed=SEED, time_scale=latency.TIME_SCALE) as emulator:
        for latency_ms, into in ((0, base), (COLD_LATENCY_MS, slow)):
            with provider_for(emulator, env=window_env(latency.TIME_SCALE)) as provider:
                latency.timed_up(emulator, provider, latency_ms, into)
    calls_on_path, path, rounds = latency.critical_path(base, slow, COLD_LATENCY_MS / 1000)
    per_resource = ", ".join(f"{r.name} {rounds(r):.0f}" for r in path)
    assert calls_on_path <= COLD_CRITICAL_PATH, per_resource
