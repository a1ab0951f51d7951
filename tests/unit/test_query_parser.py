"""parse(): every documented example, the tree it builds, and positioned syntax errors."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from segment_unify.query import (
    QuerySyntaxError,
    ResultKind,
    TimeUnit,
    parse,
)
from segment_unify.query.nodes import (
    Aggregate,
    Chain,
    Comparator,
    Comparison,
    Count,
    Duration,
    Event,
    Junction,
    Literal,
    Mode,
    Property,
    Timestamp,
    Trait,
    Unary,
    Unique,
    Where,
    Within,
)

# Section 1.9 of the reference: per-function snippets are chain fragments, so each one is
# shown with the smallest query that holds it verbatim.
FRAGMENTS = [
    ("event('Shoes Bought')", "event('Shoes Bought').count()"),
    ("trait('total_spend')", "trait('total_spend').exists()"),
    ("entity('accounts')", "entity('accounts').count() >= 1"),
    ("property('total')", "event('E').where(property('total') > 1).count()"),
    ("context('page.url')", "event('E').where(context('page.url').contains('x')).count()"),
    ("literal(100)", "trait('t') = literal(100)"),
    ("literal('value')", "trait('t') = literal('value')"),
    ("literal(2022-10-17T00:00:00)", "trait('t') = literal(2022-10-17T00:00:00)"),
    (
        "where({property('price_usd') > 100})",
        "event('E').where({property('price_usd') > 100}).count()",
    ),
    (
        "sources({exclude: 'QgRHeujRJBM9j18yChyC', '/;hSBZDqGDPvXCKHbikPm'})",
        "event('E').sources({exclude: 'QgRHeujRJBM9j18yChyC', '/;hSBZDqGDPvXCKHbikPm'}).count()",
    ),
    ("within(7 days)", "event('E').within(7 days).count()"),
    ("between(7 days, 10 days)", "event('E').between(7 days, 10 days).count()"),
    ("expires_after(1 hour)", "event('E').expires_after(1 hour).count()"),
    ("count()", "event('E').count()"),
    ("sum(property('spend'))", "event('E').sum(property('spend'))"),
    ("avg(property('spend'))", "event('E').avg(property('spend'))"),
    ("max(property('spend'))", "event('E').max(property('spend'))"),
    ("max(property('spend') as string)", "event('E').max(property('spend') as string)"),
    ("min(property('spend'))", "event('E').min(property('spend'))"),
    ("min(property('spend') as string)", "event('E').min(property('spend') as string)"),
    ("mode(property('spend'), 2)", "event('E').mode(property('spend'), 2)"),
    ("mode(property('spend') as array, 2)", "event('E').mode(property('spend') as array, 2)"),
    ("first(property('spend'))", "event('E').first(property('spend'))"),
    ("last(property('spend'))", "event('E').last(property('spend'))"),
    ("unique(property('spend'))", "event('E').unique(property('spend'))"),
    ("equals(500)", "trait('t').equals(500)"),
    ("== 500", "trait('t') == 500"),
    ("differs(500)", "trait('t').differs(500)"),
    ("!= 500", "trait('t') != 500"),
    ("absent()", "trait('t').absent()"),
    ("exists()", "trait('t').exists()"),
    ("greater_than(500)", "trait('t').greater_than(500)"),
    ("> 500", "trait('t') > 500"),
    ("at_least(500)", "trait('t').at_least(500)"),
    (">= 500", "trait('t') >= 500"),
    ("less_than(500)", "trait('t').less_than(500)"),
    ("< 500", "trait('t') < 500"),
    ("at_most(500)", "trait('t').at_most(500)"),
    ("<= 500", "trait('t') <= 500"),
    ("contains('shoes','shirts')", "trait('t').contains('shoes','shirts')"),
    ("omits('shoes')", "trait('t').omits('shoes')"),
    ("starts_with('total')", "trait('t').starts_with('total')"),
    ("ends_with('total')", "trait('t').ends_with('total')"),
    ("one_of('shoes','shirts')", "trait('t').one_of('shoes','shirts')"),
    ("none_of('shoes','shirts')", "trait('t').none_of('shoes','shirts')"),
    ("before_date(2023-12-07T18:50:00Z)", "trait('t').before_date(2023-12-07T18:50:00Z)"),
    ("before_date('2023-12-07T18:50:00Z')", "trait('t').before_date('2023-12-07T18:50:00Z')"),
    ("after_date(2023-12-07T18:50:00Z)", "trait('t').after_date(2023-12-07T18:50:00Z)"),
    ("after_date('2023-12-07T18:50:00Z')", "trait('t').after_date('2023-12-07T18:50:00Z')"),
    ("within_last(7 days)", "trait('t').within_last(7 days)"),
    ("within_next(7 days)", "trait('t').within_next(7 days)"),
    ("before_last(7 days)", "trait('t').before_last(7 days)"),
    ("after_next(7 days)", "trait('t').after_next(7 days)"),
]

AUDIENCE_EXAMPLES = [
    "event('Shoes Bought').where( property('price') >= 100 ).within(7 days).count() >= 1",
    """event('Shoes Bought').where( 
property('price') >= trait('avg_spend')
AND 
event('Shoes Returned').within(parent: 5 days).count() >= 1 
).within(30 days).count() >= 1""",  # noqa: W291 (verbatim, trailing blanks included)
    "NOT ( event('Shoes Bought').count() >= 1 AND trait('total_spend') > 200 )",
    "ALL ( event('Shoes Bought').count() >= 1 AND trait('total_spend') > 200 )",
    "ALL NOT event('Shoes Bought').count() >= 1",
    "ANY event('Shoes Bought').count() >= 1",
    "entity('orders').where(entity('order-products').count() >= 1).count() >= 1",
    "entity('orders').count() >= 1 OR trait('VIP') = 'true'",
    "entity('orders').where(property('total') > 500).count() >= 1",
]

TRAIT_EXAMPLES = [
    "event('Shoes Bought').within(30 days).avg(property('spend'))",
    "event('Shoes Bought').where( property('price') > 100 AND property('brand') = 'My Brand' )"
    ".min(property('spend'))",
    "event('Shoes Bought').within(30 days).first(property('spend'))",
    "event('Shoes Bought').within(30 days).mode(property('spend'), 2)",
]

# "NOT (expression) = (value)" and "(expression) != (value) OR (expression).absent()" from the
# notes, with a trait for the expression and a string for the value.
NOTE_FORMS = [
    "NOT (trait('plan')) = ('pro')",
    "(trait('plan')) != ('pro') OR (trait('plan')).absent()",
]

ALL_EXAMPLES = [query for _, query in FRAGMENTS] + AUDIENCE_EXAMPLES + TRAIT_EXAMPLES + NOTE_FORMS


def syntax_error(query: str) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    return caught.value


# --- documented examples ---------------------------------------------------------------------


@pytest.mark.parametrize(("fragment", "query"), FRAGMENTS, ids=[f for f, _ in FRAGMENTS])
def test_documented_fragment_parses_inside_a_minimal_query(fragment: str, query: str) -> None:
    assert fragment in query
    assert parse(query).text == query


@pytest.mark.parametrize("query", AUDIENCE_EXAMPLES)
def test_documented_audience_example_parses_as_boolean(query: str) -> None:
    assert parse(query).kind is ResultKind.BOOLEAN


@pytest.mark.parametrize("query", TRAIT_EXAMPLES)
def test_documented_computed_trait_example_parses_as_scalar(query: str) -> None:
    assert parse(query).kind is ResultKind.SCALAR


@pytest.mark.parametrize("query", NOTE_FORMS)
def test_null_handling_forms_from_the_notes_parse_as_boolean(query: str) -> None:
    assert parse(query).kind is ResultKind.BOOLEAN


@pytest.mark.parametrize("query", ALL_EXAMPLES)
def test_compiled_example_parses_back_to_the_same_tree(query: str) -> None:
    parsed = parse(query)
    assert parse(parsed.compile()) == parsed


@pytest.mark.parametrize("query", ALL_EXAMPLES)
def test_compiling_a_compiled_example_changes_nothing(query: str) -> None:
    once = parse(query).compile()
    assert parse(once).compile() == once


# --- the tree --------------------------------------------------------------------------------


def test_documented_audience_example_builds_the_expected_tree() -> None:
    root = parse(AUDIENCE_EXAMPLES[0]).root
    assert root == Comparison(
        Chain(
            Event("Shoes Bought"),
            (
                Where(Comparison(Property("price"), Comparator.AT_LEAST, (Literal(100),))),
                Within(Duration(7, TimeUnit.DAY)),
                Count(),
            ),
        ),
        Comparator.AT_LEAST,
        (Literal(1),),
    )


def test_and_binds_tighter_than_or() -> None:
    root = parse("trait('a') = 1 OR trait('b') = 2 AND trait('c') = 3").root
    assert isinstance(root, Junction) and root.operator == "OR"
    assert isinstance(root.operands[1], Junction) and root.operands[1].operator == "AND"


def test_parentheses_override_and_over_or() -> None:
    root = parse("(trait('a') = 1 OR trait('b') = 2) AND trait('c') = 3").root
    assert isinstance(root, Junction) and root.operator == "AND"
    assert isinstance(root.operands[0], Junction) and root.operands[0].operator == "OR"


def test_comparison_binds_tighter_than_not() -> None:
    root = parse("NOT trait('a') = 1").root
    assert root == Unary("NOT", Comparison(Trait("a"), Comparator.EQUALS, (Literal(1),)))


def test_nested_junctions_of_one_operator_are_flattened() -> None:
    root = parse("(trait('a') = 1 AND trait('b') = 2) AND trait('c') = 3").root
    assert isinstance(root, Junction) and len(root.operands) == 3


def test_unique_without_count_is_a_list() -> None:
    assert parse("event('E').unique(property('p'))").kind is ResultKind.LIST


def test_unique_then_count_is_a_scalar() -> None:
    query = parse("event('E').unique(property('p')).count()")
    assert query.kind is ResultKind.SCALAR
    assert isinstance(query.root, Chain)
    assert query.root.steps == (Unique(Property("p")), Count())


def test_mode_keeps_its_type_and_minimum_frequency() -> None:
    root = parse("event('E').mode(property('p') as array, 3)").root
    assert isinstance(root, Chain)
    assert root.steps == (Mode(Property("p"), 3, "array"),)


def test_max_as_string_keeps_the_type() -> None:
    root = parse("event('E').max(property('p') as string)").root
    assert isinstance(root, Chain)
    assert root.steps == (Aggregate("max", Property("p"), "string"),)


def test_infix_and_named_comparators_build_equal_trees() -> None:
    assert parse("trait('a') == 1") == parse("trait('a').equals(literal(1))")


def test_legacy_comparator_name_is_read_as_the_current_one() -> None:
    assert parse("trait('a').gte(5)") == parse("trait('a') >= 5")


def test_legacy_comparator_name_is_never_written() -> None:
    assert parse("trait('a').is_null()").compile() == "trait('a').absent()"


def test_bracket_list_equals_the_variadic_form() -> None:
    assert parse("trait('a').one_of(['x', 'y'])") == parse("trait('a').one_of('x', 'y')")


def test_double_quoted_string_reads_like_a_single_quoted_one() -> None:
    assert parse('trait("a") = "b"') == parse("trait('a') = 'b'")


def test_escaped_quote_is_part_of_the_string() -> None:
    root = parse(r"trait('it\'s') = 'x'").root
    assert isinstance(root, Comparison) and root.subject == Trait("it's")


def test_escaped_dot_in_a_trait_path_is_kept() -> None:
    root = parse(r"trait('a\\.b').exists()").root
    assert isinstance(root, Comparison) and root.subject == Trait("a\\.b")


def test_bare_timestamp_stays_a_timestamp() -> None:
    root = parse("trait('t').before_date(2023-12-07T18:50:00Z)").root
    assert isinstance(root, Comparison)
    assert root.arguments == (Literal(Timestamp("2023-12-07T18:50:00Z")),)


def test_decimal_and_negative_numbers_are_numbers() -> None:
    root = parse("trait('t') > -1.5").root
    assert isinstance(root, Comparison) and root.arguments == (Literal(-1.5),)


def test_parent_property_in_a_funnel_step_is_marked_parent() -> None:
    query = (
        "event('A').where(event('B').where(property(parent: 'sku') = property('sku'))"
        ".within(parent: 2 hours).count() >= 1).count()"
    )
    assert Property("sku", parent=True) in _walk(parse(query))


def test_span_gives_line_and_column_of_a_node() -> None:
    root = parse("trait('a') = 1 OR\n  trait('b') = 2").root
    assert isinstance(root, Junction)
    second = root.operands[1]
    assert isinstance(second, Comparison) and second.subject.span is not None
    assert (second.subject.span.line, second.subject.span.column) == (2, 3)


def _walk(query: object) -> list[object]:
    from segment_unify.query.analysis import walk

    return list(walk(query))


# --- errors ----------------------------------------------------------------------------------


def test_missing_parenthesis_reports_what_was_expected_and_found() -> None:
    error = syntax_error("event('E').within(7 days AND trait('a') = 1")
    assert str(error) == "line 1, column 26: expected ')' or ',' but found 'AND'"
    assert (error.line, error.column, error.expected) == (1, 26, ["')'", "','"])


def test_syntax_error_is_a_value_error() -> None:
    assert isinstance(syntax_error("event("), ValueError)


def test_error_on_a_later_line_counts_lines_and_columns() -> None:
    error = syntax_error("event('E')\n  .where(property('p') > )\n  .count()")
    assert (error.line, error.column, error.found) == (2, 26, "')'")


def test_end_of_input_is_reported_after_the_last_token() -> None:
    error = syntax_error("event('E').count() >= ")
    assert str(error).startswith("line 1, column 22: expected ")
    assert error.found == "end of input"


def test_empty_query_is_a_syntax_error_at_the_start() -> None:
    error = syntax_error("")
    assert (error.line, error.column, error.found) == (1, 1, "end of input")


def test_unterminated_string_is_named_as_such() -> None:
    error = syntax_error("trait('a') = 'abc")
    assert (error.column, error.found) == (14, "an unterminated string")


def test_unknown_character_lists_only_what_could_follow() -> None:
    error = syntax_error("event('E').where(property('x') = 1 && property('y') = 2).count()")
    assert str(error) == (
        "line 1, column 36: expected ')', ',', '.', 'AND', 'OR' or 'as' but found '&'"
    )


def test_unknown_character_at_the_end_mentions_end_of_input() -> None:
    error = syntax_error("trait('x') = 1 !")
    assert error.expected == ["'.'", "'AND'", "'OR'", "end of input"]


def test_absurdly_deep_nesting_is_a_syntax_error() -> None:
    error = syntax_error("(" * 5000 + "trait('a') = 1" + ")" * 5000)
    assert str(error) == "line 1, column 1: the query nests too deeply to read"


def test_lowercase_junction_is_not_a_junction() -> None:
    error = syntax_error("trait('a') = 1 and trait('b') = 2")
    assert (error.column, error.found) == (16, "'and'")


def test_reducer_after_unique_other_than_count_is_rejected() -> None:
    error = syntax_error("event('E').unique(property('p')).sum(property('q'))")
    assert str(error) == "line 1, column 34: expected 'count' but found 'sum'"


def test_reducer_on_a_scalar_extractor_is_rejected() -> None:
    error = syntax_error("trait('a').count()")
    assert (error.line, error.column, error.found) == (1, 12, "'count'")
    assert "expected a comparator (equals, differs" in str(error)


def test_property_outside_where_or_a_reducer_is_rejected() -> None:
    error = syntax_error("property('p') = 1")
    assert str(error) == (
        "line 1, column 1: property() may only be used inside where(...) or as a reducer's argument"
    )


def test_context_outside_where_or_a_reducer_is_rejected() -> None:
    error = syntax_error("trait('a') = 1 OR context('page.url') = 'x'")
    assert error.column == 19
    assert "context() may only be used inside where(...)" in str(error)


def test_stream_compared_without_a_reducer_is_rejected() -> None:
    error = syntax_error("event('E') >= 1")
    assert (error.column, error.found) == (12, "'>='")
    assert error.expected == ["a reducer (count, sum, avg, min, max, mode, first, last, unique)"]


def test_query_ending_in_a_filter_needs_a_reducer() -> None:
    error = syntax_error("event('E').within(7 days)")
    assert (error.column, error.found) == (26, "end of input")
    assert error.expected[0].startswith("a reducer")


def test_scalar_used_as_a_condition_is_rejected_at_the_junction() -> None:
    error = syntax_error("event('E').count() AND trait('b') = 1")
    assert str(error) == (
        "line 1, column 20: expected a comparison operator or a comparator call "
        "such as .exists() but found 'AND'"
    )


def test_where_needs_a_condition_not_a_value() -> None:
    error = syntax_error("event('E').where(trait('a')).count()")
    assert (error.column, error.found) == (28, "')'")


def test_unknown_function_lists_the_extractors() -> None:
    error = syntax_error("events('E').count()")
    assert error.expected == [
        "'event'",
        "'entity'",
        "'trait'",
        "'property'",
        "'context'",
        "'literal'",
    ]
    assert error.found == "'events'"


def test_filter_after_a_reducer_is_rejected() -> None:
    error = syntax_error("event('E').count().within(7 days)")
    assert (error.column, error.found) == (20, "'within'")


def test_call_after_a_comparator_is_rejected() -> None:
    error = syntax_error("trait('a').exists().absent()")
    assert str(error) == "line 1, column 21: nothing may follow a comparison, but found 'absent'"


def test_call_after_a_literal_is_rejected() -> None:
    error = syntax_error("trait('a') = literal(5).count()")
    assert str(error) == "line 1, column 25: nothing may follow a literal, but found 'count'"


def test_undocumented_time_unit_lists_the_documented_ones() -> None:
    error = syntax_error("event('E').within(30 minutes).count()")
    assert str(error) == (
        "line 1, column 22: expected 'hour', 'hours', 'day' or 'days' but found 'minutes'"
    )


def test_seconds_are_only_a_session_window_unit() -> None:
    assert parse("event('E').expires_after(3600 seconds).count()").kind is ResultKind.SCALAR
    error = syntax_error("event('E').within(3600 seconds).count()")
    assert (error.column, error.found) == (24, "'seconds'")


def test_parent_window_without_an_enclosing_chain_is_rejected() -> None:
    error = syntax_error("event('E').within(parent: 7 days).count()")
    assert str(error) == (
        "line 1, column 19: parent: needs an enclosing event chain, and there is none here"
    )


def test_parent_property_in_a_top_level_where_is_rejected() -> None:
    error = syntax_error("event('E').where(property(parent: 'p') = 1).count()")
    assert error.column == 27


def test_reducer_argument_must_be_a_property_or_context() -> None:
    error = syntax_error("event('E').sum(trait('x'))")
    assert (
        str(error) == "line 1, column 16: expected property(...) or context(...) but found 'trait'"
    )


def test_missing_argument_is_reported_at_the_closing_parenthesis() -> None:
    error = syntax_error("event('E').sum()")
    assert (error.column, error.found) == (16, "')'")


def test_extra_argument_is_reported_at_its_comma() -> None:
    error = syntax_error("trait('a').equals(1, 2)")
    assert str(error) == "line 1, column 20: expected ')' but found ','"


def test_argument_to_count_is_rejected() -> None:
    error = syntax_error("event('E').count(1)")
    assert str(error) == "line 1, column 18: expected ')' but found '1'"


def test_mode_minimum_frequency_must_be_a_positive_whole_number() -> None:
    error = syntax_error("event('E').mode(property('p'), 0)")
    assert str(error) == (
        "line 1, column 32: expected a whole number (the minimum frequency) but found '0'"
    )


def test_type_outside_the_documented_ones_is_rejected() -> None:
    error = syntax_error("event('E').max(property('p') as text)")
    assert str(error) == "line 1, column 33: expected 'number' or 'string' but found 'text'"


def test_type_on_sum_is_rejected() -> None:
    error = syntax_error("event('E').sum(property('p') as number)")
    assert (error.column, error.found) == (30, "'as'")


def test_before_date_needs_a_date() -> None:
    error = syntax_error("trait('t').before_date('yesterday')")
    assert (error.column, error.found) == (24, "'yesterday'")


def test_sources_needs_exclude() -> None:
    error = syntax_error("event('E').sources({include: 'x'}).count()")
    assert (error.column, error.expected) == (21, ["'exclude:'"])


def test_comparing_a_condition_is_rejected() -> None:
    error = syntax_error("trait('a').exists() = 1")
    assert (error.column, error.expected) == (21, ["'AND'", "'OR'"])


def test_literal_cannot_start_a_comparison() -> None:
    error = syntax_error("5 = trait('a')")
    assert (error.column, error.found) == (1, "'5'")


def test_syntax_error_survives_pickling() -> None:
    error = syntax_error("event('E').within(7 days AND")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.line, copy.column, copy.expected) == (
        str(error),
        error.line,
        error.column,
        error.expected,
    )


def test_parse_rejects_a_non_string() -> None:
    with pytest.raises(TypeError, match="a query is a str, not bytes"):
        parse(b"trait('a') = 1")  # type: ignore[arg-type]


def test_importing_the_package_does_not_import_lark() -> None:
    code = "import sys, segment_unify.query; print('lark' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
