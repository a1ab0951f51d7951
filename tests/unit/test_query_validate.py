"""validate() limits and result kinds, and the analysis helpers over parsed queries."""

from __future__ import annotations

import pytest

from segment_unify.query import (
    MAX_PRIMARY_EXPRESSIONS,
    QuerySyntaxError,
    QueryValidationError,
    ReducerUse,
    ResultKind,
    events_used,
    parse,
    primary_expression_count,
    properties_used,
    reducers,
    traits_used,
    validate,
    windows,
)

FUNNEL = (
    "event('Shoes Bought').where( property('price') >= trait('avg_spend') AND "
    "event('Shoes Returned').within(parent: 5 days).count() >= 1 ).within(30 days).count() >= 1"
)


def _traits_or(count: int) -> str:
    return " OR ".join(f"trait('t{i}') = {i}" for i in range(count))


def validation_error(query: str, **kwargs: object) -> QueryValidationError:
    with pytest.raises(QueryValidationError) as caught:
        validate(query, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- validate --------------------------------------------------------------------------------


def test_validate_returns_the_parsed_query() -> None:
    assert validate(FUNNEL) == parse(FUNNEL)


def test_validate_accepts_an_already_parsed_query() -> None:
    parsed = parse(FUNNEL)
    assert validate(parsed, expect=ResultKind.BOOLEAN) is parsed


def test_fifty_primary_expressions_are_allowed() -> None:
    query = validate(_traits_or(MAX_PRIMARY_EXPRESSIONS))
    assert primary_expression_count(query) == 50


def test_fifty_one_primary_expressions_are_rejected_at_the_fifty_first() -> None:
    error = validation_error(_traits_or(51))
    fifty_first = len(_traits_or(50) + " OR ") + 1
    assert str(error) == (
        f"line 1, column {fifty_first}: the query has 51 primary expressions; "
        "Segment allows at most 50"
    )


def test_audience_expectation_rejects_a_scalar_query() -> None:
    error = validation_error("event('E').count()", expect=ResultKind.BOOLEAN)
    assert str(error) == (
        "expected a boolean (a comparison or junction, as audiences need) query but this one is "
        "a scalar (ending in a reducer, as computed traits need)"
    )
    assert error.line is None


def test_trait_expectation_rejects_a_boolean_query() -> None:
    error = validation_error("trait('a') = 1", expect=ResultKind.SCALAR)
    assert str(error).startswith("expected a scalar (ending in a reducer")


def test_scalar_expectation_accepts_a_unique_list() -> None:
    query = validate("event('E').unique(property('p'))", expect=ResultKind.SCALAR)
    assert query.kind is ResultKind.LIST


def test_list_expectation_rejects_a_counted_unique_list() -> None:
    error = validation_error("event('E').unique(property('p')).count()", expect=ResultKind.LIST)
    assert "expected a list" in str(error)


def test_session_window_of_thirty_minutes_is_allowed() -> None:
    assert validate("event('E').expires_after(1800 seconds).count()").kind is ResultKind.SCALAR


def test_session_window_under_thirty_minutes_is_rejected() -> None:
    error = validation_error("event('E').expires_after(1799 seconds).count()")
    assert str(error) == (
        "line 1, column 12: expires_after(1799 seconds) is shorter than the 30-minute minimum "
        "session"
    )


def test_session_window_over_ninety_days_is_rejected() -> None:
    error = validation_error("event('E').expires_after(91 days).count()")
    assert "is longer than the 90-day maximum session" in str(error)


def test_any_is_rejected_for_user_definitions() -> None:
    error = validation_error("ANY trait('a') = 1", definition_type="USERS")
    assert str(error) == "line 1, column 1: ANY only applies to ACCOUNTS definitions, not USERS"


def test_all_is_allowed_for_account_definitions() -> None:
    query = "ALL NOT event('Shoes Bought').count() >= 1"
    assert validate(query, definition_type="ACCOUNTS").kind is ResultKind.BOOLEAN


def test_entity_is_rejected_outside_linked_audiences() -> None:
    error = validation_error("entity('orders').count() >= 1", definition_type="USERS")
    assert str(error) == (
        "line 1, column 1: entity('orders') is only valid in LINKED audiences, not USERS"
    )


def test_entity_is_allowed_in_linked_audiences() -> None:
    query = "entity('orders').count() >= 1 OR trait('VIP') = 'true'"
    assert validate(query, definition_type="LINKED").kind is ResultKind.BOOLEAN


def test_validate_raises_syntax_errors_unchanged() -> None:
    with pytest.raises(QuerySyntaxError, match="line 1, column 7"):
        validate("event(")


def test_validation_error_is_a_value_error() -> None:
    assert isinstance(validation_error(_traits_or(51)), ValueError)


# --- analysis --------------------------------------------------------------------------------


def test_events_used_includes_funnel_steps() -> None:
    assert events_used(parse(FUNNEL)) == {"Shoes Bought", "Shoes Returned"}


def test_properties_used_includes_where_and_reducer_properties() -> None:
    query = parse("event('E').where(property('a') = 1).sum(property('b'))")
    assert properties_used(query) == {"a", "b"}


def test_traits_used_includes_dynamic_references() -> None:
    assert traits_used(parse(FUNNEL)) == {"avg_spend"}


def test_windows_report_hours_and_days() -> None:
    found = windows(parse(FUNNEL))
    assert [(w.kind, w.days, w.parent, w.source) for w in found] == [
        ("within", 30, False, "Shoes Bought"),
        ("within", 5, True, "Shoes Returned"),
    ]


def test_between_window_reports_both_ends() -> None:
    (window,) = windows(parse("event('E').between(12 hours, 2 days).count()"))
    assert window.start is not None
    assert (window.start.hours, window.hours) == (12, 48)


def test_session_window_is_reported_in_seconds_too() -> None:
    (window,) = windows(parse("event('E').expires_after(1 hour).count()"))
    assert (window.kind, window.length.total_seconds) == ("expires_after", 3600)


def test_reducers_report_mode_minimum_frequency() -> None:
    found = reducers(parse("event('E').mode(property('channelType'), 2)"))
    assert found == [ReducerUse("mode", "channelType", "E", min_frequency=2)]


def test_reducers_mark_count_after_unique() -> None:
    found = reducers(parse("event('E').unique(property('p')).count()"))
    assert found == [ReducerUse("unique", "p", "E"), ReducerUse("count", None, "E", of_unique=True)]


def test_helpers_accept_query_text() -> None:
    assert events_used("event('E').count() >= 1") == {"E"}


def test_primary_expression_count_skips_literals() -> None:
    assert primary_expression_count(parse(FUNNEL)) == 4
