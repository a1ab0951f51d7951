"""The steps a stack leaves for later or for Segment's app, as the ``pendingSteps`` output.

Two kinds, in one list:

- what the component left out because the space cannot have it yet: a computed trait whose
  events Segment has not seen (Segment refuses it), a prediction not made in Segment's app, an
  audience that reads either; a later ``up`` makes each once the space has what it needs;
- what only Segment's app (or Twilio's Console) can do. Segment's Public API shows none of
  them as done, so they are listed on every ``up``.

The list is in the order of Segment's guide for Twilio (unified-profiles/create-a-workspace):
its Step 1 sets the space's identity rules, its Step 2 connects the space to Twilio, before
any source or computed trait, and Flex customers connect the space to Flex and complete one
interaction before they create computed traits (Flex sends the space its events only then).
So: identity rules, connecting the space to Twilio, connecting the stack's sources to the space,
Salesforce's sign-in, the warehouse's first sync, then what the component left out.

Each step is ``{what, why, where, waitsFor}``: ``where`` is the place in Segment's app (or what
to do); ``waitsFor`` lists the ``what`` of each earlier step it waits for (empty if none), and
``where`` names them too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Flex's events in a Unify space (``Flex - Engagement Initiated``, ``... Completed``) come
# from the space's connection to Flex, not from a source the stack makes.
FLEX_EVENT_PREFIX = "Flex - "


@dataclass(frozen=True)
class PendingStep:
    what: str
    why: str
    where: str
    waits_for: tuple[str, ...] = ()

    def as_output(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "why": self.why,
            "where": self.where,
            "waitsFor": list(self.waits_for),
        }


def _after(steps: Sequence[PendingStep]) -> str:
    return "After " + " and ".join(repr(step.what) for step in steps) + " (above): "


def connect_sources(source_names: Sequence[str]) -> PendingStep:
    names = ", ".join(source_names) or "the sources whose events build profiles"
    return PendingStep(
        what=f"Connect the stack's sources to the Unify space: {names}",
        why="Segment's Public API cannot connect a source to a space; until it is connected, "
        "the space sees none of its events and builds no profiles from them",
        where="Segment app: Unify > Unify settings > Profile sources > Add source",
    )


IDENTITY_RULES = PendingStep(
    what="Review the space's identity resolution rules",
    why="Segment's Public API has no identity-resolution endpoint; Segment's default rules "
    "apply until they are changed",
    where="Segment app: Unify > Unify settings > Identity resolution",
)


def is_flex_event(name: str) -> bool:
    return name.startswith(FLEX_EVENT_PREFIX)


def salesforce_sign_in(source_name: str, environment: str = "production") -> PendingStep:
    return PendingStep(
        what=f"Sign in to Salesforce for source {source_name!r} ({environment})",
        why="Salesforce loads nothing until someone signs in with OAuth, which only Segment's "
        "app can do (the Public API does not show whether it is done); the sign-in goes to the "
        "Salesforce the source's `salesforce-environment` setting names, which this stack sets "
        f"to {environment!r}: it must be right before signing in",
        where="Segment app: Connections > Sources > the Salesforce source > Settings: check "
        f"that the Salesforce environment is {environment}, then Connect",
    )


def first_sync(sign_in: PendingStep) -> PendingStep:
    return PendingStep(
        what="Wait for the warehouse's first sync",
        why="Segment loads the Salesforce source into the warehouse on its sync schedule, the "
        "first time up to 24 hours after the connection; the Reverse ETL model reads nothing "
        "until then",
        where=_after([sign_in])
        + "Segment app: Connections > Destinations > the warehouse > Sync history (or Sync now)",
        waits_for=(sign_in.what,),
    )


CONNECT_TWILIO = PendingStep(
    what="Connect the Unify space to Twilio",
    why="Only Twilio's Console makes the connection (workspace and space ids and slugs, the "
    "Profile API token: this stack's outputs); Segment's guide takes it in its Step 2, before "
    "sources and computed traits, and Flex sends the space its events (the Flex traits read "
    "them) only once the space is connected to Flex and one interaction is completed",
    where="Twilio Console: Unified Profiles > Use existing Segment Unify space (Flex: Flex > "
    "Unified Profiles), with this stack's outputs; Flex customers then complete one Flex "
    "interaction",
)


def trait_waits_for_events(
    name: str, key: str, missing: Sequence[str], bringing: Sequence[PendingStep]
) -> PendingStep:
    """``bringing``: the steps after which the space receives the ``missing`` events."""
    events = ", ".join(repr(event) for event in missing)
    how = (
        "complete one Flex interaction, which sends the space these events"
        if all(is_flex_event(event) for event in missing)
        else "send the events through a source connected to the space"
    )
    return PendingStep(
        what=f"Computed trait {name!r} ({key}): left out until the space has seen {events}",
        why="Segment makes computed traits only on events the space has received; the next "
        "`pulumi up` after they arrive makes it",
        where=(_after(bringing) if bringing else "")
        + f"{how}; Segment app: Unify > Unify settings > Debugger shows them",
        waits_for=tuple(step.what for step in bringing),
    )


def prediction_not_made(kind: str, trait_key: str) -> PendingStep:
    label = {"churn": "Likelihood to Churn", "ltv": "Predicted LTV"}.get(kind, kind)
    return PendingStep(
        what=f"Prediction {label!r} ({trait_key}): not made in the space yet",
        why="Segment's Public API cannot make predictions; the next `pulumi up` after it is "
        "made adopts it",
        where=f"Segment app: Unify > Predictions > Create prediction > {label}",
    )


def audience_waits(
    name: str, reasons: Sequence[str], waiting_on: Sequence[PendingStep]
) -> PendingStep:
    """``waiting_on``: the listed steps that make what the audience reads."""
    return PendingStep(
        what=f"Audience {name!r}: left out until {'; '.join(reasons)}",
        why="Segment computes an audience only on events and traits the space has; the next "
        "`pulumi up` after they are there makes it",
        where=_after(waiting_on) + "the next `pulumi up` makes it"
        if waiting_on
        else "Make what it reads in the space (Segment's app), then run `pulumi up`",
        waits_for=tuple(step.what for step in waiting_on),
    )


def app_steps(
    source_names: Sequence[str], salesforce: tuple[str, str] | None, *, warehouse: bool
) -> list[PendingStep]:
    """Segment's app's steps in the guide's order; with Salesforce (its name and environment),
    its sign-in, and with a warehouse the first sync after it."""
    steps = [IDENTITY_RULES, CONNECT_TWILIO, connect_sources(source_names)]
    if salesforce is not None:
        sign_in = salesforce_sign_in(*salesforce)
        steps.append(sign_in)
        if warehouse:
            steps.append(first_sync(sign_in))
    return steps


def steps_bringing(events: Sequence[str], source_names: Sequence[str]) -> list[PendingStep]:
    """The listed steps after which the space receives ``events``: Flex's come through the
    space's connection to Flex, the rest through the sources connected to it."""
    steps = []
    if any(is_flex_event(event) for event in events):
        steps.append(CONNECT_TWILIO)
    if not all(is_flex_event(event) for event in events):
        steps.append(connect_sources(source_names))
    return steps
