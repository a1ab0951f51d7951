"""The query-language guide (docs/query-language.md) runs as written: its Python blocks, in
order, as one program under Pulumi's mocks; each block followed by a ``text`` block prints
exactly that; the six Flex traits it writes out are the package's; its audience reads the
traits by resource and so waits for them."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

from segment_unify.components.flex_traits import FLEX_TRAITS
from segment_unify.components.unified_profiles_config import query_of
from tests.program.harness import run_program

PAGE = Path(__file__).resolve().parents[2] / "docs" / "query-language.md"


def blocks() -> list[tuple[str, str | None]]:
    """Each Python block, and the ``text`` block right after it, if any."""
    text = PAGE.read_text()
    found = re.findall(r"```python\n(.*?)```\n(?:\n```text\n(.*?)```)?", text, flags=re.S)
    return [(code, printed or None) for code, printed in found]


def test_the_guide_has_worked_examples_with_their_output() -> None:
    assert len(blocks()) >= 5
    assert sum(1 for _, printed in blocks() if printed) >= 3


def test_the_guide_runs_as_written_and_prints_what_it_shows() -> None:
    namespace: dict[str, Any] = {}
    shown: list[tuple[str, str]] = []

    def program() -> None:
        for code, printed in blocks():
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(PAGE), "exec"), namespace)
            if printed is not None:
                shown.append((out.getvalue(), printed))

    run = run_program(program)

    assert shown and all(got == want for got, want in shown), shown
    traits = run.of_kind("ComputedTrait")
    queries = sorted(str(r.inputs["definition"]["query"]) for r in traits)
    assert queries == sorted(query_of(spec.definition) for spec in FLEX_TRAITS)
    names = sorted(str(r.inputs["name"]) for r in traits)
    assert names == sorted(spec.name for spec in FLEX_TRAITS)
    audience = run.one("Audience")
    by_name = {r.name: r.urn for r in traits}
    assert {by_name["total-inbounds"], by_name["last-sentiment"]} <= set(audience.dependencies)
    # The keys come from the traits' outputs (here the mocks'; the real ones under the CLI in
    # tests/e2e/test_audience_reads_trait.py), resolved before the audience registers.
    query = str(audience.inputs["definition"]["query"])
    assert re.fullmatch(r"trait\('[\w-]+'\) >= 3 AND trait\('[\w-]+'\) = 'negative'", query), query
    assert "pending_trait" not in query
