"""A lost create answer while Segment's lists trail its writes leaves no duplicate.

The emulator commits each resource's create, loses the answer, and keeps the new object out of
its lists for 1, 3 or 10 s of Segment's time (the emulator runs 10 x faster). The provider
must not take one empty listing as proof that nothing was made: it lists again within a
bounded wait (``SEGMENT_UNIFY_LIST_WAIT_SECONDS``, here 30 s of Segment's time) and otherwise
fails saying the outcome is unknown; the next ``up`` looks for the same deterministic name.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import grpc
import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from tests.conftest import SEED_PATH
from tests.protocol.cases import CASES, CREATES, Case, props_of
from tests.support.engine import Engine, ProviderProcess, Resource

pytestmark = pytest.mark.timeout(180)

TIME_SCALE = 10.0
WAIT = 30.0  # Segment seconds the provider lists again for
COUNTED = [case for case in CASES if case.count_in_segment is not None]


@pytest.fixture
def emulator() -> Iterator[InProcessEmulator]:
    with running_emulator(seed=SEED_PATH, time_scale=TIME_SCALE) as handle:
        yield handle


@contextmanager
def _engine(emulator: InProcessEmulator, wait: float) -> Iterator[Engine]:
    with ProviderProcess({"SEGMENT_UNIFY_LIST_WAIT_SECONDS": str(wait)}) as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": emulator.url,
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        yield Engine(proc)


@pytest.fixture
def engine(emulator: InProcessEmulator) -> Iterator[Engine]:
    with _engine(emulator, WAIT / TIME_SCALE) as engine:
        yield engine


def _up(engine: Engine, case: Case, name: str, args: dict[str, Any]) -> Resource:
    return engine.up(case.cls.type_token(), name, props_of(case.cls, name, **args))


def _arm(emulator: InProcessEmulator, lag: float) -> None:
    emulator.set_faults(
        [
            {"kind": "list_lag", "lag_seconds": lag},
            {**CREATES, "kind": "lost_response", "max_count": 1, "status": 504},
        ]
    )


@pytest.mark.parametrize("lag", [1, 3, 10])
@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c.id)
def test_lost_create_with_lagging_lists_leaves_one_object(
    case: Case, lag: float, engine: Engine, segment: httpx.Client, emulator: InProcessEmulator
) -> None:
    assert case.count_in_segment is not None
    if case.prepare is not None:
        case.prepare(emulator)
    args = case.args(engine)
    _arm(emulator, lag)

    created = _up(engine, case, f"lag-{case.id.lower()}", args)

    emulator.clear_faults()
    assert case.count_in_segment(segment, created.outputs) == 1
    assert engine.refresh(created.urn) is not None


@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c.id)
def test_lag_beyond_the_wait_fails_as_unknown_and_the_next_up_finds_it(
    case: Case, engine: Engine, segment: httpx.Client, emulator: InProcessEmulator
) -> None:
    assert case.count_in_segment is not None
    if case.prepare is not None:
        case.prepare(emulator)
    args = case.args(engine)
    lag = 2 * WAIT
    _arm(emulator, lag)
    name = f"late-{case.id.lower()}"

    try:
        created = _up(engine, case, name, args)
    except grpc.RpcError as exc:
        message = str(exc.details())
        assert "may have been" in message and "pulumi up" in message, message
        time.sleep(lag / TIME_SCALE)
        emulator.clear_faults()
        created = _up(engine, case, name, args)

    emulator.clear_faults()
    assert case.count_in_segment(segment, created.outputs) == 1


def test_a_listing_that_fails_within_the_wait_is_asked_again(
    segment: httpx.Client, emulator: InProcessEmulator
) -> None:
    """A lookup fails outright (every retry of it answered 503) and the create's answer is
    lost: within the wait the provider lists again, finds the warehouse and adopts it instead
    of failing the ``up``."""
    case = next(case for case in COUNTED if case.id == "Warehouse")
    assert case.count_in_segment is not None
    with _engine(emulator, 30) as engine:
        args = case.args(engine)
        emulator.set_faults(
            [
                {**CREATES, "kind": "lost_response", "max_count": 1, "status": 504},
                {"kind": "server_error", "method": "GET", "path": "^/warehouses$", "max_count": 5},
            ]
        )
        created = _up(engine, case, "flaky-lookup", args)
    assert emulator.fault_counts().get("server_error") == 5
    emulator.clear_faults()
    assert case.count_in_segment(segment, created.outputs) == 1


def test_the_wait_for_a_lagging_list_is_told(
    engine: Engine, segment: httpx.Client, emulator: InProcessEmulator
) -> None:
    """A lost answer and a list that lags: the provider says it lists again, and for how long
    (through pulumi.log, which the CLI shows), instead of going quiet for the whole wait."""
    case = next(case for case in COUNTED if case.id == "Source")
    args = case.args(engine)
    _arm(emulator, 10)
    _up(engine, case, "told", args)
    emulator.clear_faults()
    log = engine.provider.close()
    assert (
        "not in Segment's list yet, and Segment's lists can trail its writes: listing again for "
        f"up to {WAIT / TIME_SCALE:.0f} s (SEGMENT_UNIFY_LIST_WAIT_SECONDS)" in log
    ), log


@pytest.mark.parametrize("lag", [1, 3, 10])
def test_the_example_stack_with_lagging_lists_and_30_percent_lost_answers_settles_whole(
    lag: float,
) -> None:
    """The whole example stack, every object hidden from lists for ``lag`` s after its POST and
    30% of POSTs applied with their answers lost: ``up`` is run again until one succeeds (a
    create whose object stayed unlisted through the wait fails as unknown), then Segment holds
    each object once, nothing the state does not know, and a fault-free ``up`` changes
    nothing."""
    from benchmarks import segment_objects as so
    from benchmarks.stack import SEED, WORKSPACE, provider_for, run_example, steps_since, window_env

    rules = [
        {"kind": "list_lag", "lag_seconds": lag},
        {"kind": "lost_response", "method": "POST", "probability": 0.3},
    ]
    with running_emulator(
        seed=SEED, time_scale=TIME_SCALE, faults=rules, fault_seed=int(lag)
    ) as emulator:
        seeded = so.object_ids(so.stored(emulator.state(), WORKSPACE))
        with provider_for(emulator, env=window_env(TIME_SCALE)) as provider:
            engine = Engine(provider)
            errors: list[str] = []
            for _ in range(6):
                try:
                    run_example(engine)
                    break
                except Exception as exc:
                    errors.append(str(exc)[:300])
            else:
                pytest.fail(f"no `up` succeeded in 6: {errors}")
            assert emulator.fault_counts().get("lost_response", 0) >= 3
            emulator.clear_faults()
            owned = so.owned_objects(so.stored(emulator.state(), WORKSPACE), seeded)
            assert so.duplicates(owned) == 0
            assert so.orphans(owned, engine.state) == []
            assert so.missing(owned, engine.state) == []
            mark = len(engine.steps)
            run_example(engine)
            assert set(steps_since(engine, mark)) == {"same"}, errors
