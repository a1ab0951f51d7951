"""What the engine gets for a failure the provider words for people: a few lines ending with
the message, not the whole chain.

Pulumi's dynamic provider host answers an exception with ``traceback.format_exc()``, which the
CLI prints whole. A create whose answer was lost and whose look-up then failed showed about
seventy lines (thread pool, tenacity, httpx, the chained connection error) before the message
that says what to do. Here the real host (``python -m pulumi.dynamic``, driven over gRPC) is
asked for that create.
"""

from __future__ import annotations

import grpc
import pytest

from segment_unify.provider.resources.destination import Destination
from tests.protocol.cases import CASES, props_of
from tests.support.engine import Engine

pytestmark = pytest.mark.timeout(180)

CASE = next(case for case in CASES if case.cls is Destination)


def test_a_worded_failure_reaches_the_engine_as_its_message_with_few_frames(
    engine: Engine, emulator: object
) -> None:
    name = "error-text-destination"
    emulator.set_faults(  # type: ignore[attr-defined]
        [
            {"kind": "lost_response", "method": "POST", "path": "^/destinations$", "max_count": 1},
            {"kind": "server_error", "method": "GET", "path": "^/destinations$"},
        ]
    )
    with pytest.raises(grpc.RpcError) as raised:
        engine.up(CASE.cls.type_token(), name, props_of(CASE.cls, name, **CASE.args(engine)))
    details = raised.value.details() or ""  # type: ignore[attr-defined]
    lines = details.strip().splitlines()
    assert "whether Segment made it is unknown" in lines[-1], details
    assert lines[-1].startswith("segment_unify.provider.errors.SegmentResourceError: creating")
    assert len(lines) <= 16, details
    for noise in ("tenacity", "concurrent/futures", "httpx", "direct cause", "During handling"):
        assert noise not in details, (noise, details)
