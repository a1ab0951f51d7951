"""What adopting says when Segment's app has not made the object yet, and what it never says.

Each test drives ``python -m pulumi.dynamic`` over gRPC against the seeded emulator (see
``tests/protocol/cases_spaces.py`` for the seed), the way ``pulumi up`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import pytest

from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.provider.resources.prediction import Prediction
from segment_unify.provider.resources.profile_api_token import ProfileApiToken
from segment_unify.provider.resources.unify_space import UnifySpace
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, PROD, WORKSPACE, space_id
from tests.support.engine import Engine, ProviderProcess
from tests.support.requests import wait_for_read_ahead

pytestmark = pytest.mark.timeout(120)

WRONG_TOKEN = "pat_WRONG_never_to_be_printed_5f0c1e9a7b"


@pytest.fixture
def process(emulator: Any) -> Iterator[ProviderProcess]:
    """A provider process configured for the emulator; tests may close it to read its log."""
    env = {"SEGMENT_PUBLIC_API_TOKEN": "", "SEGMENT_PUBLIC_API_URL": ""}
    proc = ProviderProcess({**env, "SEGMENT_PROFILE_API_URL": ""})
    proc.configure(
        {
            "segment:token": emulator.token,
            "segment:endpoint": emulator.url,
            "segment:profileEndpoint": emulator.profile_url,
        }
    )
    yield proc
    if proc.proc.returncode is None:
        proc.close()


@pytest.fixture
def engine(process: ProviderProcess) -> Engine:
    return Engine(process)


def up_fails(engine: Engine, cls: Any, resource_name: str, /, **kwargs: Any) -> str:
    """Run ``up`` for one resource, expecting Create to fail; returns what the engine shows."""
    with pytest.raises(grpc.RpcError) as failed:
        engine.up(cls.type_token(), resource_name, props_of(cls, resource_name, **kwargs))
    return str(failed.value.details())


def test_unify_space__missing_slug_names_the_ui_step_and_the_spaces_there(engine: Engine) -> None:
    message = up_fails(engine, UnifySpace, "space", slug="unified-profiles-stage")

    assert "no Unify space with slug 'unified-profiles-stage'" in message
    assert f"workspace '{WORKSPACE.slug}'" in message
    assert f"{DEV.slug}, {PROD.slug}" in message
    assert "Unify > Create Space" in message
    assert "`pulumi up` again" in message


def test_unify_space__adopted_space_has_its_workspace_and_personas_write_key(
    engine: Engine, emulator: Any
) -> None:
    space = engine.up(UnifySpace.type_token(), "space", props_of(UnifySpace, "s", slug=DEV.slug))

    stored = {w["slug"]: w for w in emulator.state()["workspaces"]}[WORKSPACE.slug]
    personas = [s for s in stored["objects"]["source"] if s.get("spaceId") == space.id]
    assert space.outputs["workspace_id"] == stored["id"]
    assert space.outputs["workspace_slug"] == WORKSPACE.slug
    assert space.outputs["name"] == DEV.name
    assert space.outputs["write_key"] == personas[0]["writeKeys"][0]


def test_unify_space__delete_calls_no_api_and_logs_that_segment_is_unchanged(
    engine: Engine, process: ProviderProcess, emulator: Any
) -> None:
    space = engine.up(UnifySpace.type_token(), "space", props_of(UnifySpace, "s", slug=DEV.slug))
    wait_for_read_ahead(emulator)
    emulator.clear_request_log()

    engine.destroy(space.urn)

    assert emulator.request_log() == []
    assert space.id in [s["id"] for s in emulator.state()["workspaces"][0]["objects"]["space"]]
    assert "Segment was left unchanged" in process.close()


def test_prediction__missing_trait_names_the_ui_step(engine: Engine) -> None:
    message = up_fails(
        engine, Prediction, "purchase", space_id=space_id(engine, DEV.slug), kind="purchase"
    )

    assert "no prediction trait 'likelihood_to_purchase'" in message
    assert "Unify > Predictions > 'Likelihood to Purchase'" in message


def test_prediction__a_trait_sources_send_is_not_a_prediction(engine: Engine) -> None:
    # Seeded profiles carry first_name, which Segment lists as a CUSTOM trait.
    message = up_fails(
        engine,
        Prediction,
        "goal",
        space_id=space_id(engine, DEV.slug),
        kind="custom",
        trait_key="first_name",
    )

    assert "only a CUSTOM trait of that key" in message
    assert "Unify > Predictions > 'Custom Predictive Goal'" in message


def test_profile_api_token__a_wrong_token_fails_without_ever_showing_it(
    engine: Engine, process: ProviderProcess
) -> None:
    message = up_fails(
        engine, ProfileApiToken, "token", space_id=space_id(engine, DEV.slug), token=WRONG_TOKEN
    )
    log = process.close()

    assert "Unify > Unify settings > API access" in message
    assert "refused" in message
    assert WRONG_TOKEN not in message
    assert WRONG_TOKEN not in log
    assert WRONG_TOKEN[4:20] not in message + log


def test_profile_api_token__a_good_token_is_in_no_id_and_no_log(
    engine: Engine, process: ProviderProcess, emulator: Any
) -> None:
    token = engine.up(
        ProfileApiToken.type_token(),
        "token",
        props_of(
            ProfileApiToken, "t", space_id=space_id(engine, DEV.slug), token=DEV.profile_api_token
        ),
    )
    engine.refresh(token.urn)
    engine.destroy(token.urn)
    log = process.close()

    assert token.outputs["token"] == DEV.profile_api_token
    assert token.id == f"{token.outputs['space_id']}/profile-api-token"
    assert DEV.profile_api_token not in token.id
    assert DEV.profile_api_token not in log
    assert "Segment was left unchanged" in log


def test_profile_api_token__an_unknown_space_is_named(engine: Engine) -> None:
    message = up_fails(
        engine, ProfileApiToken, "token", space_id="spa_nothere", token=DEV.profile_api_token
    )

    assert "no Unify space with id 'spa_nothere'" in message
    assert DEV.profile_api_token not in message


def test_computed_trait__events_never_seen_are_named_and_nothing_is_created(
    engine: Engine, emulator: Any
) -> None:
    space = space_id(engine, DEV.slug)
    emulator.clear_request_log()
    # Flex - Engagement Initiated is seeded as seen; Order Completed is not.
    query = (
        "event('Order Completed').where("
        "event('Flex - Engagement Initiated').within(parent: 5 days).count() >= 1"
        ").count()"
    )

    message = up_fails(
        engine, ComputedTrait, "orders", space_id=space, name="Orders", definition=query
    )

    assert "events Segment has not seen in space" in message
    assert "'Order Completed'" in message
    assert "'Flex - Engagement Initiated'" not in message
    assert "Flex interaction" in message
    posts = [e for e in emulator.request_log() if e["method"] == "POST"]
    assert posts == []


def test_audience__events_never_seen_are_named_and_nothing_is_created(
    engine: Engine, emulator: Any
) -> None:
    """Segment computes audiences only on events the space has received, as it does traits."""
    space = space_id(engine, DEV.slug)
    emulator.clear_request_log()

    message = up_fails(
        engine,
        Audience,
        "buyers",
        space_id=space,
        name="Buyers",
        definition="event('Order Completed').within(30 days).count() >= 1",
        audience_type="USERS",
    )

    assert "audience 'Buyers' reads events Segment has not seen in space" in message
    assert "'Order Completed'" in message
    assert [e for e in emulator.request_log() if e["method"] == "POST"] == []
