"""localrun's preview mode: check and diff only, as ``pulumi preview`` asks of the provider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from benchmarks.stack import provider_for, run_example, steps_since
from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.localrun.engine import Engine

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def engine(emulator: InProcessEmulator) -> Iterator[Engine]:
    with provider_for(emulator) as provider:
        yield Engine(provider)


def test_preview_of_a_new_stack_plans_creates_and_calls_nothing(
    engine: Engine, emulator: InProcessEmulator
) -> None:
    result = run_example(engine, preview=True)
    steps = steps_since(engine, 0)
    assert set(steps) == {"would-create"}
    assert steps["would-create"] == len([r for r in result.registrations if r.custom])
    assert engine.state == {}
    assert emulator.request_log() == []
    # What Segment would compute is unknown in a preview; what the program set is known.
    assert result.outputs["spaceId"] is None
    assert result.outputs["spaceSlug"] == "unified-profiles-dev"


def test_preview_after_up_is_all_same_and_makes_no_api_call(
    engine: Engine, emulator: InProcessEmulator
) -> None:
    created = run_example(engine)
    state = dict(engine.state)
    emulator.clear_request_log()
    mark = len(engine.steps)

    previewed = run_example(engine, preview=True)

    assert set(steps_since(engine, mark)) == {"same"}
    assert emulator.request_log() == []
    assert engine.state == state
    assert previewed.outputs == created.outputs


def test_preview_lists_what_up_would_delete_and_keeps_it(
    engine: Engine, emulator: InProcessEmulator
) -> None:
    run_example(engine)
    # A trait in state under a name the program no longer declares.
    trait = next(urn for urn in engine.state if ":ComputedTrait::" in urn)
    gone = trait.replace("unify-trait-", "unify-old-trait-")
    engine.state[gone] = engine.state.pop(trait)
    emulator.clear_request_log()
    mark = len(engine.steps)

    result = run_example(engine, preview=True)

    assert result.deleted == [gone]
    steps = engine.steps[mark:]
    assert ("would-delete", gone) in steps
    assert ("would-create", trait) in steps
    assert gone in engine.state and trait not in engine.state
    assert emulator.request_log() == []
