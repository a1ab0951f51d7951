""" "Complete an interaction before creating traits", for real: a space sees an event once a
source connected to it sends one through the Tracking API, and only then does the provider
(driven over gRPC as `pulumi up` drives it) create a trait that reads it."""

from __future__ import annotations

import grpc
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider.resources.computed_trait import ComputedTrait
from tests.protocol.cases import props_of
from tests.support.engine import Engine
from tests.tracking.helpers import Feed

pytestmark = pytest.mark.timeout(120)

QUERY = "event('Callback Requested').count()"


def test_trait_is_refused_until_its_event_arrives_then_created(feed: Feed, engine: Engine) -> None:
    props = props_of(
        ComputedTrait, "callbacks", space_id=feed.space_id, name="Callbacks", definition=QUERY
    )
    with pytest.raises(grpc.RpcError) as refused:
        engine.up(ComputedTrait.type_token(), "callbacks", props)
    assert "events Segment has not seen in space" in str(refused.value.details())
    assert "'Callback Requested'" in str(refused.value.details())

    sent = feed.send("track", {"userId": "caller-1", "event": "Callback Requested"})
    assert sent.status_code == 200
    assert feed.events_seen()["Callback Requested"] == "TRACK"

    trait = engine.up(ComputedTrait.type_token(), "callbacks", props)
    assert trait.outputs["key"] == "callbacks"


def test_events_of_an_unconnected_source_do_not_count(
    feed: Feed, emulator: InProcessEmulator, engine: Engine
) -> None:
    feed.admin("DELETE", f"/spaces/{feed.space_id}/sources/{feed.source_id}")
    assert (
        feed.send("track", {"userId": "caller-2", "event": "Callback Requested"}).status_code == 200
    )
    assert "Callback Requested" not in feed.events_seen()
    props = props_of(
        ComputedTrait, "callbacks", space_id=feed.space_id, name="Callbacks", definition=QUERY
    )
    with pytest.raises(grpc.RpcError):
        engine.up(ComputedTrait.type_token(), "callbacks", props)
