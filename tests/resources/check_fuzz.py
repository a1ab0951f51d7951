"""Property: whatever a program passes, ``check`` answers with inputs or CheckFailures.

Shared by the test suite (a few hundred examples per resource) and the benchmark run (a
thousand or more); values are what the engine can send: JSON-like data, nested, plus the
engine's marker for values unknown at preview.
"""

from __future__ import annotations

from typing import Any

import pulumi.dynamic as dyn
from hypothesis import strategies as st

from segment_unify.provider import resources
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._values import UNKNOWN

RESOURCES: list[type[SegmentResource]] = [
    cls
    for name in resources.__all__
    if isinstance(cls := getattr(resources, name), type) and issubclass(cls, SegmentResource)
]

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.sampled_from(["", " ", "javascript", "USERS", "event('x').count()", "1h", UNKNOWN])
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=10,
)


def props_strategy(cls: type[SegmentResource]) -> st.SearchStrategy[dict[str, Any]]:
    fields = list(cls._segment_provider.inputs_model.model_fields)
    keys = st.sampled_from([*fields, "autoname_base", "autonamed", "not_a_field"])
    return st.dictionaries(keys, _values, max_size=len(fields) + 2)


def check_answers(cls: type[SegmentResource], olds: dict[str, Any], news: dict[str, Any]) -> None:
    """Raise AssertionError if ``check`` does anything but answer."""
    result = cls._segment_provider.check(dict(olds), dict(news))
    assert isinstance(result, dyn.CheckResult)
    assert isinstance(result.inputs, dict)
    for failure in result.failures:
        assert isinstance(failure, dyn.CheckFailure)
        assert isinstance(failure.property, str)
        assert isinstance(failure.reason, str) and failure.reason
