"""One benchmark figure (``Row``) and the markdown table they are printed in.

A row holds what was measured, the target it is held against and whether it met it. Rows that
only inform (a reference figure measured side by side with a target) have ``passed=None`` and
never fail a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HEADER = ("measurement", "measured", "target", "result", "notes")


@dataclass(frozen=True)
class Row:
    name: str
    measured: str
    target: str
    passed: bool | None
    notes: str = ""

    @property
    def result(self) -> str:
        if self.passed is None:
            return "info"
        return "pass" if self.passed else "FAIL"


def markdown(rows: Sequence[Row]) -> str:
    """The rows as one GitHub-flavoured markdown table."""
    lines = [_line(HEADER), _line(tuple("---" for _ in HEADER))]
    lines += [_line((r.name, r.measured, r.target, r.result, r.notes)) for r in rows]
    return "\n".join(lines)


def _line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def failed(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r.passed is False]
