"""examples/computed-traits-only under Pulumi's mocks: traits in an adopted space, nothing else."""

from __future__ import annotations

import json

from segment_unify.components import FLEX_TRAITS
from segment_unify.components.unified_profiles_config import query_of
from tests.program.harness import EXAMPLES, ProgramRun, plain, run_program

PROJECT = "computed-traits-only"
MAIN = EXAMPLES / PROJECT / "__main__.py"


def run_example(**config: object) -> ProgramRun:
    values = {"spaceSlug": "unified-profiles-dev", **config}
    return run_program(
        MAIN,
        config={
            f"{PROJECT}:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in values.items()
        },
        project=PROJECT,
    )


def test_makes_the_six_flex_traits_in_the_adopted_space_and_nothing_else() -> None:
    run = run_example()
    assert run.kinds() == {"UnifySpace", "ComputedTrait"}
    space = run.one("UnifySpace")
    assert plain(space.inputs)["slug"] == "unified-profiles-dev"
    traits = {plain(r.inputs)["name"]: r for r in run.of_kind("ComputedTrait")}
    assert set(traits) == {spec.name for spec in FLEX_TRAITS}
    for spec in FLEX_TRAITS:
        registration = traits[spec.name]
        inputs = plain(registration.inputs)
        assert space.urn in registration.dependencies
        assert inputs["space_id"] == "spa_unified-profiles-dev"
        assert inputs["definition"] == {"type": "USERS", "query": query_of(spec.definition)}
        assert inputs["options"] == {"include_historical_data": True}
    assert set(run.outputs) == {"spaceId", *(spec.key for spec in FLEX_TRAITS)}


def test_traits_config_picks_some_of_them() -> None:
    run = run_example(traits=["total_inbounds", "last_known_service_agent"])
    assert sorted(r.name for r in run.of_kind("ComputedTrait")) == [
        "trait-last_known_service_agent",
        "trait-total_inbounds",
    ]


def test_protect_config_protects_the_space_and_the_traits() -> None:
    run = run_example(protect="true")
    assert run.registrations
    assert all(r.protect for r in run.registrations if r.kind != "StackIdentity")


def test_unknown_trait_key_fails_listing_the_valid_ones() -> None:
    try:
        run_example(traits=["total_calls"])
    except KeyError as exc:
        assert "total_calls" in str(exc)
        assert "total_inbounds" in str(exc)
    else:
        raise AssertionError("an unknown trait key should fail")
