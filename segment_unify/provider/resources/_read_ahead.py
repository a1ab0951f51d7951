"""What a space's later resources check against, listed in the background once it is adopted.

Computed traits and audiences check that Segment has seen the events they read; predictions
check that their trait is listed. Both are reads of the space that a stack's resources make
one after another at the end of its dependency chain, each a round trip on the critical path.
When a ``UnifySpace`` is adopted (created in Pulumi's terms), ``read_ahead`` starts both
listings in daemon threads (the events' listing then starts listing the properties of the
newest of them, which the traits' property checks read: ``_event_properties``); the checks wait
for a listing still under way and use what it found. Only what was found is trusted: an event
or trait missing from a listing is asked about again, since it may have appeared since (the
caller does that). A seen event stays seen; a
listed trait serves one create, since a prediction can be removed in the app.

A failed listing is only logged: the check lists again and reports any error then. Nothing here
is used by refresh, which must read the current state. What is found is kept per endpoint and
workspace: each client's ``session.ahead`` (``provider.read_ahead_store``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

log = logging.getLogger("segment_unify.resources")

# The event types whose messages carry properties (ListEvents' EventType).
PROPERTY_EVENT_TYPES = frozenset({"TRACK", "PAGE", "SCREEN"})


def list_seen_events(client: SegmentClient, space_id: str) -> set[str]:
    """The events Segment reports seen in the space (a call), remembered for the process."""
    events = client.paginate("ListEvents", f"/spaces/{space_id}/events", "events")
    seen = {str(event.get("name")) for event in events}
    ahead = client.session.ahead
    with ahead.lock:
        ahead.seen_events.setdefault(space_id, set()).update(seen)
    return seen


def _events_and_their_properties(client: SegmentClient, space_id: str) -> None:
    from segment_unify.provider.resources._event_properties import prefetch_seen

    events = list(client.paginate("ListEvents", f"/spaces/{space_id}/events", "events"))
    ahead = client.session.ahead
    with ahead.lock:
        ahead.seen_events.setdefault(space_id, set()).update(
            str(event.get("name")) for event in events
        )
    # Identify, group and alias calls carry traits, not event properties.
    carrying = [str(e.get("name")) for e in events if e.get("type") in PROPERTY_EVENT_TYPES]
    prefetch_seen(client, space_id, carrying)


def _list_traits(client: SegmentClient, space_id: str) -> None:
    traits = client.paginate("ListTraits", f"/spaces/{space_id}/traits", "traits")
    by_key = {str(trait.get("trait")): dict(trait) for trait in traits}
    ahead = client.session.ahead
    with ahead.lock:
        ahead.listed_traits[space_id] = by_key


def read_ahead(client: SegmentClient, space_id: str) -> None:
    """Start listing the space's seen events and traits, each once per session."""
    ahead = client.session.ahead
    listings: list[tuple[str, Callable[[SegmentClient, str], Any]]] = [
        ("events", _events_and_their_properties),
        ("traits", _list_traits),
    ]
    for what, listing in listings:
        with ahead.lock:
            if (what, space_id) in ahead.pending:
                continue
            thread = threading.Thread(
                target=_quietly,
                args=(listing, client, space_id, what),
                name=f"segment-{what}",
                daemon=True,
            )
            ahead.pending[(what, space_id)] = thread
        thread.start()


def _quietly(
    listing: Callable[[SegmentClient, str], Any], client: SegmentClient, space_id: str, what: str
) -> None:
    try:
        listing(client, space_id)
    except Exception as exc:  # an early start only: the check lists again and reports errors
        log.debug("listing the %s of space %s ahead of time failed: %s", what, space_id, exc)


def known_events(client: SegmentClient, space_id: str, names: Iterable[str]) -> bool:
    """Whether every one of ``names`` is among the events already found seen in the space."""
    ahead = client.session.ahead
    ahead.settled("events", space_id)
    with ahead.lock:
        seen = ahead.seen_events.get(space_id, set())
        return all(name in seen for name in names)


def listed_trait(client: SegmentClient, space_id: str, trait_key: str) -> dict[str, Any] | None:
    """The trait ``trait_key`` as listed when the space was adopted, if it was listed.

    Each listed trait answers once: a trait can be removed in the app while the process lives
    (a long-lived engine, or a refresh that found it gone), so a second create of the same
    prediction asks Segment again."""
    ahead = client.session.ahead
    ahead.settled("traits", space_id)
    with ahead.lock:
        return ahead.listed_traits.get(space_id, {}).pop(trait_key, None)
