"""A create that Segment did not apply (503, or a connection dropped before it was handled).

The provider lists again for a bounded time (``SEGMENT_UNIFY_LIST_WAIT_SECONDS``, short here).
Not found, a 503 (a request Segment's front end did not hand on) is sent again in the same
``up``; so is any create where Segment refuses a second object with the same key (sources,
traits, audiences, connections), since a conflict would answer. A connection dropped after the
request went out may hide an applied write: elsewhere the ``up`` fails saying the outcome is
unknown, and the next one looks for the same deterministic name before it makes anything (or,
where Segment made the object on its own meanwhile, that one is adopted).

Segment then holds exactly one such object, the one in the state.
"""

from __future__ import annotations

from typing import Any

import grpc
import httpx
import pytest

from tests.protocol.cases import CASES, CREATES, Case, props_of
from tests.support.engine import Engine

pytestmark = pytest.mark.timeout(120)

COUNTED = [case for case in CASES if case.count_in_segment is not None]


@pytest.mark.parametrize("kind", ["server_error", "drop"])
@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c.id)
def test_create_not_applied_by_segment_is_sent_again_in_the_same_up(
    case: Case, kind: str, engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    assert case.count_in_segment is not None
    if case.prepare is not None:
        case.prepare(emulator)
    args = case.args(engine)  # prerequisites are made before the fault is armed
    name = f"unapplied-{case.id.lower()}"
    emulator.clear_request_log()
    emulator.set_faults([{**CREATES, "kind": kind, "max_count": 1}])

    props = props_of(case.cls, name, **args)
    try:
        created = engine.up(case.cls.type_token(), name, props)
    except grpc.RpcError as exc:
        assert kind == "drop" and not case.cls._segment_provider.unique_key
        assert "may have been applied" in str(exc.details())
        created = engine.up(case.cls.type_token(), name, props)

    assert emulator.fault_counts().get(kind) == 1
    posts = [
        entry
        for entry in emulator.request_log()
        if entry["method"] == "POST" and entry["path"] != "/warehouses/validation"
    ]
    assert posts[0]["fault"] == kind
    assert case.count_in_segment(segment, created.outputs) == 1
    assert engine.refresh(created.urn) is not None
