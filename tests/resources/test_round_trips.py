"""Calls a resource makes, where some are sent at once or not sent again.

- adopting a space reads the space list, the workspace and the sources once each, and lists
  the space's seen events and its traits in the background, then the properties of its track
  events; a refresh reads the space, the
  workspace and the sources (the provider sends the reads that do not depend on each other at
  once; that they overlap is not asserted here);
- a Profile API token checked for a space that does not exist still names the space;
- events a space has reported seen are not listed again by the same provider process (after an
  adoption, not at all); events not seen are listed every time;
- a prediction on a space the process adopted is found in the adoption's listing of traits; one
  that listing lacks is asked about again.

Counts come from the emulator's request log; nothing here measures time.
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.provider.resources.prediction import Prediction
from segment_unify.provider.resources.profile_api_token import ProfileApiToken
from segment_unify.provider.resources.unify_space import UnifySpace
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, INBOUND_COUNT, space_id
from tests.support.engine import Engine, ProviderProcess
from tests.support.requests import wait_for_read_ahead

pytestmark = pytest.mark.timeout(120)


def _calls(emulator: Any) -> list[str]:
    return sorted(f"{e['method']} {e['path']}" for e in emulator.request_log())


def test_adopting_a_space_reads_space_workspace_and_sources_once_each(
    engine: Engine, emulator: Any
) -> None:
    space = engine.up(UnifySpace.type_token(), "dev", props_of(UnifySpace, "dev", slug=DEV.slug))
    wait_for_read_ahead(emulator)

    events = f"GET /spaces/{space.id}/events"
    assert _calls(emulator) == sorted(
        [
            "GET /spaces",
            "GET /",
            "GET /sources",
            events,
            f"GET /spaces/{space.id}/traits",
            # The seed's track events, whose properties the traits' checks will read.
            f"{events}/Flex - Engagement Initiated/properties",
            f"{events}/Flex - Engagement Completed/properties",
        ]
    )
    assert space.outputs["write_key"]
    assert space.outputs["workspace_slug"] == "acme-contact-center"

    emulator.clear_request_log()
    refreshed = engine.refresh(space.urn)

    assert refreshed is not None
    assert _calls(emulator) == sorted([f"GET /spaces/{space.id}", "GET /", "GET /sources"])
    assert refreshed.outputs["write_key"] == space.outputs["write_key"]


def test_a_token_for_a_space_that_does_not_exist_names_the_space(engine: Engine) -> None:
    props = props_of(
        ProfileApiToken, "token", space_id="spa_does_not_exist", token=DEV.profile_api_token
    )

    with pytest.raises(grpc.RpcError) as failed:
        engine.up(ProfileApiToken.type_token(), "token", props)

    assert "no Unify space with id 'spa_does_not_exist'" in str(failed.value.details())


def _make_two_traits(engine: Engine, space: str) -> None:
    for name in ("Inbounds", "Inbounds again"):
        props = props_of(ComputedTrait, name, space_id=space, name=name, definition=INBOUND_COUNT)
        engine.up(ComputedTrait.type_token(), name.replace(" ", "-").lower(), props)


def _listed_events(emulator: Any) -> list[dict[str, Any]]:
    return [e for e in emulator.request_log() if e["path"].endswith("/events")]


def test_events_seen_are_listed_once_per_process(engine: Engine, emulator: Any) -> None:
    space = space_id(engine, DEV.slug)
    wait_for_read_ahead(emulator)
    with ProviderProcess({}) as fresh:
        fresh.configure(
            {"segment:token": emulator.token, "segment:endpoint": emulator.url},
        )
        emulator.clear_request_log()

        _make_two_traits(Engine(fresh), space)

    assert len(_listed_events(emulator)) == 1
    assert len(emulator.objects("acme-contact-center", "computed_trait")) == 2


def test_traits_after_adopting_their_space_list_no_events(engine: Engine, emulator: Any) -> None:
    space = space_id(engine, DEV.slug)
    wait_for_read_ahead(emulator)
    emulator.clear_request_log()

    _make_two_traits(engine, space)

    assert _listed_events(emulator) == []
    assert len(emulator.objects("acme-contact-center", "computed_trait")) == 2


def test_events_not_seen_are_listed_every_time(engine: Engine, emulator: Any) -> None:
    space = space_id(engine, DEV.slug)
    wait_for_read_ahead(emulator)
    emulator.clear_request_log()
    unseen = "event('Order Completed').count()"

    for attempt in range(2):
        name = f"Orders {attempt}"
        props = props_of(ComputedTrait, name, space_id=space, name=name, definition=unseen)
        with pytest.raises(grpc.RpcError):
            engine.up(ComputedTrait.type_token(), f"orders-{attempt}", props)

    assert len(_listed_events(emulator)) == 2
    assert emulator.objects("acme-contact-center", "computed_trait") == []


def _listed_traits(emulator: Any) -> list[dict[str, Any]]:
    return [e for e in emulator.request_log() if e["path"].endswith("/traits")]


def test_a_prediction_on_a_space_this_process_adopted_lists_no_traits(
    engine: Engine, emulator: Any
) -> None:
    space = space_id(engine, DEV.slug)
    wait_for_read_ahead(emulator)
    emulator.clear_request_log()

    churn = engine.up(
        Prediction.type_token(),
        "churn",
        props_of(Prediction, "churn", space_id=space, kind="churn"),
    )

    assert _listed_traits(emulator) == []
    assert churn.outputs["trait_key"] == "likelihood_to_churn"


def test_a_prediction_the_read_ahead_did_not_list_is_asked_about_again(
    engine: Engine, emulator: Any
) -> None:
    space = space_id(engine, DEV.slug)
    wait_for_read_ahead(emulator)
    emulator.clear_request_log()
    props = props_of(Prediction, "purchase", space_id=space, kind="purchase")

    with pytest.raises(grpc.RpcError) as failed:
        engine.up(Prediction.type_token(), "purchase", props)

    assert len(_listed_traits(emulator)) == 1
    assert "no prediction trait 'likelihood_to_purchase'" in str(failed.value.details())
