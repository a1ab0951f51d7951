"""Definitions written as builder code say exactly what Segment holds: over many generated
queries, the code's query parses to the original's tree, and every query the builders make
comes back as builder code."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from segment_unify.cli.queries import builder_code
from segment_unify.provider import query as q
from segment_unify.query import parse

EVENTS = st.sampled_from(["Flex - Engagement Initiated", "Order Completed", "Page Viewed", "A"])
NAMES = st.sampled_from(["direction", "channelType", "amount", "plan.tier", "x"])
VALUES = st.one_of(
    st.sampled_from(["Inbound", "voice", "", "it's", 'say "hi"']), st.integers(-5, 1000)
)
OPERATORS = st.sampled_from(["==", "!=", ">", ">=", "<", "<="])


def _compare(ref: Any, operator: str, value: Any) -> Any:
    return {
        "==": lambda: ref == value,
        "!=": lambda: ref != value,
        ">": lambda: ref > value,
        ">=": lambda: ref >= value,
        "<": lambda: ref < value,
        "<=": lambda: ref <= value,
    }[operator]()


def _leaf(make_ref: Any) -> Any:
    return st.builds(_compare, st.builds(make_ref, NAMES), OPERATORS, VALUES)


def _tree(leaves: Any) -> Any:
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(lambda a, b: a & b, inner, inner),
            st.builds(lambda a, b: a | b, inner, inner),
            st.builds(lambda a: ~a, inner),
        ),
        max_leaves=6,
    )


CONDITIONS = _tree(st.one_of(_leaf(q.prop), _leaf(q.ctx)))


@st.composite
def trait_queries(
    draw: st.DrawFn, kinds: tuple[str, ...] = ("count", "first", "last", "unique", "mode")
) -> Any:
    event = draw(EVENTS)
    kind = draw(st.sampled_from(kinds))
    made = {
        "count": lambda: q.event_counter(event),
        "first": lambda: q.first(event, draw(NAMES)),
        "last": lambda: q.last(event, draw(NAMES)),
        "unique": lambda: q.unique_list(event, draw(NAMES)),
        "mode": lambda: q.most_frequent(event, draw(NAMES), min_frequency=draw(st.integers(1, 5))),
    }[kind]()
    if draw(st.booleans()):
        made = made.where(draw(CONDITIONS))
    window = draw(st.sampled_from([None, "days", "hours"]))
    if window is not None:
        made = made.within(**{window: draw(st.integers(1, 365))})
    return made


def _namespace() -> dict[str, Any]:
    names = ["event_counter", "first", "last", "most_frequent", "unique_list", "prop", "ctx"]
    names.append("trait")
    return {"__builtins__": {}, **{name: getattr(q, name) for name in names}}


def _round_trip(query: str, *, audience: bool) -> bool:
    """True when builder code was written (and checked); False when the text is kept."""
    found = builder_code(query, audience=audience)
    if found is None:
        return False
    code, names = found
    assert names <= set(_namespace())
    # The code as a program runs it (eval of code this package wrote from a parsed tree).
    made = eval(code, _namespace())
    assert parse(made.query) == parse(query), (code, query)
    return True


@settings(max_examples=300, deadline=None)
@given(trait_queries())
def test_every_trait_query_the_builders_make_comes_back_as_builder_code(made: Any) -> None:
    assert _round_trip(made.query, audience=False)


@settings(max_examples=200, deadline=None)
@given(
    _tree(
        st.one_of(
            _leaf(q.trait),
            st.builds(
                lambda t, n: t.at_least(n),
                # A list has no order to compare (the builders refuse it).
                trait_queries(("count", "first", "last")),
                st.integers(0, 9),
            ),
        )
    )
)
def test_every_audience_condition_the_builders_make_comes_back_as_builder_code(
    condition: Any,
) -> None:
    assert _round_trip(condition.query, audience=True)


def test_queries_the_builders_cannot_write_stay_text() -> None:
    for query in (
        "event('A').sum(property('amount'))",
        "event('A').between(1 days, 7 days).count()",
        "event('A').where(property('x') = 'y').count() >= 1 AND trait('p') exists",
    ):
        assert builder_code(query, audience="exists" in query) is None
