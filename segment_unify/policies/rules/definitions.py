"""Policies on what a definition computes: that it is valid, and how most-frequent traits count.

- ``definition-valid``: the query parses, produces what the resource needs (a value for a
  computed trait, true/false for an audience) and uses only what its definition type allows
  (``ANY``/``ALL`` for ``ACCOUNTS``, ``entity()`` for ``LINKED``), within Segment's session-window
  bounds. A definition over Segment's primary-expression limit is left to
  ``expression-count-limit``: the parser's checks stop at the first problem.
- ``most-frequent-minimum-frequency``: ``mode(property, n)`` with ``n`` at least 2 by default,
  so that one event does not decide a "most frequent" value.

Not checked: that the events, properties and traits a query names exist (Segment knows).
"""

from __future__ import annotations

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from segment_unify.policies.options import Option, config_schema, read_int
from segment_unify.policies.queries import definition_of, parsed, parsed_query
from segment_unify.policies.resources import describe
from segment_unify.query import (
    MAX_PRIMARY_EXPRESSIONS,
    QueryError,
    ResultKind,
    primary_expression_count,
    reducers,
    validate,
)

__all__ = ["POLICIES"]

_NEEDS = {
    ResultKind.SCALAR: (
        "a computed trait needs a value: end the query in a reducer such as count() or "
        "last(property('...')) instead of a comparison"
    ),
    ResultKind.BOOLEAN: (
        "an audience needs true or false: compare the value, for example "
        "event('Order Completed').count() >= 1"
    ),
}
_PRODUCES = {
    ResultKind.SCALAR: "a value",
    ResultKind.LIST: "a list of values",
    ResultKind.BOOLEAN: "true or false",
}


def validate_definition(args: ResourceValidationArgs, report: ReportViolation) -> None:
    definition = definition_of(args.resource_type, args.props)
    if definition is None:
        return
    subject = describe(args.resource_type, args.name)
    result = parsed(definition.text)
    if isinstance(result, QueryError):
        report(
            f"{subject} has a definition that does not parse ({result}); correct the query text.",
            None,
        )
        return
    accepted = {definition.expect}
    if definition.expect is ResultKind.SCALAR:
        accepted.add(ResultKind.LIST)  # the "unique list" trait
    if result.kind not in accepted:
        report(
            f"{subject} has a definition that produces {_PRODUCES[result.kind]}, but "
            f"{_NEEDS[definition.expect]}.",
            None,
        )
        return
    if primary_expression_count(result) > MAX_PRIMARY_EXPRESSIONS:
        return
    try:
        validate(result, definition_type=definition.definition_type)
    except QueryError as exc:
        report(f"{subject} has a definition Segment would reject: {exc}.", None)


MINIMUM_FREQUENCY = Option(
    name="minimumFrequency",
    description=(
        "The smallest minimum frequency a most-frequent reducer (mode(property, n)) may use."
    ),
    default=2,
    schema={"type": "integer", "minimum": 1},
)


def validate_minimum_frequency(args: ResourceValidationArgs, report: ReportViolation) -> None:
    query = parsed_query(args.resource_type, args.props)
    if query is None:
        return
    minimum = read_int(args.get_config(), MINIMUM_FREQUENCY)
    subject = describe(args.resource_type, args.name)
    for use in reducers(query):
        if use.function != "mode" or use.min_frequency is None:
            continue
        if use.min_frequency < minimum:
            report(
                f'{subject} takes the most frequent "{use.property}" of "{use.source}" '
                f"with a minimum frequency of {use.min_frequency}; set it to at least "
                f"{minimum} (mode(property('{use.property}'), {minimum})) so that a single "
                "event does not decide the value.",
                None,
            )


POLICIES = [
    ResourceValidationPolicy(
        name="definition-valid",
        description=(
            "Checks that computed-trait and audience definitions parse and produce what the "
            "resource needs: a value for a computed trait, true or false for an audience."
        ),
        validate=validate_definition,
    ),
    ResourceValidationPolicy(
        name="most-frequent-minimum-frequency",
        description=(
            "Checks that most-frequent (mode) reducers count a value only once it has been "
            "seen a minimum number of times."
        ),
        validate=validate_minimum_frequency,
        config_schema=config_schema(MINIMUM_FREQUENCY),
    ),
]
