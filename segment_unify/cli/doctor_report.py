"""What ``segment-unify doctor`` found: checks, stages, and the JSON form (schema version 1).

The JSON schema is documented in ``docs/doctor.md`` and kept stable: fields are only added,
never renamed or removed, within a schema version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["PASS", "WARN", "FAIL"]
SCHEMA_VERSION = 1

# The pipeline's stages, in the setup guide's order (the HTML picture draws them).
STAGES: dict[str, str] = {
    "access": "Access",
    "sources": "Sources",
    "space": "Unify space",
    "warehouse": "Warehouse",
    "reverse-etl": "Reverse ETL",
    "segment-profiles": "Segment Profiles",
    "traits": "Traits and audiences",
    "profiles-sync": "Profiles Sync",
    "profile": "Profiles",
    "app-steps": "Steps in Segment's app",
}
_RANK: dict[str, int] = {"PASS": 0, "WARN": 1, "FAIL": 2}


@dataclass
class Check:
    """One thing doctor looked at: what was seen, and, unless it passed, what to do where."""

    id: str
    stage: str
    title: str
    status: Status
    seen: str
    action: str = ""
    where: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stage": self.stage,
            "title": self.title,
            "status": self.status,
            "seen": self.seen,
            "action": self.action,
            "where": self.where,
            "counts": dict(self.counts),
        }


def worst(statuses: list[Status]) -> Status | None:
    found: Status | None = None
    for status in statuses:
        if found is None or _RANK[status] > _RANK[found]:
            found = status
    return found


@dataclass
class Report:
    workspace: str
    space: str
    space_id: str
    checked_at: str
    window_hours: int
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(check.status == "FAIL" for check in self.checks)

    def stage_status(self, stage: str) -> Status | None:
        return worst([c.status for c in self.checks if c.stage == stage])

    def stage_counts(self, stage: str) -> dict[str, int]:
        total: dict[str, int] = {}
        for check in self.checks:
            if check.stage == stage:
                for key, value in check.counts.items():
                    total[key] = total.get(key, 0) + value
        return total

    def summary(self) -> dict[str, int]:
        return {s: sum(1 for c in self.checks if c.status == s) for s in ("PASS", "WARN", "FAIL")}

    def as_json(self) -> dict[str, Any]:
        return {
            "schemaVersion": SCHEMA_VERSION,
            "workspace": self.workspace,
            "space": {"slug": self.space, "id": self.space_id},
            "checkedAt": self.checked_at,
            "windowHours": self.window_hours,
            "status": "FAIL" if self.failed else "PASS",
            "summary": self.summary(),
            "stages": [
                {
                    "id": stage,
                    "title": title,
                    "status": self.stage_status(stage),
                    "counts": self.stage_counts(stage),
                }
                for stage, title in STAGES.items()
            ],
            "checks": [check.as_json() for check in self.checks],
        }
