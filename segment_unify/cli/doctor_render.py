"""Doctor's report as a terminal table (one line per check, coloured on a terminal) or JSON."""

from __future__ import annotations

import json
import os
import shutil

from segment_unify.cli.doctor_report import Report

_COLOURS = {"PASS": "\033[32m", "WARN": "\033[33m", "FAIL": "\033[31m"}
_RESET = "\033[0m"
STAGE_WIDTH = 16  # the stage ids of the JSON: 'segment-profiles' is the longest
TITLE_WIDTH = 36


def as_json(report: Report) -> str:
    return json.dumps(report.as_json(), indent=2, sort_keys=False)


def use_colour(isatty: bool) -> bool:
    """Colour only on a terminal, and never where NO_COLOR is set (no-color.org)."""
    return isatty and not os.environ.get("NO_COLOR")


def as_table(report: Report, colour: bool = False) -> str:
    width = max(80, shutil.get_terminal_size((120, 24)).columns)
    lines = [
        f"segment-unify doctor: workspace {report.workspace or '?'}, space {report.space} "
        f"({report.space_id or 'not found'}), {report.checked_at}, last "
        f"{report.window_hours} hours",
        "",
    ]
    for check in report.checks:
        status = check.status
        shown = f"{_COLOURS[status]}{status}{_RESET}" if colour else status
        stage = check.stage
        title = check.title
        if len(title) > TITLE_WIDTH:
            title = title[: TITLE_WIDTH - 1] + "…"
        detail = check.seen
        if check.status != "PASS" and check.action:
            detail += f" → {check.action}" + (f" [{check.where}]" if check.where else "")
        room = width - STAGE_WIDTH - TITLE_WIDTH - 10
        if len(detail) > room > 20 and check.status == "PASS":
            detail = detail[: room - 1] + "…"
        lines.append(
            f"{shown}  {stage:<{STAGE_WIDTH}.{STAGE_WIDTH}}  {title:<{TITLE_WIDTH}}  {detail}"
        )
    summary = report.summary()
    lines += [
        "",
        f"{summary['PASS']} passed, {summary['WARN']} warnings, {summary['FAIL']} failed"
        + (" — exit 1" if report.failed else ""),
    ]
    return "\n".join(lines) + "\n"
