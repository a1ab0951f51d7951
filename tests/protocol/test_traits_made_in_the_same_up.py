"""An audience that reads a computed trait made in the same ``up`` is made, although Segment
lists the trait (ListTraits) only once a profile carries it.

The space has seen the Flex events but holds no profile yet, so the new trait has been
computed for no one; the audience's check that the traits it reads exist finds it among the
space's computed traits. Through the provider process over gRPC, against the emulator.
"""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest

from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from segment_unify.localrun.engine import Engine
from segment_unify.localrun.program import destroy_all, run_program
from segment_unify.provider.resources import (
    Audience,
    AudienceArgs,
    ComputedTrait,
    ComputedTraitArgs,
    UnifySpace,
    UnifySpaceArgs,
)
from tests.support.fresh_space import SPACE, fresh_seed
from tests.support.provider import configured_provider

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def no_profiles() -> Iterator[tuple[InProcessEmulator, Engine]]:
    with (
        running_emulator(seed=fresh_seed(keep_events=True)) as emulator,
        configured_provider(emulator) as process,
    ):
        engine = Engine(process)
        try:
            yield emulator, engine
        finally:
            destroy_all(engine)


def _program() -> None:
    space = UnifySpace("space", UnifySpaceArgs(slug=SPACE))
    trait = ComputedTrait(
        "inbounds",
        ComputedTraitArgs(
            space_id=space.space_id,
            name="Total inbounds",
            definition="event('Flex - Engagement Initiated').count()",
        ),
    )
    Audience(
        "frequent",
        AudienceArgs(
            space_id=space.space_id,
            name="Frequent callers",
            definition="trait('total_inbounds') >= 3",
        ),
        pulumi.ResourceOptions(depends_on=[trait]),
    )


def test_an_audience_reading_a_trait_made_in_the_same_up_is_made(
    no_profiles: tuple[InProcessEmulator, Engine],
) -> None:
    emulator, engine = no_profiles
    with emulator.client() as api:
        spaces = api.get("/spaces").json()["data"]["spaces"]
    space_id = next(s["id"] for s in spaces if s["slug"] == SPACE)
    run_program(_program, engine, project="same-up")

    with emulator.client() as api:
        listed = api.get(f"/spaces/{space_id}/traits").json()["data"]["traits"]
        audiences = api.get(f"/spaces/{space_id}/audiences").json()["data"]["audiences"]
    assert "total_inbounds" not in {t["trait"] for t in listed}  # computed for no one yet
    assert [a["name"] for a in audiences] == ["Frequent callers"]
