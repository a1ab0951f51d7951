"""``check`` calls nothing and starts nothing, in a process that has served an ``up`` too.

A provider process lives for a whole ``pulumi up`` (and an automation program's many runs):
once it had adopted a space, a computed trait's ``check`` used to start listing the
properties of the events its query reads in the background, so a preview in that process
called Segment.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.query import event_counter, prop
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, space_id
from tests.support.engine import Engine
from tests.support.requests import wait_for_read_ahead

pytestmark = pytest.mark.timeout(120)

# An event the space's adoption did not list ahead.
QUERY = event_counter("Checkout Abandoned").where(prop("cart") == "big")


def test_a_preview_after_the_space_was_adopted_calls_nothing(engine: Engine, emulator: Any) -> None:
    space = space_id(engine, DEV.slug)
    wait_for_read_ahead(emulator)
    emulator.clear_request_log()

    props = props_of(ComputedTrait, "t", space_id=space, name="Big carts", definition=QUERY)
    engine.preview(ComputedTrait.type_token(), "t", props)

    # A listing started in the background would land after check answered.
    time.sleep(1.0)
    assert emulator.request_log() == []
