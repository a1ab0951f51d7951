"""``segment-unify doctor``: after ``up``, does data flow through the setup?

Reads (``doctor_read``), then checks in the setup guide's order (``doctor_checks_*``), into a
``Report`` that ``doctor_render`` shows as a table, JSON or an HTML page. Read-only: GETs, and
Segment's audience preview (computed, never stored) only when no ``--user`` is given.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from segment_unify.cli import (
    doctor_checks_delivery as delivery,
)
from segment_unify.cli import (
    doctor_checks_flow as flow,
)
from segment_unify.cli import (
    doctor_checks_space as space,
)
from segment_unify.cli.doctor_read import WINDOW_HOURS, Facts, Reader, now
from segment_unify.cli.doctor_report import Check, Report
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.profile_client import ProfileClient


class StackOutputsError(Exception):
    """``pulumi stack output`` could not be read; the message says what to do."""


def stack_outputs(pulumi: Path | None, stack: str, cwd: Path) -> dict[str, Any]:
    """The stack's outputs, secrets shown (the Profile API token): kept in memory only."""
    if pulumi is None:
        raise StackOutputsError(
            "--stack needs the Pulumi CLI: none on PATH (make pulumi-cli, or Pulumi's installer)"
        )
    done = subprocess.run(
        [str(pulumi), "stack", "output", "--json", "--show-secrets", "--stack", stack],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise StackOutputsError(
            f"`pulumi stack output --json --stack {stack}` in {cwd} failed: "
            f"{done.stderr.strip()[-500:]}"
        )
    found: dict[str, Any] = json.loads(done.stdout or "{}")
    return found


# Stack outputs that are secrets: read for the token only, never kept with the facts.
SECRET_OUTPUTS = ("profileApiToken",)


def public_outputs(outputs: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if outputs is None:
        return None
    return {k: v for k, v in outputs.items() if k not in SECRET_OUTPUTS}


def diagnose(
    client: SegmentClient,
    profiles: ProfileClient | None,
    space_slug: str,
    *,
    user: str | None = None,
    outputs: Mapping[str, Any] | None = None,
) -> Report:
    facts = Facts(now=now(), stack_outputs=public_outputs(outputs))
    Reader(client, profiles, facts).read(space_slug, user)
    checks: list[Check] = list(flow.access(facts, client.base_url, space_slug))
    if facts.workspace is not None and facts.space is not None:
        checks += flow.sources(facts)
        checks += flow.space_intake(facts)
        checks += delivery.warehouse(facts)
        checks += delivery.reverse_etl(facts)
        checks += delivery.segment_profiles(facts)
        checks += space.traits(facts)
        checks += space.profiles_sync(facts)
        checks += space.profile(facts)
        checks += space.app_steps(facts, checks)
        checks += space.stack_ids(facts)
        checks += _unread(facts)
    return Report(
        workspace=str((facts.workspace or {}).get("slug") or ""),
        space=space_slug,
        space_id=str((facts.space or {}).get("id") or ""),
        checked_at=facts.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        window_hours=WINDOW_HOURS,
        checks=checks,
    )


# Reads whose failure no other check reports (the others name their own).
_OWN_REPORTS = ("workspace", "profile-token", "profile", "syncs:", "delivery:", "preview")


def _unread(facts: Facts) -> list[Check]:
    return [
        Check(
            f"read:{name}",
            "access",
            f"Read {name}",
            "FAIL",
            error,
            "give the token read access to it, or retry if Segment was unavailable",
            "SEGMENT_PUBLIC_API_TOKEN's access",
        )
        for name, error in facts.errors.items()
        if not name.startswith(_OWN_REPORTS)
    ]
