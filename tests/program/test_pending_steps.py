"""A fresh space's first run of the example: ``pendingSteps`` in the order of Segment's guide
for Twilio, each step that waits naming the steps it waits for.

The example runs under ``localrun`` (the program under Pulumi's mocks, every resource through
the real provider process over gRPC) against an emulator whose dev space is fresh; the
component's space read runs with the stack's ``segment:*`` config, as under the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify import demo
from segment_unify.emulator.testing import running_emulator
from segment_unify.localrun.engine import Engine
from segment_unify.localrun.program import destroy_all, run_program
from tests.support.fresh_space import fresh_seed
from tests.support.provider import configured_provider

pytestmark = pytest.mark.timeout(300)

SECRET_KEYS = [k for k in demo.SECRET_KEYS if not k.startswith("segment:")]
TWILIO = "Connect the Unify space to Twilio"


@pytest.fixture(scope="module")
def pending() -> Iterator[list[dict[str, Any]]]:
    with running_emulator(seed=fresh_seed()) as emulator, configured_provider(emulator) as proc:
        engine = Engine(proc)
        config = demo.stack_config("dev", demo.seed_token("dev")) | {
            "segment:token": emulator.token,
            "segment:endpoint": emulator.url,
            "segment:profileEndpoint": emulator.profile_url,
        }
        run = run_program(
            demo.EXAMPLE / "__main__.py",
            engine,
            config=config,
            secret_keys=[*SECRET_KEYS, "segment:token"],
            project=demo.PROJECT,
            stack="dev",
        )
        try:
            yield run.outputs["pendingSteps"]
        finally:
            destroy_all(engine)


def _index(steps: list[dict[str, Any]], part: str) -> int:
    return next(i for i, step in enumerate(steps) if part in step["what"])


def test_steps_are_in_the_guides_order(pending: list[dict[str, Any]]) -> None:
    """Identity rules (its Step 1), the space connected to Twilio (its Step 2, before sources
    and computed traits), the sources, Salesforce, the warehouse's first sync, then what waits
    for them."""
    whats = [step["what"] for step in pending]
    order = [
        "identity resolution rules",
        TWILIO,
        "Connect the stack's sources to the Unify space",
        "Sign in to Salesforce",
        "warehouse's first sync",
        "Computed trait",
        "Prediction",
    ]
    positions = [_index(pending, part) for part in order]
    assert positions == sorted(positions), whats
    assert _index(pending, TWILIO) < min(
        i for i, what in enumerate(whats) if "left out until" in what
    )


def test_each_flex_trait_waits_for_the_space_connected_to_twilio(
    pending: list[dict[str, Any]],
) -> None:
    traits = [step for step in pending if step["what"].startswith("Computed trait")]
    assert len(traits) == 6
    for step in traits:
        assert step["waitsFor"] == [TWILIO], step
        assert repr(TWILIO) in step["where"], step
        assert "Flex interaction" in step["where"], step


def test_every_step_that_waits_names_a_step_listed_before_it(
    pending: list[dict[str, Any]],
) -> None:
    whats = [step["what"] for step in pending]
    for position, step in enumerate(pending):
        assert set(step) == {"what", "why", "where", "waitsFor"}
        for awaited in step["waitsFor"]:
            assert awaited in whats[:position], (step["what"], awaited)
            assert repr(awaited) in step["where"]
    first_sync = pending[_index(pending, "warehouse's first sync")]
    assert first_sync["waitsFor"] == [pending[_index(pending, "Sign in to Salesforce")]["what"]]
