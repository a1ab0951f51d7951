"""Trait and audience keys derived from names: accents folded, invisible characters refused.

Segment makes the key as the name in snake_case; its app (JavaScript) folds accented letters to
their base letters first, as lodash's compounders do, so ``Ünïcödé`` is ``unicode``, not the
``n_c_d`` that dropping every non-ASCII letter gave. Zero-width and direction characters are
invisible in Segment's app and in a diff, and made a name that looks new map onto a key already
taken: they are refused at preview, on ``name``.
"""

from __future__ import annotations

from typing import Any

import pytest

from segment_unify.emulator.ids import snake_case
from segment_unify.provider.keys import segment_key
from segment_unify.provider.resources.computed_trait import ComputedTrait

QUERY = {"type": "USERS", "query": "event('Flex - Engagement Initiated').count()"}


def _check(name: str) -> tuple[dict[str, Any], list[Any]]:
    props = {
        k: v
        for k, v in ComputedTrait.build_props(
            "trait", space_id="spa_1", name=name, definition=QUERY
        ).items()
        if v is not None
    }
    result = ComputedTrait._segment_provider.check({}, props)
    return dict(result.inputs), list(result.failures or [])


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ünïcödé", "unicode"),
        ("Données clients", "donnees_clients"),
        ("Total Calls (30d)", "total_calls_30d"),
        ("Canal préféré", "canal_prefere"),
    ],
)
def test_keys_fold_accents_like_segment_and_the_emulator_agrees(name: str, key: str) -> None:
    assert segment_key(name) == key
    assert snake_case(name) == key


@pytest.mark.parametrize(
    "name",
    ["Total\u200binbounds", "Total inbounds\u200f", "\u202eTotal inbounds", "Total\u2060inbounds"],
)
def test_a_name_with_invisible_characters_is_refused_at_check(name: str) -> None:
    _, failures = _check(name)
    assert [f.property for f in failures] == ["name"]
    assert "invisible" in failures[0].reason


def test_a_name_of_another_script_with_no_key_is_refused_at_check() -> None:
    _, failures = _check("源")
    assert [f.property for f in failures] == ["name"]
