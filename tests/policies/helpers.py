"""Programs run as a preview, small programs of one resource each, and reading what one
policy reported about them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from pulumi.runtime import mocks

from segment_unify.localrun.program import run_with_mocks
from segment_unify.provider import Audience, ComputedTrait, TraitOptions
from tests.policies.analyzer import Analyzer, Registered, analyzed

SPACE_ID = "spa_main"
INBOUNDS = "event('Flex - Engagement Initiated').where(property('direction') = 'Inbound').count()"
CALLED_AGAIN = "event('Flex - Engagement Initiated').within(7 days).count() >= 2"


def _inputs_back(args: mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
    # A preview: what Segment would compute is not known, so only the inputs come back.
    return f"{args.name}-id", dict(args.inputs)


def run_program(
    program: Callable[[], object], *, stack: str = "dev", project: str = "unify"
) -> list[Registered]:
    """Run ``program`` as a preview of ``project``/``stack``: its resources, as analyzed."""
    run = run_with_mocks(program, _inputs_back, project=project, stack=stack, preview=True)
    return [analyzed(r) for r in run.registrations if r.custom]


def only(program: Callable[[], object], *, stack: str = "dev") -> Registered:
    """The single Segment resource ``program`` registers (beside the stack's identity, which
    every program has), as the analyzer receives it."""
    (resource,) = [r for r in run_program(program, stack=stack) if r.name != "segment-unify-stack"]
    return resource


def trait(
    resource_name: str = "total-inbounds",
    *,
    name: str = "Total Inbounds",
    query: str = INBOUNDS,
    definition_type: str = "USERS",
    options: TraitOptions | None = None,
    protect: bool = False,
    stack: str = "dev",
) -> Registered:
    return only(
        lambda: ComputedTrait(
            resource_name,
            space_id=SPACE_ID,
            name=name,
            definition={"type": definition_type, "query": query},
            options=options or TraitOptions(include_historical_data=True),
            opts=pulumi.ResourceOptions(protect=protect),
        ),
        stack=stack,
    )


def audience(
    resource_name: str = "called-again",
    *,
    name: str = "Called Again",
    query: str = CALLED_AGAIN,
    audience_type: str = "USERS",
    stack: str = "dev",
) -> Registered:
    return only(
        lambda: Audience(
            resource_name,
            space_id=SPACE_ID,
            name=name,
            audience_type=audience_type,
            definition=query,
        ),
        stack=stack,
    )


def reported(analyzer: Analyzer, policy: str, resource: Registered) -> list[str]:
    """The sentences ``policy`` reported about ``resource``."""
    return [d.detail for d in analyzer.analyze(resource) if d.policy == policy]
