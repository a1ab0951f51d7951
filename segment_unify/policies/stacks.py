"""Which stack a resource is deployed to, and whether that stack counts as production.

The CLI starts a policy pack with ``PULUMI_PROJECT``, ``PULUMI_STACK`` and ``PULUMI_DRY_RUN`` in
its environment, and pulumi_policy configures the Pulumi runtime from them before each
``Analyze``, so ``pulumi.get_stack()`` names the stack being deployed. Without that environment
(the analyzer driven directly, as the tests do) the stack is the one named in the resource's URN
(``urn:pulumi:<stack>::<project>::<type>::<name>``), which the engine fills in the same way.
"""

from __future__ import annotations

import os
import re

import pulumi

from segment_unify.policies.options import Option

__all__ = ["DEFAULT_PRODUCTION_PATTERN", "PRODUCTION_STACKS", "is_production", "stack_name"]

DEFAULT_PRODUCTION_PATTERN = r"^(prod|production)(-.*)?$"

PRODUCTION_STACKS = Option(
    name="productionStackPattern",
    description=(
        "A regular expression matched against the stack name; matching stacks are held to "
        "production rules."
    ),
    default=DEFAULT_PRODUCTION_PATTERN,
    schema={"type": "string", "minLength": 1},
)


def stack_name(urn: str) -> str | None:
    """The stack being deployed: the CLI's, else the one in ``urn``, else None."""
    if os.environ.get("PULUMI_STACK"):
        configured = pulumi.get_stack()
        if configured:
            return configured
    prefix = "urn:pulumi:"
    if urn.startswith(prefix) and "::" in urn:
        return urn[len(prefix) :].split("::", 1)[0] or None
    return None


def is_production(urn: str, pattern: str) -> tuple[bool, str | None]:
    """Whether the stack matches ``pattern``, and the stack's name (for messages)."""
    stack = stack_name(urn)
    return (stack is not None and re.search(pattern, stack) is not None), stack
