"""Policies on how much a definition asks of Segment: window lengths and expression count.

- ``time-window-maximum``: ``within``, ``between`` and ``expires_after`` windows reach back at
  most a configured number of days (365 by default). Segment keeps about three years of event
  history; a window much longer than a year is usually "ever" written as a number, which is
  better said by leaving the window out.
- ``expression-count-limit``: at most 50 primary expressions (extractor calls such as
  ``event()``, ``trait()``, ``property()``), Segment's limit per definition, or a lower
  configured budget.

Not checked: the relative-date comparators (``within_last(n days)``...), which compare a trait's
date rather than select events.
"""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from segment_unify.policies.options import Option, config_schema, read_int
from segment_unify.policies.queries import parsed_query
from segment_unify.policies.resources import describe
from segment_unify.query import (
    MAX_PRIMARY_EXPRESSIONS,
    primary_expression_count,
    windows,
)

__all__ = ["POLICIES"]

MAX_WINDOW_DAYS = Option(
    name="maxWindowDays",
    description="The longest time window (within, between, expires_after) a definition may use.",
    default=365,
    schema={"type": "integer", "minimum": 1},
)


def validate_windows(args: ResourceValidationArgs, report: ReportViolation) -> None:
    query = parsed_query(args.resource_type, args.props)
    if query is None:
        return
    maximum = read_int(args.get_config(), MAX_WINDOW_DAYS)
    subject = describe(args.resource_type, args.name)
    for window in windows(query):
        if window.days > maximum:
            report(
                f'{subject} looks back {window.length} over "{window.source}" events '
                f"({window.kind}), more than the maximum of {maximum} days; shorten the "
                "window, or leave it out to use all of the history Segment keeps.",
                None,
            )


MAX_EXPRESSIONS = Option(
    name="maxPrimaryExpressions",
    description=(
        "The most primary expressions (event(), trait(), property() ... calls) a definition "
        f"may use; Segment allows at most {MAX_PRIMARY_EXPRESSIONS}."
    ),
    default=MAX_PRIMARY_EXPRESSIONS,
    schema={"type": "integer", "minimum": 1, "maximum": MAX_PRIMARY_EXPRESSIONS},
)


def validate_expression_count(args: ResourceValidationArgs, report: ReportViolation) -> None:
    query = parsed_query(args.resource_type, args.props)
    if query is None:
        return
    maximum = min(read_int(args.get_config(), MAX_EXPRESSIONS), MAX_PRIMARY_EXPRESSIONS)
    count = primary_expression_count(query)
    if count > maximum:
        subject = describe(args.resource_type, args.name)
        report(
            f"{subject} has {count} primary expressions in its definition, more than the "
            f"limit of {maximum}; split it into smaller computed traits or audiences and "
            "refer to them with trait('<key>').",
            None,
        )


POLICIES = [
    ResourceValidationPolicy(
        name="time-window-maximum",
        description="Checks that the time windows of definitions stay within a maximum length.",
        validate=validate_windows,
        config_schema=config_schema(MAX_WINDOW_DAYS),
    ),
    ResourceValidationPolicy(
        name="expression-count-limit",
        description="Checks that definitions stay within Segment's limit on primary expressions.",
        validate=validate_expression_count,
        config_schema=config_schema(MAX_EXPRESSIONS),
    ),
]
