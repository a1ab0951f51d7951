"""The steps a stack leaves for later or for Segment's app, as the ``pendingSteps`` output.

Two kinds, in one list:

- what the component left out because the space cannot have it yet: a computed trait whose
  events Segment has not seen (Segment refuses it), a prediction not made in Segment's app, an
  audience that reads either; a later ``up`` makes each once the space has what it needs;
- what only Segment's app (or Twilio's Console) can do, in the order the setup takes them:
  connecting the stack's sources to the Unify space, identity rules, the Salesforce source's
  OAuth sign-in, the warehouse's first sync, connecting the space to Twilio. Segment's Public
  API shows none of them as done, so they are listed on every ``up``.

Each step is ``{what, why, where}``: ``where`` is the place in Segment's app (or what to do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class PendingStep:
    what: str
    why: str
    where: str

    def as_output(self) -> dict[str, str]:
        return asdict(self)


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


def salesforce_sign_in(source_name: str) -> PendingStep:
    return PendingStep(
        what=f"Sign in to Salesforce for source {source_name!r}",
        why="Salesforce loads nothing until someone signs in with OAuth, which only Segment's "
        "app can do (the Public API does not show whether it is done)",
        where="Segment app: Connections > Sources > the Salesforce source > Settings > Connect",
    )


FIRST_SYNC = PendingStep(
    what="Wait for the warehouse's first sync",
    why="Segment loads the Salesforce source into the warehouse on its sync schedule, the "
    "first time up to 24 hours after the connection; the Reverse ETL model reads nothing "
    "until then",
    where="Segment app: Connections > Destinations > the warehouse > Sync history (or Sync now)",
)

CONNECT_TWILIO = PendingStep(
    what="Connect the Unify space to Twilio",
    why="Only Twilio's Console makes the connection (workspace and space ids and slugs, the "
    "Profile API token: this stack's outputs)",
    where="Twilio Console: Unified Profiles > Use existing Segment Unify space",
)


def trait_waits_for_events(name: str, key: str, missing: Sequence[str]) -> PendingStep:
    events = ", ".join(repr(event) for event in missing)
    return PendingStep(
        what=f"Computed trait {name!r} ({key}): left out until the space has seen {events}",
        why="Segment makes computed traits only on events the space has received; the next "
        "`pulumi up` after they arrive makes it",
        where="Send the events through a source connected to the space (for Flex: complete one "
        "Flex interaction); Segment app: Unify > Unify settings > Debugger shows them",
    )


def prediction_not_made(kind: str, trait_key: str) -> PendingStep:
    label = {"churn": "Likelihood to Churn", "ltv": "Predicted LTV"}.get(kind, kind)
    return PendingStep(
        what=f"Prediction {label!r} ({trait_key}): not made in the space yet",
        why="Segment's Public API cannot make predictions; the next `pulumi up` after it is "
        "made adopts it",
        where=f"Segment app: Unify > Predictions > Create prediction > {label}",
    )


def audience_waits(name: str, reasons: Sequence[str]) -> PendingStep:
    return PendingStep(
        what=f"Audience {name!r}: left out until {'; '.join(reasons)}",
        why="Segment computes an audience only on events and traits the space has; the next "
        "`pulumi up` after they are there makes it",
        where="The steps above that make what it reads",
    )
