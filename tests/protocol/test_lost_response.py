"""A create whose answer is lost never leaves a duplicate behind.

For every lifecycle case that can count its objects in Segment, the emulator commits the
resource's create and then drops the connection or answers 502/504 in its place. The ``up``
either adopts what Segment made or fails; a failed one is run again and must succeed. Either
way Segment then holds exactly one such object, and it is the one in the state.
"""

from __future__ import annotations

from typing import Any

import grpc
import httpx
import pytest

from tests.protocol.cases import CASES, CREATES, Case, props_of
from tests.support.engine import Engine, Resource

pytestmark = pytest.mark.timeout(120)

COUNTED = [case for case in CASES if case.count_in_segment is not None]


def _up(engine: Engine, case: Case, name: str, args: dict[str, Any]) -> Resource:
    return engine.up(case.cls.type_token(), name, props_of(case.cls, name, **args))


@pytest.mark.parametrize("status", [None, 502, 504], ids=["dropped", "502", "504"])
@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c.id)
def test_create_whose_response_is_lost_leaves_exactly_one_object(
    case: Case, status: int | None, engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    assert case.count_in_segment is not None
    if case.prepare is not None:
        case.prepare(emulator)
    args = case.args(engine)  # prerequisites are made before the fault is armed
    name = f"lost-{case.id.lower()}"
    rule: dict[str, Any] = {**CREATES, "kind": "lost_response", "max_count": 1}
    if status is not None:
        rule["status"] = status
    emulator.set_faults([rule])

    try:
        created = _up(engine, case, name, args)
    except grpc.RpcError:
        created = _up(engine, case, name, args)

    assert emulator.fault_counts().get("lost_response") == 1
    faulted = [entry for entry in emulator.request_log() if entry["fault"] == "lost_response"]
    assert [entry["method"] for entry in faulted] == ["POST"]
    assert case.count_in_segment(segment, created.outputs) == 1
    # The state points at the object Segment holds.
    assert engine.refresh(created.urn) is not None


@pytest.mark.parametrize("case", COUNTED, ids=lambda c: c.id)
def test_create_whose_response_is_lost_leaves_nothing_for_the_next_up(
    case: Case, engine: Engine, emulator: Any
) -> None:
    """What a create leaves is finished, whatever answer was lost: a create that is two writes
    in Segment (a source named by a PATCH after its POST, a Reverse ETL mapping's schedule)
    and whose first answer was lost is completed where it is found, so the ``up`` after it has
    nothing to change."""
    if case.prepare is not None:
        case.prepare(emulator)
    args = case.args(engine)
    name = f"settled-{case.id.lower()}"
    emulator.set_faults([{"kind": "lost_response", "method": "POST", "max_count": 1}])
    try:
        _up(engine, case, name, args)
    except grpc.RpcError:
        _up(engine, case, name, args)
    emulator.clear_faults()

    mark = len(engine.steps)
    again = _up(engine, case, name, args)

    assert [kind for kind, _ in engine.steps[mark:]] == ["same"]
    assert engine.refresh(again.urn) is not None
    assert [kind for kind, _ in engine.steps[mark + 1 :]] == ["refresh"]
    assert _up(engine, case, name, args) is not None
    assert engine.steps[-1][0] == "same"
