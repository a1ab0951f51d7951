"""``check_definition()``: a definition's expected values over sample events, for pytest.

    from datetime import datetime, timezone
    from segment_unify.query import check_definition, event_counter, prop

    def test_total_inbounds():
        check_definition(
            event_counter("Flex - Engagement Initiated").where(prop("direction") == "Inbound"),
            {
                "two calls": ([call("Inbound"), call("Inbound"), call("Outbound")], 2),
                "none": ([], 0),
            },
            at=datetime(2026, 6, 30, tzinfo=timezone.utc),
        )

Each case names a profile's events (Segment messages: ``type``, ``event``, ``properties``,
``context``, ``timestamp``) and the value expected at ``at``; every case is evaluated and the
failures reported together, naming the case, the expected and the computed value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from segment_unify.query.evaluation import Member, Message, Row, evaluate
from segment_unify.query.parsed import Query
from segment_unify.query.parser import parse

__all__ = ["check_definition"]


def check_definition(
    definition: str | Query | object,
    cases: Mapping[str, tuple[Iterable[Message], Any]],
    *,
    at: datetime,
    traits: Mapping[str, Any] | None = None,
    entities: Mapping[str, Sequence[Row]] | None = None,
    users: Sequence[Member] | None = None,
) -> None:
    """Raise AssertionError listing every case whose value is not the expected one.

    ``definition`` is query text, a parsed Query, or a builder (anything whose ``str()`` is
    the query, as the builders' objects are). ``traits``, ``entities`` and ``users`` are
    given to every case, as :func:`evaluate` takes them (``query-language.md`` beside this
    module).
    """
    query = definition if isinstance(definition, Query) else parse(str(definition))
    failures = []
    for name, (events, expected) in cases.items():
        actual = evaluate(query, list(events), at, traits, entities=entities, users=users)
        if actual != expected:
            failures.append(f"{name}: expected {expected!r}, computed {actual!r}")
    if failures:
        raise AssertionError(f"{query.compile()}\n  " + "\n  ".join(failures))
