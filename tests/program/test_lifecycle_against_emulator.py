"""The example stack end to end: the program under mocks, every Segment object created through
the real provider process over gRPC, against the emulator. First run creates everything, a second
run changes nothing, a changed trait updates that trait alone, and removing the stack deletes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from segment_unify import demo
from segment_unify.components import UnifiedProfilesStack, UnifiedProfilesStackArgs
from segment_unify.components.flex_traits import FLEX_TRAITS, TraitSpec
from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.localrun.engine import Engine
from segment_unify.localrun.program import destroy_all, run_program
from segment_unify.query import event_counter, prop

pytestmark = pytest.mark.timeout(240)

SECRET_KEYS = [k for k in demo.SECRET_KEYS if not k.startswith("segment:")]


def _example(engine: Engine) -> Any:
    config = demo.stack_config("dev", demo.seed_token("dev"))
    return run_program(
        demo.EXAMPLE / "__main__.py",
        engine,
        config=config,
        secret_keys=SECRET_KEYS,
        project=demo.PROJECT,
        stack="dev",
    )


def _steps_since(engine: Engine, mark: int) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = {}
    for kind, urn in engine.steps[mark:]:
        by_kind.setdefault(kind, []).append(urn.split("::")[-1])
    return by_kind


def test_example_creates_everything_then_nothing(
    engine: Engine, emulator: InProcessEmulator
) -> None:
    first = _example(engine)
    created = _steps_since(engine, 0)
    assert set(created) == {"create"}
    kinds = {r.type.rsplit(":", 1)[-1] for r in first.registrations if r.custom}
    assert {"UnifySpace", "ProfileApiToken", "Source", "Warehouse", "ReverseEtlModel"} <= kinds
    assert len(created["create"]) == len([r for r in first.registrations if r.custom])
    assert first.outputs["spaceSlug"] == "unified-profiles-dev"
    assert "profileApiToken" in first.secret_outputs
    traits = emulator.objects("acme-contact-center", "computed_trait")
    assert sorted(t["name"] for t in traits) == sorted(t.name for t in FLEX_TRAITS)

    mark = len(engine.steps)
    second = _example(engine)
    assert set(_steps_since(engine, mark)) == {"same"}
    assert second.outputs == first.outputs
    assert len(emulator.objects("acme-contact-center", "computed_trait")) == len(FLEX_TRAITS)


def _stack_program(traits: tuple[TraitSpec, ...], token: str) -> Callable[[], None]:
    def program() -> None:
        stack = UnifiedProfilesStack(
            "unify",
            UnifiedProfilesStackArgs(
                space_slug="unified-profiles-dev",
                profile_api_token=pulumi.Output.secret(token),
                computed_traits=traits,
            ),
        )
        pulumi.export("spaceId", stack.twilio_sheet()["spaceId"])

    return program


def test_a_changed_trait_updates_only_that_trait(
    engine: Engine, emulator: InProcessEmulator
) -> None:
    token = demo.seed_token("dev")
    run_program(_stack_program(FLEX_TRAITS, token), engine, project=demo.PROJECT, stack="dev")
    before = {t["name"]: t for t in emulator.objects("acme-contact-center", "computed_trait")}

    changed = dataclasses.replace(
        FLEX_TRAITS[0],
        definition=event_counter("Flex - Engagement Initiated")
        .where(prop("direction") == "Inbound")
        .within(days=30),
    )
    traits = (changed, *FLEX_TRAITS[1:])
    mark = len(engine.steps)
    run_program(_stack_program(traits, token), engine, project=demo.PROJECT, stack="dev")
    steps = _steps_since(engine, mark)
    assert (
        steps.get("update") == [f"unify-{changed.key.replace('_', '-')}"]
        or len(steps.get("update", [])) == 1
    ), steps
    assert set(steps) == {"same", "update"}
    after = {t["name"]: t for t in emulator.objects("acme-contact-center", "computed_trait")}
    assert after.keys() == before.keys()
    assert "within(30 days)" in str(after[changed.name])
    for name, trait in before.items():
        if name != changed.name:
            assert after[name] == trait


def test_destroy_removes_what_segment_can_delete(
    engine: Engine, emulator: InProcessEmulator
) -> None:
    _example(engine)
    deleted = destroy_all(engine)
    assert deleted and not engine.state
    assert emulator.objects("acme-contact-center", "computed_trait") == []
    # Adopted objects (the space, its predictions) are forgotten, not deleted.
    spaces = emulator.client().get("/spaces").json()["data"]["spaces"]
    assert "unified-profiles-dev" in {s["slug"] for s in spaces}
