"""Doctor's report as one self-contained HTML page: a picture of the pipeline (inline SVG), each
stage coloured by its checks and showing its counts, then every check. The page is
``doctor_page.html`` filled by ``string.Template``; every value is HTML-escaped."""

from __future__ import annotations

from html import escape
from importlib import resources
from string import Template

from segment_unify.cli.doctor_report import STAGES, Report

FILL = {"PASS": "#1f8f4e", "WARN": "#c98a00", "FAIL": "#c62f2f", None: "#8a93a3"}
BOX_W, BOX_H = 210, 100
# Stage -> the box's top-left corner: events on the first row, the warehouse's way on the
# second, Profiles Sync under the space.
LAYOUT: dict[str, tuple[int, int]] = {
    "sources": (20, 40),
    "space": (290, 40),
    "traits": (560, 40),
    "warehouse": (20, 200),
    "reverse-etl": (290, 200),
    "segment-profiles": (560, 200),
    "profile": (830, 200),
    "profiles-sync": (830, 40),
}
ARROWS = [
    ("sources", "space"),
    ("space", "traits"),
    ("warehouse", "reverse-etl"),
    ("reverse-etl", "segment-profiles"),
    ("segment-profiles", "profile"),
    ("space", "profiles-sync"),
    ("profile", "space"),
]


def _arrow(a: str, b: str) -> str:
    (ax, ay), (bx, by) = LAYOUT[a], LAYOUT[b]
    if ay == by:  # same row: right edge to left edge (or over the top when not adjacent)
        if bx > ax and bx - ax <= 280:
            x1, y1, x2, y2 = ax + BOX_W, ay + BOX_H // 2, bx, by + BOX_H // 2
            return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="flow"/>'
        x1, x2, y = ax + BOX_W // 2, bx + BOX_W // 2, ay
        return (
            f'<path d="M{x1},{y} C{x1},{y - 30} {x2},{y - 30} {x2},{y}" class="flow" fill="none"/>'
        )
    # The profiles feed the space back (one row up): from the top of one box to the other.
    x1, y1 = ax + BOX_W // 2, ay
    x2, y2 = bx + BOX_W, by + BOX_H
    points = f"M{x1},{y1} L{x1},{y2 + 30} L{x2 + 10},{y2 + 30} L{x2 - 10},{y2}"
    return f'<path d="{points}" class="flow" fill="none"/>'


def _box(report: Report, stage: str) -> str:
    x, y = LAYOUT[stage]
    status = report.stage_status(stage)
    counts = report.stage_counts(stage)
    shown = [f"{k} {v}" for k, v in sorted(counts.items())] or ["no counts"]
    # Two counts a line, two lines: the box's width holds about 30 characters.
    lines = [", ".join(shown[i : i + 2]) for i in range(0, min(len(shown), 4), 2)]
    checks = [c for c in report.checks if c.stage == stage]
    tally = f"{len(checks)} checks" if checks else "not checked"
    return (
        f'<g class="stage" data-stage="{stage}" data-status="{status or "NONE"}">'
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="10" '
        f'fill="{FILL[status]}"/>'
        f'<text x="{x + 12}" y="{y + 24}" class="name">{escape(STAGES[stage])}</text>'
        f'<text x="{x + 12}" y="{y + 46}" class="detail">{escape(status or "—")} · '
        f"{escape(tally)}</text>"
        + "".join(
            f'<text x="{x + 12}" y="{y + 68 + 18 * n}" class="detail">{escape(line[:34])}</text>'
            for n, line in enumerate(lines)
        )
        + "</g>"
    )


def pipeline_svg(report: Report) -> str:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1060 320" role="img" '
        'aria-label="the pipeline, each stage coloured by its checks">',
        "<defs><marker id='head' markerWidth='10' markerHeight='8' refX='9' refY='4' "
        "orient='auto'><path d='M0,0 L10,4 L0,8 z' fill='#5b6475'/></marker></defs>",
        "<style>.flow{stroke:#5b6475;stroke-width:2;marker-end:url(#head)}"
        ".name{font:600 15px system-ui,sans-serif;fill:#fff}"
        ".detail{font:12px system-ui,sans-serif;fill:#fff}</style>",
        *(_arrow(a, b) for a, b in ARROWS),
        *(_box(report, stage) for stage in LAYOUT),
        "</svg>",
    ]
    return "\n".join(parts)


def _row(report: Report, index: int) -> str:
    check = report.checks[index]
    todo = " ".join(p for p in (check.action, f"[{check.where}]" if check.where else "") if p)
    return (
        f'<tr id="check-{index}" data-check="{escape(check.id)}">'
        f'<td class="status"><span class="{check.status}">{check.status}</span></td>'
        f"<td>{escape(STAGES.get(check.stage, check.stage))}</td>"
        f"<td>{escape(check.title)}</td><td>{escape(check.seen)}</td>"
        f'<td class="todo">{escape(todo)}</td></tr>'
    )


def as_html(report: Report) -> str:
    page = resources.files("segment_unify.cli").joinpath("doctor_page.html").read_text("utf-8")
    summary = report.summary()
    return Template(page).substitute(
        space=escape(report.space),
        space_id=escape(report.space_id or "not found"),
        workspace=escape(report.workspace or "?"),
        checked_at=escape(report.checked_at),
        window_hours=report.window_hours,
        verdict="FAIL" if report.failed else "PASS",
        summary=escape(
            f"{summary['PASS']} passed, {summary['WARN']} warnings, {summary['FAIL']} failed"
        ),
        svg=pipeline_svg(report),
        rows="\n".join(_row(report, i) for i in range(len(report.checks))),
    )
