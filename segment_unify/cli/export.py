"""``segment-unify export``: a workspace's Unify setup written out as a Pulumi project.

Writes ``Pulumi.yaml``, ``__main__.py``, ``requirements.txt``, ``Pulumi.<stack>.yaml`` (the
non-secret config: the endpoints) and ``EXPORT.md`` (what was exported, what was not and why,
and the ``pulumi config set --secret`` lines for what Segment masks). Nothing secret is written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from segment_unify import __version__
from segment_unify.cli.plan import plan_program
from segment_unify.cli.planner import Plan
from segment_unify.cli.render import program_text
from segment_unify.cli.workspace import Progress, Workspace, read_workspace, stderr_progress
from segment_unify.provider.client import SegmentClient

HEADER = (
    "Made by `segment-unify export` from the workspace's objects: the first `pulumi up`\n"
    "adopts every object (adopt_id) and creates none. Secrets: see EXPORT.md.\n"
)


def export(
    client: SegmentClient,
    spaces: Sequence[str],
    out: Path,
    *,
    stack: str = "dev",
    project: str = "segment-workspace",
    profile_endpoint: str | None = None,
    protect: bool = False,
    progress: Progress = stderr_progress,
) -> Plan:
    """Read the workspace (GETs only) and write the project into ``out``."""
    workspace = read_workspace(client, spaces, progress)
    plan = plan_program(workspace)
    plan.program.protect = protect
    write_project(
        plan,
        workspace,
        out,
        stack=stack,
        project=project,
        endpoint=client.base_url,
        profile_endpoint=profile_endpoint,
    )
    progress(
        f"wrote {out}: {sum(plan.counts.values())} objects, {len(plan.secrets)} secrets to set"
    )
    return plan


def write_project(
    plan: Plan,
    workspace: Workspace,
    out: Path,
    *,
    stack: str,
    project: str,
    endpoint: str,
    profile_endpoint: str | None,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    pulumi_yaml = {
        "name": project,
        "description": "A Segment workspace's Unify setup, exported by segment-unify",
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}},
    }
    (out / "Pulumi.yaml").write_text(yaml.safe_dump(pulumi_yaml, sort_keys=False))
    (out / "__main__.py").write_text(program_text(plan.program, HEADER))
    _ruff_format(out / "__main__.py")
    (out / "requirements.txt").write_text(f"pulumi-segment-unify=={__version__}\n")
    config = {"segment:endpoint": endpoint}
    if profile_endpoint:
        config["segment:profileEndpoint"] = profile_endpoint
    (out / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}, sort_keys=False))
    (out / "EXPORT.md").write_text(report(plan, workspace, project=project, stack=stack))


def _ruff_format(program: Path) -> None:
    """Lay out the program with ruff where it is installed (a dev dependency): the writer lays
    out everything as ruff would except long query-builder chains, which ruff splits."""
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff is not None:
        subprocess.run(
            [ruff, "format", "--isolated", "--quiet", str(program)], check=False, timeout=60
        )


def report(plan: Plan, workspace: Workspace, *, project: str, stack: str) -> str:
    lines = [
        f"# Export of {', '.join(repr(s.space['slug']) for s in workspace.spaces)}",
        "",
        f"Project `{project}`, stack `{stack}`. Every object below is declared with `adopt_id`",
        "(or found by lookup: the space, its Profile API token, predictions), so the first",
        "`pulumi up` adopts them and creates nothing.",
        "",
        "## Exported",
        "",
        "| kind | objects |",
        "| --- | --- |",
        *(f"| {kind} | {n} |" for kind, n in plan.counts.items()),
        "",
        "## Not exported, or not declared",
        "",
    ]
    skipped = list(plan.skipped) + [
        (
            f"source {s.get('name')!r} ({s.get('slug')})",
            "Segment makes it for a Unify space and manages it; the program refers to it through "
            "`UnifySpace.write_key`",
        )
        for s in workspace.space_sources
    ]
    lines += [f"- {what}: {why}." for what, why in skipped] or [
        "Nothing: every object read is declared."
    ]
    lines += [
        "",
        "## Secrets to set",
        "",
        "Segment masks these and never returns them, so they are not in any file. Set them",
        "before the first `up` (the Profile API token is required; a warehouse's left unset is",
        "left as Segment holds it):",
        "",
        "```sh",
        "pulumi config set --secret segment:token <Public API token>",
        *(f"pulumi config set --secret {s.key} <{s.what}>" for s in plan.secrets),
        "```",
        "",
    ]
    return "\n".join(lines)
