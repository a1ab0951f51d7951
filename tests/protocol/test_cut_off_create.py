"""A create cut off with its outcome unknown is never followed by a second object.

A destination's name is not unique in Segment, so its autonamed create is not refused when
an earlier, cut-off create of the same resource already made one. Here the first ``up`` sends
the create, loses its answer and cannot list destinations, so it fails with the outcome
unknown (the engine records nothing). The next ``up`` still cannot list destinations: it must
not create another one while it cannot know whether the first landed, and once lists answer
again it takes over the one Segment made.
"""

from __future__ import annotations

from typing import Any

import grpc
import httpx
import pytest

from segment_unify.provider.resources.destination import Destination
from tests.protocol.cases import CASES, Case, props_of
from tests.support.engine import Engine, Resource

pytestmark = pytest.mark.timeout(180)

CASE = next(case for case in CASES if case.cls is Destination)
LIST_FAILS = {"kind": "server_error", "method": "GET", "path": "^/destinations$"}


def _up(engine: Engine, case: Case, name: str, args: dict[str, Any]) -> Resource:
    return engine.up(case.cls.type_token(), name, props_of(case.cls, name, **args))


def _posts(emulator: Any) -> list[dict[str, Any]]:
    return [
        entry
        for entry in emulator.request_log()
        if entry["method"] == "POST" and entry["path"] == "/destinations"
    ]


def test_no_second_object_while_an_earlier_create_cannot_be_known(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    assert CASE.count_in_segment is not None
    args = CASE.args(engine)
    name = "cut-off-destination"
    before = len(_posts(emulator))
    emulator.set_faults(
        [
            {"kind": "lost_response", "method": "POST", "path": "^/destinations$", "max_count": 1},
            LIST_FAILS,
        ]
    )
    with pytest.raises(grpc.RpcError, match="whether Segment made it is unknown"):
        _up(engine, CASE, name, args)
    assert emulator.fault_counts().get("lost_response") == 1

    # Lists still fail: whether the first create landed cannot be known.
    emulator.set_faults([LIST_FAILS])
    with pytest.raises(grpc.RpcError, match="no second one was made"):
        _up(engine, CASE, name, args)

    emulator.clear_faults()
    created = _up(engine, CASE, name, args)

    assert CASE.count_in_segment(segment, created.outputs) == 1
    assert engine.refresh(created.urn) is not None
    # No create was sent while the first one's outcome could not be known.
    assert len(_posts(emulator)) - before == 1
