"""What a Unify space already has, read when the program runs (preview and up alike).

A fresh space has seen no Flex events and holds no predictions until someone makes them in
Segment's app, and Segment refuses a computed trait whose events it has not seen. So that the
first ``up`` of ``UnifiedProfilesStack`` on such a space succeeds, the component reads, before
it declares traits, predictions and audiences, what the space has, through the Public API
operations Segment publishes for it: ``GET /spaces`` (the space by slug),
``GET /spaces/{id}/events`` (events seen) and ``GET /spaces/{id}/traits`` (traits, predictions
included). Like a data source, this read runs at ``preview`` too, from the program's process
with the stack's ``segment:*`` config (or the provider's environment variables); it writes
nothing. Its requests carry ``READ_AGENT`` in their User-Agent.

The read runs in a worker thread while the program registers everything else, so it adds no
round trip before the space and the stages after it start. When it cannot be made (no token
configured, as under Pulumi's mocks; the space not made yet; Segment unreachable), the space's
state is unknown and the component declares everything, so each resource fails as it would
alone, naming the step to take.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi


@dataclass(frozen=True)
class SpaceReadiness:
    """What the space has; ``known`` is False when it could not be read (``reason`` says why)."""

    known: bool
    reason: str = ""
    space_id: str | None = None
    events: frozenset[str] = field(default_factory=frozenset)
    traits: frozenset[str] = field(default_factory=frozenset)

    def has_events(self, names: set[str] | frozenset[str]) -> bool:
        return not self.known or set(names) <= self.events

    def missing_events(self, names: set[str] | frozenset[str]) -> list[str]:
        return [] if not self.known else sorted(set(names) - self.events)

    def has_trait(self, key: str) -> bool:
        return not self.known or key in self.traits

    def events_missing_for(self, query: str) -> list[str]:
        """The events ``query`` reads that the space has not seen (none when unknown, or when
        the query is invalid: the resource's check reports that)."""
        try:
            return self.missing_events(set(_events(query)))
        except Exception:
            return []

    def audience_lacks(self, query: str, made_keys: set[str]) -> tuple[list[str], list[str]]:
        """What an audience's query reads that the space lacks: the events not seen, and the
        traits neither listed nor made by this stack (``made_keys``)."""
        if not self.known:
            return [], []
        try:
            events, traits = set(_events(query)), _traits(query)
        except Exception:  # an invalid query is the resource's check to report
            return [], []
        lacking = [k for k in sorted(traits) if k not in made_keys and not self.has_trait(k)]
        return self.missing_events(events), lacking

    def lacks_for_audience(self, query: str, made_keys: set[str]) -> list[str]:
        """``audience_lacks`` as reasons to print."""
        events, traits = self.audience_lacks(query, made_keys)
        return [f"the space has seen {e!r}" for e in events] + [
            f"trait {key!r} exists" for key in traits
        ]


def _events(query: str) -> list[str]:
    from segment_unify.query import events_used, validate

    return sorted(events_used(validate(query)))


def _traits(query: str) -> set[str]:
    from segment_unify.query import validate
    from segment_unify.query.analysis import traits_used

    return traits_used(validate(query))


UNKNOWN = SpaceReadiness(known=False, reason="not read")
# Marks the component's read in Segment's logs (and the benchmarks' count of what a preview
# costs the provider apart from it).
READ_AGENT = "(stack component: space read)"


def _segment_config() -> Mapping[str, str]:
    config = pulumi.Config("segment")
    values = {
        "segment:token": config.get("token"),
        "segment:endpoint": config.get("endpoint"),
        "segment:profileEndpoint": config.get("profileEndpoint"),
    }
    return {key: value for key, value in values.items() if value}


def read_space(space_slug: str, config: Mapping[str, str] | None = None) -> SpaceReadiness:
    """Read the space ``space_slug``: its id, the events it has seen, its traits' keys."""
    from segment_unify.provider import config as provider_config
    from segment_unify.provider.client import USER_AGENT, SegmentClient
    from segment_unify.provider.errors import SegmentError
    from segment_unify.provider.resources._concurrent import concurrently

    try:
        settings = provider_config.resolve(config=config)
        settings.require_token()
    except Exception as exc:  # no token: nothing to read with (Pulumi's mocks, unit tests)
        return SpaceReadiness(known=False, reason=str(exc))
    try:
        agent = f"{USER_AGENT} {READ_AGENT}"
        with SegmentClient.from_settings(settings, user_agent=agent) as client:
            spaces = client.paginate("ListSpaces", "/spaces", "spaces")
            space_id = next((str(s["id"]) for s in spaces if s.get("slug") == space_slug), None)
            if space_id is None:
                return SpaceReadiness(known=False, reason=f"space {space_slug!r} not found")
            events, traits = concurrently(
                lambda: list(client.paginate("ListEvents", f"/spaces/{space_id}/events", "events")),
                lambda: list(client.paginate("ListTraits", f"/spaces/{space_id}/traits", "traits")),
            )
            return SpaceReadiness(
                known=True,
                space_id=space_id,
                events=frozenset(str(e.get("name")) for e in events),
                traits=frozenset(str(t.get("trait")) for t in traits),
            )
    except SegmentError as exc:
        return SpaceReadiness(known=False, reason=str(exc))


def read_space_async(space_slug: str) -> pulumi.Output[SpaceReadiness]:
    """``read_space`` in a worker thread, as an Output the component declares from."""
    import asyncio

    config = dict(_segment_config())
    loop = asyncio.get_event_loop()
    future = loop.run_in_executor(None, read_space, space_slug, config)
    return pulumi.Output.from_input(future)
