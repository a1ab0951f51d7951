"""evaluate(), construct by construct, with hand-worked values: every `where` comparator,
`sources`, session windows, `mode ... as array`, references to other traits and audiences,
linked audiences (`entity`) and account audiences (`ANY`/`ALL`).

The orders stream, seen at AT (2026-06-30 12:00 UTC), hours before AT in brackets:
  O1 [72] total 120 brand 'Acme'   tags [a, b] source web   placed 2026-06-27T12:00Z
  O2 [50] total  40 brand 'Beta'   tags [a, b] source app
  O3 [2]  total  75 brand 'acme co' tags [c]   source web   coupon 'SUMMER'
  O4 [1]  total '9' brand 'Acme'   (no tags)    source app
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from segment_unify.query import parse
from segment_unify.query.evaluation import Member, evaluate
from segment_unify.query.nodes import Comparator

AT = datetime(2026, 6, 30, 12, tzinfo=timezone.utc)
ORDER = "event('Order Completed')"


def _order(hours: float, source: str, **properties: Any) -> dict[str, Any]:
    stamp = (AT - timedelta(hours=hours)).isoformat().replace("+00:00", "Z")
    return {
        "type": "track",
        "event": "Order Completed",
        "timestamp": stamp,
        "source_id": source,
        "properties": properties,
    }


ORDERS = [
    _order(72, "web", total=120, brand="Acme", tags=["a", "b"], placed="2026-06-27T12:00:00Z"),
    _order(50, "app", total=40, brand="Beta", tags=["a", "b"]),
    _order(2, "web", total=75, brand="acme co", tags=["c"], coupon="SUMMER"),
    _order(1, "app", total="9", brand="Acme"),
]


def count_where(condition: str) -> Any:
    return evaluate(f"{ORDER}.where({condition}).count()", ORDERS, AT)


# One row per comparator: the condition, and which orders (of O1..O4) it holds for.
COMPARATOR_CASES: dict[Comparator, tuple[str, int]] = {
    Comparator.EQUALS: ("property('brand') = 'Acme'", 2),  # O1, O4 (case matters)
    Comparator.DIFFERS: ("property('coupon') != 'SUMMER'", 0),  # missing on O1,O2,O4: false
    Comparator.ABSENT: ("property('coupon').absent()", 3),
    Comparator.EXISTS: ("property('tags').exists()", 3),
    Comparator.GREATER_THAN: ("property('total') > 75", 1),  # O1
    Comparator.AT_LEAST: ("property('total') >= 75", 2),  # O1, O3
    Comparator.LESS_THAN: ("property('total') < 40", 1),  # O4: '9' reads as 9, not as text
    Comparator.AT_MOST: ("property('total') <= 40", 2),  # O2, O4
    Comparator.CONTAINS: ("property('brand').contains('cm', 'et')", 4),  # any needle
    Comparator.OMITS: ("property('brand').omits('Acme')", 2),  # O2, O3 ('acme co')
    Comparator.STARTS_WITH: ("property('brand').starts_with('acme')", 1),  # O3
    Comparator.ENDS_WITH: ("property('brand').ends_with('co')", 1),  # O3
    Comparator.ONE_OF: ("property('total').one_of(40, 9)", 2),  # O2, O4
    Comparator.NONE_OF: ("property('total').none_of(40, 9)", 2),  # O1, O3
    Comparator.BEFORE_DATE: ("property('placed').before_date(2026-06-28)", 1),  # O1 only
    Comparator.AFTER_DATE: ("property('placed').after_date('2026-06-28T00:00:00Z')", 0),
    Comparator.WITHIN_LAST: ("property('placed').within_last(3 days)", 1),  # O1: 3 days ago
    Comparator.WITHIN_NEXT: ("property('placed').within_next(3 days)", 0),
    Comparator.BEFORE_LAST: ("property('placed').before_last(2 days)", 1),
    Comparator.AFTER_NEXT: ("property('placed').after_next(1 day)", 0),
}


def test_every_comparator_has_a_hand_worked_case() -> None:
    assert set(COMPARATOR_CASES) == set(Comparator)


@pytest.mark.parametrize("comparator", list(COMPARATOR_CASES), ids=lambda c: c.value)
def test_where_comparator(comparator: Comparator) -> None:
    condition, expected = COMPARATOR_CASES[comparator]
    assert parse(f"{ORDER}.where({condition}).count()")  # the grammar accepts it
    assert count_where(condition) == expected


def test_contains_on_a_list_value_tests_each_element() -> None:
    assert count_where("property('tags').contains('c')") == 1  # O3
    assert count_where("property('tags').omits('a')") == 1  # O3; O4 has no tags: false


def test_where_junctions_and_context() -> None:
    assert count_where("property('total') > 50 AND property('brand') = 'Acme'") == 1
    assert count_where("property('total') > 100 OR property('coupon').exists()") == 2
    assert count_where("NOT (property('total') > 100 OR property('coupon').exists())") == 2
    page = {
        "type": "page",
        "name": "Pricing",
        "timestamp": "2026-06-30T00:00:00Z",
        "context": {"page": {"url": "https://x.test/pricing"}},
    }
    query = "event('Pricing').where(context('page.url').ends_with('/pricing')).count()"
    assert evaluate(query, [page], AT) == 1


def test_sources_excludes_the_events_of_the_given_sources() -> None:
    assert evaluate(f"{ORDER}.sources({{exclude: 'app'}}).count()", ORDERS, AT) == 2
    assert evaluate(f"{ORDER}.sources({{exclude: 'app', 'web'}}).count()", ORDERS, AT) == 0
    assert evaluate(f"{ORDER}.sources({{exclude: 'x'}}).sum(property('total'))", ORDERS, AT) == 244


def test_session_window_is_the_last_run_of_events_within_the_gap() -> None:
    # Gaps: O1 -22h- O2 -48h- O3 -1h- O4 -1h- AT. A 3-hour session holds O3 and O4.
    assert evaluate(f"{ORDER}.expires_after(3 hours).count()", ORDERS, AT) == 2
    assert evaluate(f"{ORDER}.expires_after(1 day).sum(property('total'))", ORDERS, AT) == 84
    # Two days: the 48-hour gap before O3 is on the edge (inside), and O1 is 22 h before O2.
    assert evaluate(f"{ORDER}.expires_after(2 days).count()", ORDERS, AT) == 4
    # Half an hour after O4 the 30-minute session has expired.
    assert evaluate(f"{ORDER}.expires_after(1800 seconds).count()", ORDERS, AT) == 0


def test_mode_as_array_counts_whole_arrays() -> None:
    assert evaluate(f"{ORDER}.mode(property('tags') as array, 2)", ORDERS, AT) == ["a", "b"]
    assert evaluate(f"{ORDER}.mode(property('tags') as array, 3)", ORDERS, AT) is None
    assert evaluate(f"{ORDER}.mode(property('brand') as string, 2)", ORDERS, AT) == "Acme"


def test_min_and_max_as_string_order_text() -> None:
    assert evaluate(f"{ORDER}.max(property('total'))", ORDERS, AT) == 120
    assert evaluate(f"{ORDER}.max(property('total') as string)", ORDERS, AT) == "9"
    assert evaluate(f"{ORDER}.min(property('brand') as string)", ORDERS, AT) == "Acme"


def test_references_to_other_traits_and_audiences() -> None:
    # Another computed trait's value, an audience's membership, a nested trait object.
    traits = {"avg_order": 60, "vip": True, "address": {"city": "Lyon"}}
    assert (
        evaluate(
            f"{ORDER}.where(property('total') > trait('avg_order')).count()", ORDERS, AT, traits
        )
        == 2
    )
    assert evaluate("trait('vip') = 'true'", [], AT, traits) is True  # the documented form
    assert evaluate("trait('vip') = 'true'", [], AT, {"vip": False}) is False
    assert evaluate("trait('address.city') = 'Lyon'", [], AT, traits) is True
    assert evaluate("trait('vip').exists() AND NOT trait('churned').exists()", [], AT, traits)


# Linked audiences: a profile's Data Graph rows, orders with their order-products.
ENTITIES = {
    "orders": [
        {"id": 1, "total": 700, "order-products": [{"sku": "A"}, {"sku": "B"}]},
        {"id": 2, "total": 90, "order-products": []},
        {"id": 3, "total": 510},
    ]
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("entity('orders').where(property('total') > 500).count() >= 1", True),
        ("entity('orders').where(property('total') > 500).count() >= 3", False),
        ("entity('orders').where(entity('order-products').count() >= 1).count() >= 1", True),
        ("entity('orders').where(entity('order-products').count() >= 2).count() >= 2", False),
        ("entity('payments').count() >= 1 OR trait('VIP') = 'true'", False),
    ],
)
def test_entity_reads_the_profiles_data_graph_rows(query: str, expected: bool) -> None:
    assert evaluate(query, [], AT, entities=ENTITIES) is expected


def test_entity_reducers_read_row_columns() -> None:
    assert evaluate("entity('orders').sum(property('total'))", [], AT, entities=ENTITIES) == 1300


def _user(orders: int, spend: int) -> Member:
    return Member(ORDERS[:orders], {"total_spend": spend})


@pytest.mark.parametrize(
    ("query", "users", "expected"),
    [
        (f"ANY {ORDER}.count() >= 1", [_user(0, 0), _user(1, 10)], True),
        (f"ANY {ORDER}.count() >= 1", [_user(0, 0), _user(0, 0)], False),
        (f"ALL ({ORDER}.count() >= 1 AND trait('total_spend') > 200)", [_user(2, 300)], True),
        (
            f"ALL ({ORDER}.count() >= 1 AND trait('total_spend') > 200)",
            [_user(2, 300), _user(3, 100)],
            False,
        ),
        (f"ALL NOT {ORDER}.count() >= 1", [_user(0, 0), _user(0, 5)], True),
        (f"ALL NOT {ORDER}.count() >= 1", [], False),  # no user to satisfy it
    ],
)
def test_account_audiences_evaluate_over_the_accounts_users(
    query: str, users: list[Member], expected: bool
) -> None:
    assert evaluate(query, [], AT, users=users) is expected


def test_account_level_conditions_beside_any_read_the_account() -> None:
    query = f"ANY {ORDER}.count() >= 2 AND trait('plan') = 'enterprise'"
    users = [_user(2, 0)]
    assert evaluate(query, [], AT, {"plan": "enterprise"}, users=users) is True
    assert evaluate(query, [], AT, {"plan": "team"}, users=users) is False
