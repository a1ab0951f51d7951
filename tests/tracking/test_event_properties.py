"""What Segment has seen on an event, and the checks that read it: ListPropertiesFromEvent
computed from tracked messages, and a trait or audience refused (naming what was seen) when its
definition reads a property, a value or a trait the space has not got."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import grpc
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.query import event_counter, last, prop
from tests.protocol.cases import props_of
from tests.support.engine import Engine
from tests.support.provider import configured_provider
from tests.tracking.helpers import Feed

pytestmark = pytest.mark.timeout(120)

CALL = "Call Answered"  # an event of this test alone (the seed's Flex events carry their own)


@pytest.fixture
def engine(emulator: InProcessEmulator) -> Iterator[Engine]:
    with configured_provider(emulator) as process:
        yield Engine(process)


def _properties(feed: Feed, event: str, **params: Any) -> Any:
    path = f"/spaces/{feed.space_id}/events/{quote(event, safe='')}/properties"
    with feed.emulator.client() as api:
        return api.get(path, params=params)


def _send_calls(feed: Feed) -> None:
    for n, direction in enumerate(["Inbound", "Outbound", "Inbound"]):
        props = {"Direction": direction, "queue": "support", "wait": n}
        body = {"userId": f"caller-{n}", "event": CALL, "properties": props}
        assert feed.send("track", body).status_code == 200


def test_list_properties_from_event__names_and_samples_of_what_was_tracked(feed: Feed) -> None:
    _send_calls(feed)

    response = _properties(feed, CALL, includeSampleValues="true", sortBy="name", sortDir="asc")

    assert response.status_code == 200
    data = response.json()["data"]
    assert [p["name"] for p in data["eventProperties"]] == ["Direction", "queue", "wait"]
    direction = data["eventProperties"][0]
    assert direction["type"] == "PROPERTY"
    assert direction["eventName"] == CALL
    assert direction["samples"] == ["Inbound", "Outbound"]
    assert "pagination" in data
    # Sample values only when asked for, as Segment's default is.
    plain = _properties(feed, CALL).json()["data"]["eventProperties"]
    assert all("samples" not in p for p in plain)


def test_list_properties_from_event__an_event_never_seen_is_not_found(feed: Feed) -> None:
    response = _properties(feed, "Never Sent")
    assert response.status_code == 404
    assert response.json()["errors"][0]["type"] == "NotFound"


def _trait(engine: Engine, feed: Feed, definition: Any) -> Any:
    props = props_of(
        ComputedTrait, "calls", space_id=feed.space_id, name="Inbound calls", definition=definition
    )
    return engine.up(ComputedTrait.type_token(), "calls", props)


def test_trait_reading_a_property_by_another_case_is_refused_naming_the_one_seen(
    feed: Feed, engine: Engine
) -> None:
    _send_calls(feed)

    with pytest.raises(grpc.RpcError) as refused:
        _trait(engine, feed, event_counter(CALL).where(prop("direction") == "Inbound"))

    message = str(refused.value.details())
    assert f"property 'direction' of event '{CALL}' has not been seen" in message
    assert "did you mean 'Direction'?" in message
    assert "'Direction', 'queue', 'wait'" in message
    assert not [
        c for c in feed.emulator.request_log() if c["method"] == "POST" and "computed" in c["path"]
    ]


def test_trait_comparing_a_value_by_another_case_is_refused(feed: Feed, engine: Engine) -> None:
    _send_calls(feed)

    with pytest.raises(grpc.RpcError) as refused:
        _trait(engine, feed, event_counter(CALL).where(prop("Direction") == "inbound"))

    message = str(refused.value.details())
    assert "value 'inbound' of property 'Direction'" in message
    assert "did you mean 'Inbound'?" in message


def test_trait_reading_what_was_seen_is_made(feed: Feed, engine: Engine) -> None:
    _send_calls(feed)

    made = _trait(engine, feed, event_counter(CALL).where(prop("Direction") == "Inbound"))
    other = props_of(
        ComputedTrait,
        "queue",
        space_id=feed.space_id,
        name="Last queue",
        definition=last(CALL, "queue"),
    )
    engine.up(ComputedTrait.type_token(), "queue", other)

    assert made.outputs["key"] == "inbound_calls"
    reads = [c for c in feed.emulator.request_log() if c["path"].endswith("/properties")]
    # The second trait reads the same event: what the first listing found serves it.
    assert len(reads) == 1


def test_audience_reading_a_trait_the_space_lacks_is_refused_and_one_it_has_is_made(
    feed: Feed, engine: Engine
) -> None:
    _send_calls(feed)
    _trait(engine, feed, event_counter(CALL).where(prop("Direction") == "Inbound"))

    def audience(query: str) -> Any:
        props = props_of(
            Audience,
            "frequent",
            space_id=feed.space_id,
            name="Frequent callers",
            audience_type="USERS",
            definition={"query": query},
        )
        return engine.up(Audience.type_token(), "frequent", props)

    with pytest.raises(grpc.RpcError) as refused:
        audience("trait('inbound_cals') >= 3")
    message = str(refused.value.details())
    assert "reads traits space" in message
    assert "'inbound_cals' (did you mean 'inbound_calls'?)" in message

    made = audience("trait('inbound_calls') >= 3")
    assert made.outputs["key"] == "frequent_callers"
