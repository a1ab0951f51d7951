"""Policies on trait keys: their form, and that no two resources of a stack share one.

Segment makes the key of a computed trait or audience from its name (``Total Inbounds`` ->
``total_inbounds``); other queries and destinations refer to the key (``trait('<key>')``).
A prediction names its key (``trait_key``).

- ``trait-key-snake-case``: the key is snake_case starting with a letter (configurable pattern).
- ``trait-keys-unique`` (a stack policy): computed traits, audiences and predictions of the stack
  have distinct keys. Segment rejects a second one within a space; across spaces a shared key
  makes ``trait('<key>')`` ambiguous to whoever reads the program, so the whole stack is checked.

The ``key`` input (declared by the program, or filled in from the name by the provider's check)
wins over the one derived here from the name. Not checked: keys of traits made outside this
stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from segment_unify.policies.options import Option, config_schema, read_str
from segment_unify.policies.resources import (
    AUDIENCE,
    COMPUTED_TRAIT,
    PREDICTION,
    describe,
    kind_of,
    lookup,
    trait_key,
)

__all__ = ["POLICIES", "key_of"]

KEY_PATTERN = Option(
    name="keyPattern",
    description="A regular expression every trait key must match.",
    default=r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
    schema={"type": "string", "minLength": 1},
)


def key_of(resource_type: str, props: Mapping[str, Any]) -> tuple[str, str] | None:
    """The trait key a resource writes, and where it comes from (``name`` or ``trait_key``);
    None for other resources and keys not known yet."""
    kind = kind_of(resource_type)
    if kind == PREDICTION:
        key = lookup(props, "trait_key")
        return (key, "trait_key") if isinstance(key, str) and key else None
    if kind not in (COMPUTED_TRAIT, AUDIENCE):
        return None
    key = lookup(props, "key")
    name = lookup(props, "name")
    derived = trait_key(name) if isinstance(name, str) else ""
    if isinstance(key, str) and key:
        # The provider fills ``key`` in from the name; a key that is the name's came from it.
        return key, "name" if key == derived else "key"
    return (derived, "name") if derived else None


def validate_snake_case(args: ResourceValidationArgs, report: ReportViolation) -> None:
    found = key_of(args.resource_type, args.props)
    if found is None:
        return
    key, origin = found
    pattern = read_str(args.get_config(), KEY_PATTERN)
    if re.search(pattern, key):
        return
    subject = describe(args.resource_type, args.name)
    if origin == "name":
        name = lookup(args.props, "name")
        what = f'is named "{name}", which Segment turns into the key "{key}"'
        fix = "rename it so that its key is snake_case and starts with a letter"
    else:
        what = f'writes the trait key "{key}"'
        fix = "use a snake_case key that starts with a letter"
    report(
        f"{subject} {what}; trait keys must match {pattern}, so {fix} "
        "(for example total_inbounds_30d).",
        None,
    )


def validate_unique_keys(args: StackValidationArgs, report: ReportViolation) -> None:
    holders: dict[str, list[PolicyResource]] = {}
    for resource in args.resources:
        found = key_of(resource.resource_type, resource.props)
        if found is not None:
            holders.setdefault(found[0], []).append(resource)
    for key, resources in holders.items():
        # The engine's resource order is not the program's: name the same holder every time.
        first, *others = sorted(resources, key=lambda r: (r.name, r.urn))
        for resource in others:
            subject = describe(resource.resource_type, resource.name)
            report(
                f'{subject} has the trait key "{key}", as does '
                f"{describe(first.resource_type, first.name, start=False)} in this stack; "
                "rename one of them so that each key means one trait.",
                resource.urn,
            )


POLICIES = [
    ResourceValidationPolicy(
        name="trait-key-snake-case",
        description="Checks that the trait keys of computed traits, audiences and predictions "
        "are snake_case.",
        validate=validate_snake_case,
        config_schema=config_schema(KEY_PATTERN),
    ),
    StackValidationPolicy(
        name="trait-keys-unique",
        description="Checks that no two computed traits, audiences or predictions of the stack "
        "share a trait key.",
        validate=validate_unique_keys,
    ),
]
