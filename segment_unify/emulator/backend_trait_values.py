"""Computed trait values and audience membership of a profile, from the events it received.

Values are evaluated when read (the Profile API's `traits`, the control plane's profiles),
with the query language's `evaluate()` over the profile's messages at the emulator's clock,
so they are current as events arrive, as definitions are made, changed or disabled, and as
time windows slide. A computed trait with no value (`None`) is absent from the profile; an
audience's key is `true` on its members and absent on others (Segment also writes `false` when
a member leaves; history is not kept here). A definition that needs what a user profile here
does not have (`entity`: no Data Graph; `ANY`/`ALL`: account audiences, previewed by
`backend_previews`) or that cannot be parsed gives no value. A computed trait's
own value wins over a trait of the same key sent in an identify, as in Segment, where the
computation writes it last. Computations that read others by key (`trait('total_inbounds')`)
are evaluated after them.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone
from typing import Any

from segment_unify.query.analysis import traits_used
from segment_unify.query.errors import QueryError
from segment_unify.query.evaluation import evaluate
from segment_unify.query.parsed import Query
from segment_unify.query.parser import parse

from .backend_tracking import TrackingMixin
from .catalog import JsonObject
from .records import (
    AudienceRecord,
    ComputedTraitRecord,
    ProfileRecord,
    SpaceRecord,
)


class TraitValuesMixin(TrackingMixin):
    def computed_values(
        self,
        space: SpaceRecord,
        profile: ProfileRecord,
        at: datetime | None = None,
        messages: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Key -> value of the space's enabled computed traits and audiences for ``profile``
        (``messages``: the profile's, when the caller has read them already)."""
        moment = at or datetime.now(timezone.utc)
        computations: list[ComputedTraitRecord | AudienceRecord] = [
            *self.store.list(ComputedTraitRecord, space.workspace_id, space.id),
            *self.store.list(AudienceRecord, space.workspace_id, space.id),
        ]
        enabled = [c for c in computations if c.enabled]
        if not enabled:
            return {}
        if messages is None:
            messages = self.profile_messages(space, profile)
        values: dict[str, Any] = {}
        for computation, query in _in_dependency_order(enabled):
            try:
                value = evaluate(query, messages, moment, profile.traits | values)
            except QueryError:
                continue
            if isinstance(computation, AudienceRecord):
                if value is True:
                    values[computation.key] = True
            elif value is not None:
                values[computation.key] = value
        return values

    def carried_computations(self, space: SpaceRecord) -> list[JsonObject]:
        """The space's computed traits and audiences some profile carries, as ListTraits lists
        them (``lastSeenAt``: the latest of the computation's change and the profile's).

        Segment's ListTraits is its space schema, the traits seen on profiles (TraitAlpha's
        ``lastSeenAt`` is required, "when the trait was last seen", with sample values), so a
        computation joins it once it has computed a value for a profile, not when it is made."""
        grouped = self.messages_by_profile(space)
        computations: list[Computation] = [
            *self.store.list(ComputedTraitRecord, space.workspace_id, space.id),
            *self.store.list(AudienceRecord, space.workspace_id, space.id),
        ]
        made = {c.key: c for c in computations}
        seen: dict[str, str] = {}
        for profile in self.store.list(ProfileRecord, space.workspace_id, space.id):
            messages = grouped.get(profile.segment_id, [])
            for key in self.computed_values(space, profile, messages=messages):
                if key in made:
                    latest = max(profile.updated_at, made[key].updated_at)
                    seen[key] = max(seen.get(key, ""), latest)
        return [
            {
                "trait": key,
                "type": "AUDIENCE" if isinstance(made[key], AudienceRecord) else "COMPUTED",
                "lastSeenAt": last_seen,
            }
            for key, last_seen in seen.items()
        ]

    # -- the control plane's profile explorer ----------------------------------------------
    def space_profiles(self, space_id: str, with_events: bool = False) -> list[JsonObject]:
        space = self._known_space(space_id)
        grouped = self.messages_by_profile(space)
        listed = []
        for p in self.store.list(ProfileRecord, space.workspace_id, space.id):
            messages = grouped.get(p.segment_id, [])
            row: JsonObject = {
                "segmentId": p.segment_id,
                "collection": p.collection,
                "externalIds": [{"type": e["type"], "id": e["id"]} for e in p.external_ids],
                "traits": p.traits | self.computed_values(space, p, messages=messages),
                "createdAt": p.created_at,
                "updatedAt": p.updated_at,
            }
            if with_events:
                row["events"] = messages
            listed.append(row)
        return listed


Computation = ComputedTraitRecord | AudienceRecord


@functools.lru_cache(maxsize=512)
def _parsed(query: str) -> Query:
    """A definition parsed once per text (trees are immutable), not once per profile read."""
    return parse(query)


def _in_dependency_order(computations: list[Computation]) -> list[tuple[Computation, Query]]:
    """Each computation with its parsed query, after those it reads with ``trait(key)``, so a
    trait or audience built on another one sees that one's current value. Unparseable
    definitions are left out; a cycle is evaluated in creation order (its members read the
    values of this round computed so far, as a batch computation would)."""
    parsed: dict[str, tuple[Computation, Query]] = {}
    for computation in computations:
        try:
            parsed[computation.key] = (
                computation,
                _parsed(str(computation.definition.get("query"))),
            )
        except QueryError:
            continue
    ordered: list[tuple[Computation, Query]] = []
    state: dict[str, str] = {}

    def visit(key: str) -> None:
        if state.get(key) is not None:
            return
        state[key] = "visiting"
        for used in sorted(traits_used(parsed[key][1])):
            if used in parsed and used != key:
                visit(used)
        state[key] = "done"
        ordered.append(parsed[key])

    for key in parsed:
        visit(key)
    return ordered
