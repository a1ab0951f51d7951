"""The event properties a query reads, checked against those Segment has seen on each event.

Computed traits and audiences read properties by name (``property('direction')``), and names
are case-sensitive: Twilio's Flex events may carry ``Direction`` where Segment's guide writes
``direction``, and a trait reading the wrong one stays empty without any error. Before such an
object is made (or its definition changed), each event it reads is asked
``GET /spaces/{id}/events/{event}/properties`` (ListPropertiesFromEvent, with sample values),
and the create fails naming the properties Segment has seen on that event, with the closest as
"did you mean". A value compared with ``=``, ``!=``, ``one_of`` or ``none_of`` that is not among
the property's sample values while a close one is (``inbound`` where Segment saw ``Inbound``)
fails the same way. Trait references (``trait('x')``) must name a trait the space lists
(``GET /spaces/{id}/traits``: custom, computed, SQL traits and audiences profiles carry; a
computed trait or audience made but not yet computed is found in its own list).

Not checked: an event Segment lists no properties for (nothing to compare with), values with no
close sample (samples are a few recent values, not all), ``context(...)`` paths, and
``property(parent: ...)`` of nested chains.

Round trips: what a space's events carry only grows, so names found are remembered in the
session's listings ahead (``Session.ahead``); a name not found is asked again. When a space is
adopted (its create, in an ``up``: a preview creates nothing), the properties of its newest seen
events are listed in the background (``prefetch_seen``, after ``_read_ahead`` lists the events),
so the check at a trait's create usually finds them ready. ``check`` starts nothing: it runs at
previews too, and cannot tell one from an ``up``.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from segment_unify.provider.errors import SegmentResourceError
from segment_unify.provider.resources._concurrent import concurrently

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

log = logging.getLogger("segment_unify.resources")

SAMPLES = 100  # the most sample values Segment gives a property
# Events whose properties are listed ahead when a space is adopted (its newest seen).
PREFETCH_EVENTS = 10


# -- what a query reads ---------------------------------------------------------------------


@dataclass
class EventReads:
    """The properties one event's chain reads, and the literal values compared with them."""

    event: str
    properties: set[str] = field(default_factory=set)
    values: dict[str, set[str]] = field(default_factory=dict)


def _below(node: object) -> Iterator[object]:
    """Every node under ``node`` that belongs to its own chain (nested chains excluded)."""
    from segment_unify.query.nodes import Chain, Duration, Span

    if not dataclasses.is_dataclass(node) or isinstance(node, (Span, Duration)):
        return
    for item in dataclasses.fields(node):
        if item.name == "span":
            continue
        value = getattr(node, item.name)
        for child in value if isinstance(value, tuple) else (value,):
            if isinstance(child, Chain) or not dataclasses.is_dataclass(child):
                continue
            yield child
            yield from _below(child)


def query_reads(query: str) -> list[EventReads]:
    """Per event chain of a (valid) query, the property names and compared values it reads."""
    from segment_unify.query import validate
    from segment_unify.query.analysis import walk
    from segment_unify.query.nodes import (
        Chain,
        Comparator,
        Comparison,
        Event,
        Literal,
        Property,
    )

    compared = {Comparator.EQUALS, Comparator.DIFFERS, Comparator.ONE_OF, Comparator.NONE_OF}
    by_event: dict[str, EventReads] = {}
    for chain in (node for node in walk(validate(query)) if isinstance(node, Chain)):
        if not isinstance(chain.source, Event):
            continue
        reads = by_event.setdefault(chain.source.name, EventReads(chain.source.name))
        for node in _below(chain):
            if isinstance(node, Property) and not node.parent:
                reads.properties.add(node.name)
            if not isinstance(node, Comparison) or node.comparator not in compared:
                continue
            subject = node.subject
            if isinstance(subject, Property) and not subject.parent:
                literals = [a.value for a in node.arguments if isinstance(a, Literal)]
                values = reads.values.setdefault(subject.name, set())
                values.update(v for v in literals if isinstance(v, str))
    return list(by_event.values())


# -- what Segment has seen -----------------------------------------------------------------


def _pending_key(space_id: str, event: str) -> tuple[str, str]:
    """Its listing's key among the session's listings ahead (``ReadAhead.pending``)."""
    return (f"properties of {event}", space_id)


def list_properties(client: SegmentClient, space_id: str, event: str) -> dict[str, list[str]]:
    """Property name -> sample values of ``event`` in the space (a call), remembered."""
    path = f"/spaces/{space_id}/events/{quote(event, safe='')}/properties"
    params = {"includeSampleValues": "true", "samplesCount": SAMPLES}
    items = client.paginate("ListPropertiesFromEvent", path, "eventProperties", params=params)
    found = {str(item["name"]): [str(s) for s in item.get("samples") or []] for item in items}
    ahead = client.session.ahead
    with ahead.lock:
        seen = ahead.event_properties.setdefault((space_id, event), {})
        for name, samples in found.items():
            seen[name] = list(dict.fromkeys([*seen.get(name, []), *samples]))
        return dict(seen)


def prefetch_seen(client: SegmentClient, space_id: str, events: list[str]) -> None:
    """Start listing the properties of the space's most recently seen events (Segment lists
    events newest first), at most ``PREFETCH_EVENTS``: the space was just adopted, and the
    traits at the end of the stack's chain will read some of them."""
    for event in events[:PREFETCH_EVENTS]:
        _start(client, space_id, event)


def _start(client: SegmentClient, space_id: str, event: str) -> None:
    ahead = client.session.ahead
    key = _pending_key(space_id, event)
    with ahead.lock:
        if key in ahead.pending or (space_id, event) in ahead.event_properties:
            return
        thread = threading.Thread(
            target=_quietly, args=(client, space_id, event), name="segment-props", daemon=True
        )
        ahead.pending[key] = thread
    thread.start()


def _quietly(client: SegmentClient, space_id: str, event: str) -> None:
    try:
        list_properties(client, space_id, event)
    except Exception as exc:  # an early start only: the check lists again and reports errors
        log.debug("listing the properties of %r ahead of time failed: %s", event, exc)


def _properties(client: SegmentClient, space_id: str, reads: EventReads) -> dict[str, list[str]]:
    ahead = client.session.ahead
    ahead.settled(*_pending_key(space_id, reads.event))
    with ahead.lock:
        seen = dict(ahead.event_properties.get((space_id, reads.event), {}))
    if seen and reads.properties <= set(seen):
        return seen
    return list_properties(client, space_id, reads.event)


# -- the check --------------------------------------------------------------------------------


def did_you_mean(wanted: str, known: Iterable[str]) -> str | None:
    known = list(known)
    folded = [k for k in known if k.casefold() == wanted.casefold()]
    close = folded or difflib.get_close_matches(wanted, known, n=1, cutoff=0.75)
    return close[0] if close else None


def _problems(reads: EventReads, seen: dict[str, list[str]]) -> list[str]:
    if not seen:
        return []
    problems: list[str] = []
    listed = ", ".join(repr(name) for name in sorted(seen))
    for name in sorted(reads.properties - set(seen)):
        guess = did_you_mean(name, seen)
        hint = f" (did you mean {guess!r}?)" if guess else ""
        problems.append(
            f"property {name!r} of event {reads.event!r} has not been seen{hint}; Segment has "
            f"seen {listed} on it"
        )
    for name, values in sorted(reads.values.items()):
        samples = seen.get(name) or []
        for value in sorted(values - set(samples)):
            guess = did_you_mean(value, samples)
            if guess is not None:
                problems.append(
                    f"value {value!r} of property {name!r} of event {reads.event!r} is not "
                    f"among the values Segment has seen (did you mean {guess!r}?)"
                )
    return problems


def require_properties_seen(
    client: SegmentClient, kind: str, name: str, space_id: str, query: str
) -> None:
    """Fail, naming what Segment has seen, when the query reads properties (or values) its
    events do not carry."""
    reads = [r for r in query_reads(query) if r.properties]
    if not reads:
        return
    answers = concurrently(*(lambda r=r: _properties(client, space_id, r) for r in reads))
    problems = [p for r, seen in zip(reads, answers, strict=True) for p in _problems(r, seen)]
    if problems:
        raise SegmentResourceError(
            f"{kind} {name!r} in space {space_id!r} reads what Segment has not seen: "
            + "; ".join(problems)
            + ". Property names and values are case-sensitive; fix the definition (nothing "
            "was made or changed) and run `pulumi up` again."
        )


def require_traits_listed(
    client: SegmentClient, kind: str, name: str, space_id: str, query: str
) -> None:
    """Fail naming the traits ``trait('x')`` reads that the space neither lists (ListTraits:
    traits profiles carry) nor has made as a computed trait or audience."""
    from segment_unify.query import validate
    from segment_unify.query.analysis import traits_used

    wanted = traits_used(validate(query))
    if not wanted:
        return
    path = f"/spaces/{space_id}/traits"
    listed = {str(t.get("trait")) for t in client.paginate("ListTraits", path, "traits")}
    missing = sorted(wanted - listed - _computations_made(client, space_id, wanted - listed))
    if missing:
        hints = [f"{m!r}" + _hint(m, listed) for m in missing]
        raise SegmentResourceError(
            f"{kind} {name!r} reads traits space {space_id!r} does not have: "
            f"{', '.join(hints)} ({path} lists {len(listed)}). Make them first (a computed "
            "trait, an audience, or an identify call carrying the trait), or fix the key; "
            "nothing was made or changed."
        )


def _computations_made(client: SegmentClient, space_id: str, keys: set[str]) -> set[str]:
    """Which of ``keys`` are computed traits or audiences the space has made.

    ListTraits lists what profiles carry (its ``lastSeenAt``), so a trait made moments ago,
    in the same ``up``, is not there until Segment has computed it; Segment's app offers it
    to audiences all the same. Asked only for the keys ListTraits lacks (these lists are
    paced at 25 and 60 a minute)."""
    if not keys:
        return set()
    found: set[str] = set()
    for operation, collection, listed in (
        ("ListComputedTraits", "computed-traits", "computedTraits"),
        ("ListAudiences", "audiences", "audiences"),
    ):
        path = f"/spaces/{space_id}/{collection}"
        found |= {str(c.get("key")) for c in client.paginate(operation, path, listed)} & keys
        if found == keys:
            break
    return found


def _hint(key: str, listed: Iterable[str]) -> str:
    guess = did_you_mean(key, listed)
    return f" (did you mean {guess!r}?)" if guess else ""
