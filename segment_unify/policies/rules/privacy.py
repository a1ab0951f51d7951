"""The policy that keeps personal data out of definitions.

``no-personal-data-in-definitions``: a computed trait or audience must not read an event
property, context field or trait whose name says it holds personal data (email, phone, address,
SSN...). Names are compared word by word after splitting camelCase and dotted paths, so
``phoneNumber``, ``customer_email`` and ``context.traits.email`` match ``phone`` or ``email``,
while ``emailed`` and ``telephone_queue`` do not. The term list and an allow-list of names are
configurable.

Not checked: the values a definition compares against (``= 'jane@example.com'``), and names that
hide what they hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pulumi_policy import ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from segment_unify.policies.options import Option, config_schema, read_strings
from segment_unify.policies.queries import parsed_query
from segment_unify.policies.resources import describe
from segment_unify.query.analysis import extractors
from segment_unify.query.nodes import Context, Property, Trait

__all__ = ["DEFAULT_PERSONAL_DATA", "POLICIES", "personal_term", "words"]

DEFAULT_PERSONAL_DATA = [
    "email",
    "phone",
    "mobile",
    "address",
    "street",
    "postal code",
    "zip code",
    "ssn",
    "social security",
    "passport",
    "date of birth",
    "birth date",
    "birthday",
    "credit card",
    "card number",
    "iban",
    "first name",
    "last name",
    "full name",
]

PERSONAL_DATA = Option(
    name="personalDataNames",
    description=(
        "Words that mark a property, context field or trait as personal data; a name "
        "matches when it contains the term's words in order (phone matches phoneNumber)."
    ),
    default=DEFAULT_PERSONAL_DATA,
    schema={"type": "array", "items": {"type": "string", "minLength": 1}},
)

ALLOWED = Option(
    name="allowedNames",
    description=(
        "Property, context or trait names allowed even though they match a personal-data "
        "term, written as in the query (e.g. email_opt_in)."
    ),
    default=[],
    schema={"type": "array", "items": {"type": "string"}},
)


def words(name: str) -> list[str]:
    """``context.traits.phoneNumber`` -> ``['context', 'traits', 'phone', 'number']``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [word for word in re.split(r"[^a-z0-9]+", spaced.lower()) if word]


def personal_term(name: str, terms: Iterable[str]) -> str | None:
    """The first of ``terms`` whose words appear, in order and together, in ``name``."""
    have = words(name)
    for term in terms:
        want = words(term)
        if want and any(have[i : i + len(want)] == want for i in range(len(have))):
            return term
    return None


def validate_personal_data(args: ResourceValidationArgs, report: ReportViolation) -> None:
    query = parsed_query(args.resource_type, args.props)
    if query is None:
        return
    config = args.get_config()
    terms = read_strings(config, PERSONAL_DATA)
    allowed = {name.lower() for name in read_strings(config, ALLOWED)}
    subject = describe(args.resource_type, args.name)
    seen: set[tuple[str, str]] = set()
    for node in extractors(query):
        if isinstance(node, Property):
            what, name = "property", node.name
        elif isinstance(node, Context):
            what, name = "context field", node.path
        elif isinstance(node, Trait):
            what, name = "trait", node.key
        else:
            continue
        term = personal_term(name, terms)
        if term is None or name.lower() in allowed or (what, name) in seen:
            continue
        seen.add((what, name))
        report(
            f'{subject} reads the {what} "{name}", which looks like personal data '
            f'("{term}"); build the definition on a non-personal field, or add "{name}" to '
            "allowedNames in this policy's config if it holds none.",
            None,
        )


POLICIES = [
    ResourceValidationPolicy(
        name="no-personal-data-in-definitions",
        description=(
            "Checks that computed-trait and audience definitions do not read personal data "
            "such as email, phone, address or SSN."
        ),
        validate=validate_personal_data,
        config_schema=config_schema(PERSONAL_DATA, ALLOWED),
    ),
]
