"""Policies for production stacks: traits keep their history, data is protected from deletion.

A stack is production when its name matches ``productionStackPattern`` (by default ``prod``,
``production``, or either followed by ``-`` and more, such as ``prod-eu``); other stacks are not
checked. How the stack name is found: :mod:`segment_unify.policies.stacks`.

- ``production-traits-include-historical-data``: computed traits set
  ``include_historical_data``, so a trait recreated in production is computed over the events
  already received rather than starting from zero. Segment's default is on, but it is Segment's
  to change; production states it.
- ``production-data-resources-protected``: resources that hold data (the Unify space, computed
  traits, warehouses, Profiles Sync warehouses; configurable) have ``protect=True``, so a
  ``pulumi destroy`` or a replacement cannot delete them.
"""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from segment_unify.policies.options import Option, config_schema, read_str, read_strings
from segment_unify.policies.resources import (
    COMPUTED_TRAIT,
    PROFILES_WAREHOUSE,
    UNIFY_SPACE,
    UNKNOWN,
    WAREHOUSE,
    describe,
    kind_of,
    lookup,
)
from segment_unify.policies.stacks import PRODUCTION_STACKS, is_production

__all__ = ["DATA_HOLDERS", "POLICIES"]

DATA_HOLDERS = [UNIFY_SPACE, COMPUTED_TRAIT, WAREHOUSE, PROFILES_WAREHOUSE]


def validate_historical_data(args: ResourceValidationArgs, report: ReportViolation) -> None:
    if kind_of(args.resource_type) != COMPUTED_TRAIT:
        return
    production, stack = is_production(args.urn, read_str(args.get_config(), PRODUCTION_STACKS))
    if not production:
        return
    value = lookup(args.props, "options", "include_historical_data")
    if value is True or value is UNKNOWN:
        return
    subject = describe(args.resource_type, args.name)
    if value is False:
        state = "turns include_historical_data off"
    else:
        state = "does not set include_historical_data"
    report(
        f'{subject} {state} in the production stack "{stack}"; set '
        "options=TraitOptions(include_historical_data=True) so that the trait is computed "
        "over the events already received.",
        None,
    )


PROTECTED_TYPES = Option(
    name="protectedTypes",
    description=(
        "Our resource types (UnifySpace, ComputedTrait, Warehouse, ...) that hold data and "
        "must be protected in production stacks."
    ),
    default=DATA_HOLDERS,
    schema={"type": "array", "items": {"type": "string"}},
)


def validate_protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    config = args.get_config()
    if kind_of(args.resource_type) not in read_strings(config, PROTECTED_TYPES):
        return
    production, stack = is_production(args.urn, read_str(config, PRODUCTION_STACKS))
    if not production or args.opts.protect:
        return
    subject = describe(args.resource_type, args.name)
    report(
        f'{subject} holds data but is not protected in the production stack "{stack}"; '
        "pass opts=pulumi.ResourceOptions(protect=True) so that a destroy or a replacement "
        "cannot delete it.",
        None,
    )


POLICIES = [
    ResourceValidationPolicy(
        name="production-traits-include-historical-data",
        description="Checks that computed traits in production stacks include historical data.",
        validate=validate_historical_data,
        config_schema=config_schema(PRODUCTION_STACKS),
    ),
    ResourceValidationPolicy(
        name="production-data-resources-protected",
        description=(
            "Checks that resources holding data (Unify spaces, computed traits, warehouses) "
            "are protected in production stacks."
        ),
        validate=validate_protected,
        config_schema=config_schema(PRODUCTION_STACKS, PROTECTED_TYPES),
    ),
]
