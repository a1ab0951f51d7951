"""Run a Pulumi program under Pulumi's mocks and look at what the engine would see.

``segment_unify.localrun`` runs the program and records each registration (type, parent,
dependency URNs, ``protect``, secret inputs); here every dynamic resource is answered with its
inputs plus plausible values for what Segment computes (ids, write keys, workspace id and slug),
with no provider process and no Segment. ``ProgramRun`` adds the lookups the tests ask.

Not emulated: checks, diffs and Segment itself (the protocol and e2e tiers cover those).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pulumi.runtime import mocks

from segment_unify.localrun.program import Registration, RunResult, plain, run_with_mocks

__all__ = [
    "EXAMPLES",
    "ProgramRun",
    "Registration",
    "order_violations",
    "plain",
    "run_program",
    "stack_config",
]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
DYNAMIC = "pulumi-python:dynamic/segment:"
PROVIDER_KEY = "__provider"
AUTONAME_SUFFIX = "5f3a9c1"


class ProgramRun(RunResult):
    """A run's registrations, with the lookups the program tests ask of them."""

    def of_kind(self, kind: str) -> list[Registration]:
        return [r for r in self.registrations if r.kind == kind]

    def one(self, kind: str) -> Registration:
        found = self.of_kind(kind)
        assert len(found) == 1, f"expected one {kind}, got {[r.name for r in found]}"
        return found[0]

    def segment_objects(self) -> list[Registration]:
        """The resources that stand for objects in Segment (not the stack's identity, which
        lives in state only)."""
        return [r for r in self.registrations if r.custom and r.kind != "StackIdentity"]

    def kinds(self) -> set[str]:
        return {r.kind for r in self.segment_objects()}

    def by_urn(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.registrations}

    def ancestors(self, registration: Registration) -> set[str]:
        """Every URN ``registration`` waits for, directly or through others."""
        index = self.by_urn()
        seen: set[str] = set()
        todo = list(registration.dependencies)
        while todo:
            urn = todo.pop()
            if urn in seen:
                continue
            seen.add(urn)
            if urn in index:
                todo.extend(index[urn].dependencies)
        return seen


def _computed(kind: str, name: str, inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A Pulumi id and what Segment would add, by resource kind."""
    plain = f"{name}-id"
    if kind == "StackIdentity":
        return "5e1f00d5c0ffee42", {"identity": "5e1f00d5c0ffee42"}
    if kind == "UnifySpace":
        slug = str(inputs.get("slug"))
        return f"spa_{slug}", {
            "space_id": f"spa_{slug}",
            "name": slug.replace("-", " ").title(),
            "workspace_id": "ws_acme",
            "workspace_slug": "acme-contact-center",
            "write_key": f"wk_personas_{slug}",
        }
    if kind == "Source":
        # The slug as check would autoname it: the resource name and a random suffix.
        slug = inputs.get("slug") or f"{name}-{AUTONAME_SUFFIX}"
        return plain, {"slug": slug, "write_keys": [f"wk_{name}"], "workspace_id": "ws_acme"}
    if kind == "Warehouse":
        return plain, {"workspace_id": "ws_acme"}
    if kind == "DestinationSubscription":
        return f"dest/{plain}", {"subscription_id": plain}
    if kind == "ProfilesWarehouse":
        return f"space/{plain}", {"warehouse_id": plain, "workspace_id": "ws_acme"}
    if kind == "ComputedTrait":
        return f"space/{plain}", {"computed_trait_id": plain, "key": name, "status": "COMPUTING"}
    if kind == "Audience":
        return f"space/{plain}", {"audience_id": plain, "key": name, "status": "COMPUTING"}
    if kind == "Prediction":
        # Check fills in the UI's default key for the kind; the mock does what check would.
        defaults = {"churn": "likelihood_to_churn", "ltv": "predicted_ltv"}
        key = inputs.get("trait_key") or defaults.get(str(inputs.get("kind")))
        return f"space/{key}", {"trait_key": key, "trait_type": "PREDICTION"}
    return plain, {}


def _answer(args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
    """Inputs plus what Segment would add: no checks, no diffs, no Segment."""
    inputs = {k: v for k, v in args.inputs.items() if k != PROVIDER_KEY}
    id_, computed = _computed(args.typ.removeprefix(DYNAMIC), args.name, inputs)
    return id_, {**inputs, **computed}


def run_program(
    program: Path | Callable[[], None],
    *,
    config: Mapping[str, str] | None = None,
    secret_keys: list[str] | None = None,
    project: str = "project",
    stack: str = "dev",
) -> ProgramRun:
    """Run ``program`` (a ``__main__.py`` or a function) under mocks; outputs resolved."""
    run = run_with_mocks(
        program, _answer, config=config, secret_keys=secret_keys, project=project, stack=stack
    )
    return ProgramRun(run.outputs, run.secret_outputs, run.registrations)


def stack_config(project_dir: Path, stack: str) -> dict[str, str]:
    """A committed ``Pulumi.<stack>.yaml``'s config as the CLI hands it to the program.

    Objects and lists arrive as JSON text, scalars as strings (``true``, not ``True``).
    """
    document = yaml.safe_load((project_dir / f"Pulumi.{stack}.yaml").read_text())
    out: dict[str, str] = {}
    for key, value in (document.get("config") or {}).items():
        if isinstance(value, dict | list):
            out[key] = json.dumps(value)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


# The setup sequence of DESIGN.md / the component's docstring, as stages of resource kinds.
DOCUMENTED_ORDER: tuple[str, ...] = (
    "UnifySpace",
    "ProfileApiToken",
    "Source",
    "Warehouse",
    "WarehouseSourceConnection",
    "ReverseEtlSource",
    "ReverseEtlModel",
    "Destination",
    "DestinationSubscription",
    "ProfilesWarehouse",
    "ComputedTrait",
    "Prediction",
    "Audience",
)


def stage_of(registration: Registration) -> int | None:
    """Where a resource falls in the documented order (a Reverse ETL source is its own step)."""
    kind = registration.kind
    if kind == "Source" and str(registration.inputs.get("catalog_slug", "")).endswith(
        "-reverse-etl"
    ):
        kind = "ReverseEtlSource"
    return DOCUMENTED_ORDER.index(kind) if kind in DOCUMENTED_ORDER else None


def order_violations(run: ProgramRun) -> list[str]:
    """Each pair (earlier, later) where the later resource does not wait for the earlier one."""
    staged = [(stage_of(r), r) for r in run.segment_objects()]
    problems: list[str] = []
    for stage, later in staged:
        if stage is None:
            problems.append(f"{later.name}: {later.kind} is not in the documented order")
            continue
        waits_for = run.ancestors(later)
        problems += [
            f"{later.name} ({DOCUMENTED_ORDER[stage]}) does not wait for {earlier.name} "
            f"({DOCUMENTED_ORDER[earlier_stage]})"
            for earlier_stage, earlier in staged
            if earlier_stage is not None and earlier_stage < stage and earlier.urn not in waits_for
        ]
    return problems
