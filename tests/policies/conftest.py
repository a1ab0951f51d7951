from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.policies.analyzer import Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Iterator[Analyzer]:
    served = Analyzer()
    yield served
    served.close()


@pytest.fixture
def default_config(analyzer: Analyzer) -> Analyzer:
    """The analyzer with no ``--policy-pack-config`` given: every policy at its defaults."""
    analyzer.configure({})
    return analyzer
