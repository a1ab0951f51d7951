"""Fuzzing every resource's ``check``: no input makes it raise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segment_unify.provider.resources._resource import SegmentResource
from tests.resources.check_fuzz import RESOURCES, check_answers, props_strategy


def test_every_exported_resource_is_fuzzed() -> None:
    assert len(RESOURCES) == 12


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_check_answers_any_input_with_inputs_or_failures(cls: type[SegmentResource]) -> None:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(olds=st.one_of(st.just({}), props_strategy(cls)), news=props_strategy(cls))
    def run(olds: dict[str, Any], news: dict[str, Any]) -> None:
        check_answers(cls, olds, news)

    run()
