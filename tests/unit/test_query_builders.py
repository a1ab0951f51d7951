"""Builders: each computed-trait kind compiles to the documented form and parses back."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from segment_unify.query import (
    Condition,
    QueryValidationError,
    ResultKind,
    TraitKind,
    TraitOptions,
    TraitQuery,
    aggregation,
    all_users,
    any_user,
    ctx,
    event_counter,
    first,
    last,
    most_frequent,
    parse,
    prop,
    trait,
    unique_list,
    unique_list_count,
)

SHOES = "Shoes Bought"


# --- each kind in its documented form --------------------------------------------------------


def test_event_counter_compiles_to_count() -> None:
    built = event_counter(SHOES).where(prop("price") >= 100).within(days=7)
    assert (
        built.query
        == "event('Shoes Bought').where(property('price') >= 100).within(7 days).count()"
    )


def test_aggregation_avg_matches_the_documented_example() -> None:
    built = aggregation(SHOES, "avg", "spend").within(days=30)
    assert built.query == "event('Shoes Bought').within(30 days).avg(property('spend'))"


def test_aggregation_min_with_two_conditions_matches_the_documented_example() -> None:
    built = aggregation(SHOES, "min", "spend").where(
        (prop("price") > 100) & (prop("brand") == "My Brand")
    )
    documented = (
        "event('Shoes Bought').where( property('price') > 100 AND property('brand') = 'My Brand' )"
        ".min(property('spend'))"
    )
    assert parse(built.query) == parse(documented)


def test_aggregation_max_as_string_keeps_the_type() -> None:
    built = aggregation(SHOES, "max", "spend", as_type="string")
    assert built.query == "event('Shoes Bought').max(property('spend') as string)"


def test_aggregation_sum_compiles_to_sum() -> None:
    assert aggregation("E", "sum", "v").query == "event('E').sum(property('v'))"


def test_most_frequent_matches_the_documented_example() -> None:
    built = most_frequent(SHOES, "spend", min_frequency=2).within(days=30)
    assert built.query == "event('Shoes Bought').within(30 days).mode(property('spend'), 2)"


def test_most_frequent_with_condition_and_window() -> None:
    built = (
        most_frequent("Flex - Engagement Initiated", "channelType", min_frequency=2)
        .where(prop("direction") == "Inbound")
        .within(days=90)
    )
    assert built.query == (
        "event('Flex - Engagement Initiated').where(property('direction') = 'Inbound')"
        ".within(90 days).mode(property('channelType'), 2)"
    )


def test_most_frequent_as_array_keeps_the_type() -> None:
    built = most_frequent("E", "tags", min_frequency=3, as_type="array")
    assert built.query == "event('E').mode(property('tags') as array, 3)"


def test_first_matches_the_documented_example() -> None:
    built = first(SHOES, "spend").within(days=30)
    assert built.query == "event('Shoes Bought').within(30 days).first(property('spend'))"


def test_last_compiles_to_last() -> None:
    assert last("E", "p").query == "event('E').last(property('p'))"


def test_unique_list_compiles_to_unique_and_is_a_list() -> None:
    built = unique_list("E", "p")
    assert (built.query, built.result_kind) == ("event('E').unique(property('p'))", ResultKind.LIST)


def test_unique_list_count_compiles_to_unique_then_count() -> None:
    built = unique_list_count("E", "p")
    assert built.query == "event('E').unique(property('p')).count()"
    assert built.result_kind is ResultKind.SCALAR


def test_context_reference_can_be_a_reducer_target() -> None:
    assert first("E", ctx("page.url")).query == "event('E').first(context('page.url'))"


def test_builder_records_its_kind() -> None:
    assert most_frequent("E", "p").kind is TraitKind.MOST_FREQUENT


# --- conditions ------------------------------------------------------------------------------


def test_condition_operators_compile_to_sugar_and_calls() -> None:
    condition = (prop("a") != "x") & (prop("b") > 1) & prop("c").contains("q", "r") | ~prop(
        "d"
    ).exists()
    assert event_counter("E").where(condition).query == (
        "event('E').where(property('a') != 'x' AND property('b') > 1 AND "
        "property('c').contains('q', 'r') OR NOT (property('d').exists())).count()"
    )


def test_or_inside_and_is_parenthesised() -> None:
    condition = ((prop("a") == 1) | (prop("b") == 2)) & (prop("c") == 3)
    assert event_counter("E").where(condition).query == (
        "event('E').where((property('a') = 1 OR property('b') = 2) AND property('c') = 3).count()"
    )


def test_repeated_where_calls_are_anded() -> None:
    twice = event_counter("E").where(prop("a") == 1).where(prop("b") == 2)
    assert twice == event_counter("E").where((prop("a") == 1) & (prop("b") == 2))


def test_where_returns_a_new_builder_and_keeps_the_original() -> None:
    plain = event_counter("E")
    plain.where(prop("a") == 1)
    assert plain.query == "event('E').count()"


def test_builder_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        event_counter("E").event = "F"  # type: ignore[misc]


def test_days_and_hours_together_become_hours() -> None:
    assert "within(36 hours)" in event_counter("E").within(days=1, hours=12).query


def test_between_compiles_near_then_far() -> None:
    built = event_counter("E").between(days=(7, 10))
    assert built.query == "event('E').between(7 days, 10 days).count()"


def test_session_window_compiles_to_expires_after() -> None:
    assert "expires_after(1800 seconds)" in event_counter("E").expires_after(seconds=1800).query


def test_excluded_sources_compile_to_the_documented_form() -> None:
    built = event_counter("E").excluding_sources("src1", "src2")
    assert built.query == "event('E').sources({exclude: 'src1', 'src2'}).count()"


def test_date_values_are_written_bare() -> None:
    condition = trait("signup").after_date(datetime.date(2024, 1, 2))
    assert condition.query == "trait('signup').after_date(2024-01-02)"


def test_relative_date_comparator_takes_days() -> None:
    assert trait("renewal").within_next(days=7).query == "trait('renewal').within_next(7 days)"


def test_quotes_and_backslashes_in_names_are_escaped() -> None:
    built = event_counter("it's a \\ test")
    assert built.query == "event('it\\'s a \\\\ test').count()"
    assert parse(built.query).root == built.node


# --- audiences -------------------------------------------------------------------------------


def test_counter_comparison_is_an_audience() -> None:
    audience = event_counter(SHOES).where(prop("price") >= 100).within(days=7).at_least(1)
    assert parse(audience.query) == parse(
        "event('Shoes Bought').where( property('price') >= 100 ).within(7 days).count() >= 1"
    )


def test_funnel_audience_matches_the_documented_example() -> None:
    returned = event_counter("Shoes Returned").within(days=5, parent=True).at_least(1)
    audience = (
        event_counter(SHOES)
        .where((prop("price") >= trait("avg_spend")) & returned)
        .within(days=30)
        .at_least(1)
    )
    documented = (
        "event('Shoes Bought').where( property('price') >= trait('avg_spend') AND "
        "event('Shoes Returned').within(parent: 5 days).count() >= 1 ).within(30 days).count() >= 1"
    )
    assert parse(audience.query) == parse(documented)


def test_negated_audience_matches_the_documented_example() -> None:
    audience = ~(event_counter(SHOES).at_least(1) & (trait("total_spend") > 200))
    documented = "NOT ( event('Shoes Bought').count() >= 1 AND trait('total_spend') > 200 )"
    assert parse(audience.query) == parse(documented)


def test_all_users_not_matches_the_documented_account_example() -> None:
    audience = all_users(~event_counter(SHOES).at_least(1))
    assert parse(audience.query) == parse("ALL NOT event('Shoes Bought').count() >= 1")


def test_any_user_compiles_to_any() -> None:
    assert any_user(trait("vip") == "true").query == "ANY (trait('vip') = 'true')"


def test_null_inclusive_differs_matches_the_documented_form() -> None:
    audience = (trait("plan") != "pro") | trait("plan").absent()
    documented = "(trait('plan')) != ('pro') OR (trait('plan')).absent()"
    assert parse(audience.query) == parse(documented)


def test_trait_comparison_definition_is_the_audience_definition() -> None:
    assert (trait("total_inbounds") >= 5).definition == {"query": "trait('total_inbounds') >= 5"}


def test_most_frequent_value_can_be_compared() -> None:
    audience = most_frequent("E", "channel").equals("SMS")
    assert audience.query == "event('E').mode(property('channel'), 2) = 'SMS'"


# --- definitions and options -----------------------------------------------------------------


def test_definition_has_type_and_query() -> None:
    assert event_counter("E").definition == {"type": "USERS", "query": "event('E').count()"}


def test_account_definition_has_accounts_type() -> None:
    assert event_counter("E").for_accounts().definition["type"] == "ACCOUNTS"


def test_options_map_to_segment_names() -> None:
    built = event_counter("E").with_options(
        include_historical_data=True, include_anonymous_users=False, backfill_days=30
    )
    assert built.options.to_api() == {
        "includeHistoricalData": True,
        "includeAnonymousUsers": False,
        "backfillDurationDays": 30,
    }


def test_unset_options_are_left_out() -> None:
    assert event_counter("E").options.to_api() == {}


def test_with_options_keeps_options_not_given() -> None:
    built = event_counter("E").with_options(include_anonymous_users=True)
    assert built.with_options(backfill_days=7).options == TraitOptions(
        include_anonymous_users=True, backfill_days=7
    )


def test_backfill_without_historical_data_is_rejected() -> None:
    with pytest.raises(ValueError, match="backfill_days needs include_historical_data"):
        TraitOptions(include_historical_data=False, backfill_days=7)


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ({"include_anonymous_users": "yes"}, TypeError, "include_anonymous_users must be a bool"),
        ({"backfill_days": 0}, ValueError, "backfill_days must be a whole number >= 1, not 0"),
        ({"backfill_days": True}, ValueError, "backfill_days must be a whole number >= 1"),
    ],
)
def test_options_are_checked_by_their_declaration(
    given: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        TraitOptions(**given)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        event_counter("E").with_options(**given)  # type: ignore[arg-type]


def test_with_options_names_the_options_it_takes() -> None:
    with pytest.raises(TypeError, match=r"takes include_historical_data, .*; not backfil_days"):
        event_counter("E").with_options(backfil_days=7)


# --- misuse ----------------------------------------------------------------------------------


def test_property_condition_is_not_an_audience() -> None:
    with pytest.raises(ValueError, match=r"property\('direction'\) reads an event; use it inside"):
        _ = (prop("direction") == "Inbound").query


def test_condition_refuses_to_be_a_bool() -> None:
    message = "combine conditions with &, | and ~, not and / or / not"
    with pytest.raises(TypeError, match=re.escape(message)):
        _ = (prop("a") == 1) and (prop("b") == 2)


def test_unique_list_cannot_be_compared() -> None:
    with pytest.raises(TypeError, match=r"use unique_list_count\(\.\.\.\)"):
        unique_list("E", "p").at_least(1)


def test_type_on_sum_is_rejected() -> None:
    with pytest.raises(ValueError, match="as_type 'string' is not available for sum"):
        aggregation("E", "sum", "p", as_type="string")


def test_zero_minimum_frequency_is_rejected() -> None:
    with pytest.raises(ValueError, match="min_frequency must be a whole number >= 1, not 0"):
        most_frequent("E", "p", min_frequency=0)


def test_window_without_a_unit_is_rejected() -> None:
    with pytest.raises(TypeError, match="give the duration as days=, hours= or seconds="):
        event_counter("E").within()


def test_between_with_near_not_before_far_is_rejected() -> None:
    with pytest.raises(ValueError, match="between\\(\\) needs near < far"):
        event_counter("E").between(days=(10, 7))


def test_short_session_window_fails_validation() -> None:
    with pytest.raises(QueryValidationError, match="shorter than the 30-minute minimum"):
        _ = event_counter("E").expires_after(seconds=60).query


def test_parent_window_at_top_level_fails_parsing() -> None:
    with pytest.raises(ValueError, match="parent: needs an enclosing event chain"):
        _ = event_counter("E").within(days=1, parent=True).query


def test_boolean_value_is_rejected() -> None:
    with pytest.raises(TypeError, match="booleans are not query literals"):
        trait("vip").equals(True)


def test_where_takes_only_conditions() -> None:
    with pytest.raises(TypeError, match="where\\(\\) takes a condition"):
        event_counter("E").where(prop("a"))  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------------

names = st.text(min_size=1, max_size=12)
values = st.one_of(
    st.text(max_size=8),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
)


def _leaf(name: str, value: object, pick: int) -> Condition:
    ref = prop(name)
    comparisons: list[Callable[[], Condition]] = [
        lambda: ref == value,
        lambda: ref != value,
        lambda: ref > value,
        lambda: ref >= value,
        lambda: ref < value,
        lambda: ref <= value,
        ref.exists,
        ref.absent,
        lambda: ref.contains(str(value)),
        lambda: ref.one_of(str(value), 1),
        lambda: ref.starts_with(str(value)),
    ]
    return comparisons[pick % len(comparisons)]()


leaves = st.builds(_leaf, names, values, st.integers(min_value=0, max_value=10))
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda a, b: a & b, inner, inner),
        st.builds(lambda a, b: a | b, inner, inner),
        st.builds(lambda a: ~a, inner),
    ),
    max_leaves=6,
)

kinds = st.one_of(
    st.builds(event_counter, names),
    st.builds(aggregation, names, st.sampled_from(["sum", "avg", "min", "max"]), names),
    st.builds(
        lambda e, p, n: most_frequent(e, p, min_frequency=n),
        names,
        names,
        st.integers(min_value=1, max_value=9),
    ),
    st.builds(first, names, names),
    st.builds(last, names, names),
    st.builds(unique_list, names, names),
    st.builds(unique_list_count, names, names),
)


@st.composite
def trait_queries(draw: st.DrawFn) -> TraitQuery:
    built: TraitQuery = draw(kinds)
    if draw(st.booleans()):
        built = built.where(draw(conditions))
    window = draw(st.sampled_from(["none", "days", "hours", "between", "session"]))
    if window == "days":
        built = built.within(days=draw(st.integers(min_value=1, max_value=3650)))
    elif window == "hours":
        built = built.within(hours=draw(st.integers(min_value=1, max_value=1000)))
    elif window == "between":
        near = draw(st.integers(min_value=1, max_value=100))
        built = built.between(days=(near, near + draw(st.integers(min_value=1, max_value=100))))
    elif window == "session":
        built = built.expires_after(seconds=draw(st.integers(min_value=1800, max_value=7776000)))
    if draw(st.booleans()):
        built = built.excluding_sources(draw(names))
    return built.with_options(
        include_historical_data=draw(st.none() | st.booleans()),
        include_anonymous_users=draw(st.none() | st.booleans()),
    )


@settings(max_examples=100, deadline=None)
@given(trait_queries())
def test_any_built_trait_parses_back_to_its_tree_kind_and_text(built: TraitQuery) -> None:
    parsed = parse(built.query)
    assert (parsed.root, parsed.kind, parsed.compile()) == (
        built.node,
        built.result_kind,
        built.query,
    )


@settings(max_examples=50, deadline=None)
@given(trait_queries().filter(lambda b: b.kind is not TraitKind.UNIQUE_LIST), values)
def test_any_built_trait_comparison_is_a_boolean_audience(built: TraitQuery, value: object) -> None:
    audience = built.equals(value) | (trait("vip") == "true")
    parsed = parse(audience.query)
    assert (parsed.root, parsed.kind) == (audience.node, ResultKind.BOOLEAN)
