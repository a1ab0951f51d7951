"""Drift: objects deleted or changed in Segment behind the stack's back, against the emulator.

The example stack is brought up through localrun (the program under mocks, every Segment object
through the real provider process over gRPC); then a person changes Segment through the Public
API with the workspace's token. A refresh reads every resource in state: what was deleted is
dropped, what was changed shows its new values. The next ``up`` puts back what the program
declares, touching nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from segment_unify import demo
from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.localrun.engine import Engine, Resource
from segment_unify.localrun.program import RunResult, run_program

pytestmark = pytest.mark.timeout(240)

WORKSPACE = "acme-contact-center"
SECRET_CONFIG = [k for k in demo.SECRET_KEYS if not k.startswith("segment:")]
TRAIT = "unify-trait-total_inbounds"
SOURCE = "unify-source-javascript"
DRIFTED_QUERY = "event('Flex - Engagement Completed').count()"
DRIFTED_NAME = "Website (renamed in the app)"


@pytest.fixture
def segment(emulator: InProcessEmulator) -> Iterator[httpx.Client]:
    """The Public API with the workspace's token, as a person (or a script) would use it."""
    with emulator.client() as client:
        yield client


def _up(engine: Engine) -> RunResult:
    return run_program(
        demo.EXAMPLE / "__main__.py",
        engine,
        config=demo.stack_config("dev", demo.seed_token("dev")),
        secret_keys=SECRET_CONFIG,
        project=demo.PROJECT,
        stack="dev",
    )


def _resource(engine: Engine, name: str) -> Resource:
    (found,) = [r for urn, r in engine.state.items() if urn.endswith(f"::{name}")]
    return found


def _steps_since(engine: Engine, mark: int) -> dict[str, set[str]]:
    by_kind: dict[str, set[str]] = {}
    for kind, urn in engine.steps[mark:]:
        by_kind.setdefault(kind, set()).add(urn.rsplit("::", 1)[-1])
    return by_kind


def _trait_path(trait: Resource) -> str:
    space_id, trait_id = trait.id.split("/")
    return f"/spaces/{space_id}/computed-traits/{trait_id}"


def _stored(emulator: InProcessEmulator, kind: str, id_: str) -> dict[str, Any]:
    (record,) = [o for o in emulator.objects(WORKSPACE, kind) if o["id"] == id_]
    return record


def test_deleted_out_of_band__refresh_drops_and_up_recreates_only_those(
    engine: Engine, emulator: InProcessEmulator, segment: httpx.Client
) -> None:
    _up(engine)
    managed = set(engine.state)
    trait, source = _resource(engine, TRAIT), _resource(engine, SOURCE)
    assert segment.delete(_trait_path(trait)).status_code == 200
    assert segment.delete(f"/sources/{source.id}").status_code == 200

    assert sorted(engine.refresh_all()) == sorted([trait.urn, source.urn])
    assert set(engine.state) == managed - {trait.urn, source.urn}

    mark = len(engine.steps)
    _up(engine)
    steps = _steps_since(engine, mark)
    assert steps.pop("create") == {TRAIT, SOURCE}
    assert set(steps) == {"same"}, steps
    assert set(engine.state) == managed
    recreated_trait, recreated_source = _resource(engine, TRAIT), _resource(engine, SOURCE)
    assert recreated_trait.id != trait.id and recreated_source.id != source.id
    assert segment.get(_trait_path(recreated_trait)).status_code == 200
    assert segment.get(f"/sources/{recreated_source.id}").status_code == 200
    assert segment.get(_trait_path(trait)).status_code == 404


def test_changed_out_of_band__refresh_shows_it_and_up_puts_back_the_declared_values(
    engine: Engine, emulator: InProcessEmulator, segment: httpx.Client
) -> None:
    _up(engine)
    trait, source = _resource(engine, TRAIT), _resource(engine, SOURCE)
    declared_definition = dict(trait.outputs["definition"])
    declared_name = source.outputs["name"]
    assert declared_definition["query"] != DRIFTED_QUERY and declared_name != DRIFTED_NAME
    drifted = {"type": declared_definition["type"], "query": DRIFTED_QUERY}
    response = segment.patch(_trait_path(trait), json={"definition": drifted})
    assert response.status_code == 200, response.text
    response = segment.patch(f"/sources/{source.id}", json={"name": DRIFTED_NAME})
    assert response.status_code == 200, response.text

    assert engine.refresh_all() == []
    assert _resource(engine, TRAIT).outputs["definition"] == drifted
    assert _resource(engine, SOURCE).outputs["name"] == DRIFTED_NAME

    mark = len(engine.steps)
    _up(engine)
    steps = _steps_since(engine, mark)
    assert steps.pop("update") == {TRAIT, SOURCE}
    assert set(steps) == {"same"}, steps
    assert _resource(engine, TRAIT).id == trait.id
    assert _resource(engine, TRAIT).outputs["definition"] == declared_definition
    assert _resource(engine, SOURCE).outputs["name"] == declared_name

    # What Segment holds, read back the way a person would, and in the emulator's store.
    held = segment.get(_trait_path(trait)).json()["data"]["computedTrait"]
    assert held["definition"]["query"] == declared_definition["query"]
    assert segment.get(f"/sources/{source.id}").json()["data"]["source"]["name"] == declared_name
    assert _stored(emulator, "source", source.id)["name"] == declared_name

    # And the stack has converged: one more up changes nothing.
    mark = len(engine.steps)
    _up(engine)
    assert set(_steps_since(engine, mark)) == {"same"}
