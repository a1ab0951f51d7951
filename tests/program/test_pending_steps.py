"""A fresh space's first run of the example: ``pendingSteps`` in the order of Segment's guide
for Twilio, each step that waits naming the steps it waits for.

The example runs under ``localrun`` (the program under Pulumi's mocks, every resource through
the real provider process over gRPC) against an emulator whose dev space is fresh; the
component's space read runs with the stack's ``segment:*`` config, as under the CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass
class FirstRun:
    pending: list[dict[str, Any]]
    salesforce_settings: dict[str, Any]


@pytest.fixture(scope="module")
def first_run() -> Iterator[FirstRun]:
    """The example's first run on a fresh space, its Salesforce source a sandbox one."""
    with running_emulator(seed=fresh_seed()) as emulator, configured_provider(emulator) as proc:
        engine = Engine(proc)
        config = demo.stack_config("dev", demo.seed_token("dev")) | {
            "segment:token": emulator.token,
            "segment:endpoint": emulator.url,
            "segment:profileEndpoint": emulator.profile_url,
            f"{demo.PROJECT}:salesforceEnvironment": "sandbox",
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
            with emulator.client() as api:
                source_id = run.outputs["salesforceSourceId"]
                source = api.get(f"/sources/{source_id}").json()["data"]["source"]
            yield FirstRun(run.outputs["pendingSteps"], source["settings"])
        finally:
            destroy_all(engine)


@pytest.fixture
def pending(first_run: FirstRun) -> list[dict[str, Any]]:
    return first_run.pending


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


def test_the_salesforce_source_is_made_for_its_environment_and_the_sign_in_names_it(
    first_run: FirstRun,
) -> None:
    """Segment's ``salesforce-environment`` must be right before the OAuth sign-in."""
    assert first_run.salesforce_settings["salesforce-environment"] == "sandbox"
    [sign_in] = [s for s in first_run.pending if s["what"].startswith("Sign in to Salesforce")]
    assert "(sandbox)" in sign_in["what"]
    assert "salesforce-environment" in sign_in["why"]
    assert "Salesforce environment is sandbox" in sign_in["where"]
