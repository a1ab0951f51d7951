"""Bad input: every resource's ``check`` fuzzed with hypothesis, 1,000 examples each or more.

The strategies and the property are the test suite's (``tests/resources/check_fuzz.py``): any
JSON-like input the engine can send, nested, with the marker of values unknown at preview, as
news and (half the time) olds; ``check`` must answer with inputs or ``CheckFailure``s and never
raise. Here the example count is raised and the database off, so every run draws afresh.
"""

from __future__ import annotations

import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.table import Row
from segment_unify.provider.resources._resource import SegmentResource
from tests.resources.check_fuzz import RESOURCES, check_answers, props_strategy

EXAMPLES = 1000
QUICK_EXAMPLES = 25


def fuzz(cls: type[SegmentResource], examples: int) -> tuple[int, str | None]:
    """Examples tried, and the first failure (``None`` when ``check`` always answered)."""
    tried = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(olds=st.one_of(st.just({}), props_strategy(cls)), news=props_strategy(cls))
    def property_(olds: dict[str, Any], news: dict[str, Any]) -> None:
        nonlocal tried
        tried += 1
        check_answers(cls, olds, news)

    try:
        property_()
    except Exception as exc:  # the falsifying example, as hypothesis reports it
        return tried, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    return tried, None


def run(quick: bool = False) -> list[Row]:
    examples = QUICK_EXAMPLES if quick else EXAMPLES
    started = time.monotonic()
    results = {cls.__name__: fuzz(cls, examples) for cls in RESOURCES}
    elapsed = time.monotonic() - started
    failures = {name: error for name, (_, error) in results.items() if error}
    fewest = min(tried for tried, _ in results.values())
    total = sum(tried for tried, _ in results.values())
    return [
        Row(
            f"Bad input: `check` of every resource ({len(results)}) under hypothesis",
            f"{len(failures)} resources raised; fewest examples {fewest}, {total} in all",
            f"0 raised; >= {examples} examples each",
            not failures and fewest >= examples,
            "; ".join(f"{n}: {e}" for n, e in failures.items())
            or f"every input got inputs or CheckFailures ({elapsed:.0f} s)",
        )
    ]
