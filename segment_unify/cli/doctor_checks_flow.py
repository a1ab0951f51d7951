"""Doctor's checks of the way in: access, sources, the space's intake, the warehouse, Reverse ETL
and the Segment Profiles destination, in the setup guide's order. Pure functions of ``Facts``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from segment_unify.cli.doctor_read import Facts, Obj, display_name
from segment_unify.cli.doctor_report import Check
from segment_unify.cli.workspace import catalog_slug
from segment_unify.provider import catalog

FLEX_EVENT = "Flex - Engagement Initiated"
# Cloud sources that load objects into the warehouse rather than send events.
OBJECT_SOURCES = frozenset({"salesforce"})
NEVER = datetime.min.replace(tzinfo=timezone.utc)
TOKENS_PAGE = "Segment app: Settings > Workspace settings > Access Management > Tokens"


def retl_source_ids(facts: Facts) -> set[str]:
    ids = {str(m.get("sourceId")) for m in facts.models}
    ids |= {s["id"] for s in facts.sources if catalog_slug(s).endswith("-reverse-etl")}
    ids |= {s["id"] for s in facts.sources if (s.get("metadata") or {}).get("id") in _RETL_IDS}
    return ids


_RETL_IDS = {v for k, v in catalog.SOURCES.items() if k.endswith("-reverse-etl")}


def event_sources(facts: Facts) -> list[Obj]:
    """The sources that send events (not Reverse ETL's, not object cloud sources)."""
    skip = retl_source_ids(facts)
    return [
        s for s in facts.sources if s["id"] not in skip and catalog_slug(s) not in OBJECT_SOURCES
    ]


def object_sources(facts: Facts) -> list[Obj]:
    return [s for s in facts.sources if catalog_slug(s) in OBJECT_SOURCES]


def volume_by_source(facts: Facts) -> dict[str, dict[str, int]]:
    """Source id -> event name -> events in the window."""
    found: dict[str, dict[str, int]] = {}
    for item in facts.volume:
        source = str((item.get("source") or {}).get("id"))
        names = found.setdefault(source, {})
        name = str(item.get("eventName"))
        names[name] = names.get(name, 0) + int(item.get("total") or 0)
    return found


def access(facts: Facts, endpoint: str, slug: str) -> Iterator[Check]:
    if facts.workspace is None:
        yield Check(
            "public-api-token",
            "access",
            "Public API token",
            "FAIL",
            f"GetWorkspace at {endpoint} was refused: {facts.errors.get('workspace', '')}",
            "give a Public API token of this workspace (read access is enough)",
            f"SEGMENT_PUBLIC_API_TOKEN; {TOKENS_PAGE}",
        )
        return
    ws = facts.workspace
    yield Check(
        "public-api-token",
        "access",
        "Public API token",
        "PASS",
        f"workspace {ws.get('slug')!r} ({ws.get('id')}) at {endpoint}",
    )
    if facts.space is None:
        yield Check(
            "space",
            "access",
            "Unify space",
            "FAIL",
            f"no space {slug!r} (the workspace has: {', '.join(facts.space_slugs) or 'none'})",
            "give --space the slug of a space, or make the space",
            "Segment app: Unify > Spaces; --space",
        )
        return
    yield Check("space", "access", "Unify space", "PASS", f"{slug!r} ({facts.space['id']})")
    token_where = (
        "SEGMENT_PROFILE_API_TOKEN or the stack's profileApiToken; Segment app: Unify > "
        "Unify settings > API access"
    )
    if facts.profile_token == "works":
        yield Check(
            "profile-api-token",
            "access",
            "Profile API token",
            "PASS",
            f"the Profile API answers for space {facts.space['id']}",
        )
    elif facts.profile_token == "missing":
        yield Check(
            "profile-api-token",
            "access",
            "Profile API token",
            "WARN",
            "no Profile API token given: the Profile API and the sample profile were not checked",
            "set SEGMENT_PROFILE_API_TOKEN (or give --stack)",
            token_where,
        )
    else:
        refused = facts.profile_token == "refused"
        yield Check(
            "profile-api-token",
            "access",
            "Profile API token",
            "FAIL",
            (
                "the Profile API refused the token for this space (401): "
                if refused
                else "the Profile API could not be asked: "
            )
            + facts.errors.get("profile-token", ""),
            "generate a token in the space's API access settings and give it to doctor and to "
            "the stack (pulumi config set --secret profileApiToken)",
            token_where,
        )


def sources(facts: Facts) -> Iterator[Check]:
    volume = volume_by_source(facts)
    for source in event_sources(facts):
        events = volume.get(source["id"], {})
        total = sum(events.values())
        page = f"Segment app: Connections > Sources > {display_name(source)} > Debugger"
        if not source.get("enabled"):
            yield Check(
                f"source:{source['slug']}",
                "sources",
                f"Source {display_name(source)}",
                "FAIL",
                "the source is disabled: Segment drops what it is sent",
                "enable the source",
                f"Segment app: Connections > Sources > {display_name(source)} > Settings",
                {"events": total},
            )
        elif total == 0:
            yield Check(
                f"source:{source['slug']}",
                "sources",
                f"Source {display_name(source)}",
                "WARN",
                "enabled, no events in the last 24 hours (GetEventsVolumeFromWorkspace)",
                "send an event with the source's write key and look for it in the Debugger",
                page,
                {"events": 0},
            )
        else:
            yield Check(
                f"source:{source['slug']}",
                "sources",
                f"Source {display_name(source)}",
                "PASS",
                f"enabled, {total} events in the last 24 hours ({len(events)} kinds)",
                counts={"events": total},
            )


def space_intake(facts: Facts) -> Iterator[Check]:
    """Which sources the space hears: an event a source sent must be among the space's events,
    seen at least as late as the hour it was sent in (Segment lists no source-space links)."""
    seen = {str(e.get("name")): str(e.get("lastSeenAt") or "") for e in facts.space_events}
    seen_at = {name: _moment(text) for name, text in seen.items()}
    last_sent: dict[str, dict[str, datetime]] = {}
    for item in facts.volume:
        source_id = str((item.get("source") or {}).get("id"))
        times = (_moment(str(p["time"])) for p in item.get("series") or [] if p.get("count"))
        latest = max((t for t in times if t is not None), default=None)
        if latest is not None:
            last_sent.setdefault(source_id, {})[str(item.get("eventName"))] = latest
    for source in event_sources(facts):
        sent = last_sent.get(source["id"], {})
        if not sent:
            continue
        missing = sorted(name for name, at in sent.items() if (seen_at.get(name) or NEVER) < at)
        check_id, title = f"space-source:{source['slug']}", f"Space hears {display_name(source)}"
        if missing:
            yield Check(
                check_id,
                "space",
                title,
                "FAIL",
                f"the source sent {', '.join(missing)} but the space has not seen it: the source "
                "is not connected to the space",
                "connect the source to the space",
                "Segment app: Unify > Unify settings > Profile sources > Add source",
                {"unheard": len(missing)},
            )
        else:
            yield Check(
                check_id,
                "space",
                title,
                "PASS",
                f"the space has seen all {len(sent)} kinds of events the source sent",
                counts={"events": sum(volume_by_source(facts).get(source["id"], {}).values())},
            )
    yield _flex(facts, seen)


def _moment(text: str) -> datetime | None:
    # Compared as text, "13:00:00.934Z" sorts before the hour bucket "13:00:00Z" ("." < "Z").
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _flex(facts: Facts, seen: dict[str, str]) -> Check:
    sent = sum(by.get(FLEX_EVENT, 0) for by in volume_by_source(facts).values())
    where = "Twilio Console: Unified Profiles (connect the space); Flex: handle an interaction"
    if sent and FLEX_EVENT in seen:
        return Check(
            "flex-event",
            "space",
            f"Flex event {FLEX_EVENT!r}",
            "PASS",
            f"{sent} in the last 24 hours, last seen by the space at {seen[FLEX_EVENT]}",
            counts={"flex": sent},
        )
    what = (
        f"no {FLEX_EVENT!r} event in the last 24 hours"
        if not sent
        else f"{sent} {FLEX_EVENT!r} events were sent but the space has not seen one"
    )
    return Check(
        "flex-event",
        "space",
        f"Flex event {FLEX_EVENT!r}",
        "FAIL",
        what,
        "connect the space to Twilio, connect flex-unify-server-source to the space, then "
        "handle one Flex interaction",
        where,
        {"flex": sent},
    )
