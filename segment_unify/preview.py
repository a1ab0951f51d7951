"""Preview a computed trait or audience definition before Segment sees it.

Segment's API previews audiences (`CreateAudiencePreview`, which the emulator serves) but not
computed traits, and its app asks you to "verify that your trait contains at least one member".
This does that check locally, with the query language's ``evaluate()``, over either a space's
profiles in the emulator (their events and traits, computed ones included) or a file of sample
events (a JSON array or JSON lines of Segment messages, one profile per ``userId``, else
``anonymousId``: no identity resolution).

A profile is a member when the definition gives it a value: an audience's ``True``; a computed
trait's value other than ``None``, ``0``, ``""``, ``[]`` (a count of nothing says nothing about
the profile). ::

    python -m segment_unify.preview "event('Order Completed').count()" --events sample.jsonl
    python -m segment_unify.preview "event('Order Completed').count()" \\
        --emulator http://127.0.0.1:8000 --space spa_123

It prints the members and up to ten sample values, and exits 1 when there is no member (the
seeds' "at least one member" check), 2 when the definition does not parse.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from segment_unify.query import QueryError, ResultKind, evaluate, parse

__all__ = [
    "Preview",
    "ProfileSample",
    "main",
    "preview",
    "profiles_from_emulator",
    "profiles_from_file",
]

SAMPLE_SIZE = 10


@dataclass(frozen=True)
class ProfileSample:
    """One profile to preview against: a label, its events and traits."""

    label: str
    events: Sequence[Mapping[str, Any]]
    traits: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Preview:
    """What a definition gives over the profiles: every value, and the members."""

    query: str
    audience: bool
    values: dict[str, Any]
    members: list[str]

    @property
    def samples(self) -> list[tuple[str, Any]]:
        return [(label, self.values[label]) for label in self.members[:SAMPLE_SIZE]]

    def report(self) -> str:
        kind = "audience" if self.audience else "computed trait"
        lines = [
            f"{kind}: {self.query}",
            f"{len(self.members)} member(s) of {len(self.values)} profile(s)",
        ]
        lines += [f"  {label}: {json.dumps(value)}" for label, value in self.samples]
        if not self.members:
            lines.append("no member: Segment's 'at least one member' check would fail")
        return "\n".join(lines)


def _is_member(value: Any) -> bool:
    return value is not None and value is not False and value not in (0, "", [])


def preview(
    definition: object, profiles: Iterable[ProfileSample], at: datetime | None = None
) -> Preview:
    """Evaluate ``definition`` (query text or a builder) for each profile at ``at`` (now)."""
    query = parse(str(definition))
    moment = at or datetime.now(timezone.utc)
    values = {p.label: evaluate(query, p.events, moment, p.traits) for p in profiles}
    members = [label for label, value in values.items() if _is_member(value)]
    return Preview(query.compile(), query.kind is ResultKind.BOOLEAN, values, members)


def profiles_from_file(path: Path) -> list[ProfileSample]:
    """Sample events from a JSON array or JSON lines file, one profile per user."""
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        messages = json.loads(text)
    else:
        messages = [json.loads(line) for line in text.splitlines() if line.strip()]
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    traits: dict[str, dict[str, Any]] = {}
    for message in messages:
        user = message.get("userId") or message.get("anonymousId")
        if not user:
            continue
        label = str(user)
        grouped.setdefault(label, []).append(message)
        if message.get("type") == "identify" and isinstance(message.get("traits"), dict):
            traits.setdefault(label, {}).update(message["traits"])
    return [
        ProfileSample(label, events, traits.get(label, {})) for label, events in grouped.items()
    ]


def profiles_from_emulator(url: str, space_id: str) -> list[ProfileSample]:
    """A space's profiles in the emulator (its control plane's Profile explorer)."""
    response = httpx.get(
        f"{url.rstrip('/')}/__emulator/spaces/{space_id}/profiles",
        params={"events": "true"},
        timeout=60,
    )
    response.raise_for_status()
    samples = []
    for profile in response.json()["profiles"]:
        ids = {ext["type"]: ext["id"] for ext in profile["externalIds"]}
        label = next(
            (f"{t}:{ids[t]}" for t in ("user_id", "email", "anonymous_id") if t in ids),
            profile["segmentId"],
        )
        samples.append(ProfileSample(label, profile["events"], profile["traits"]))
    return samples


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m segment_unify.preview", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("query", help="the definition, in Segment's query language")
    found = parser.add_mutually_exclusive_group(required=True)
    found.add_argument("--events", type=Path, help="a JSON or JSON-lines file of messages")
    found.add_argument("--emulator", help="the emulator's URL (with --space)")
    parser.add_argument("--space", help="the space id, with --emulator")
    parser.add_argument("--at", help="evaluate at this ISO-8601 time (default: now)")
    args = parser.parse_args(argv)
    if args.emulator and not args.space:
        parser.error("--emulator needs --space")
    at = datetime.fromisoformat(args.at.replace("Z", "+00:00")) if args.at else None
    profiles = (
        profiles_from_file(args.events)
        if args.events
        else profiles_from_emulator(args.emulator, args.space)
    )
    try:
        result = preview(args.query, profiles, at)
    except QueryError as error:
        print(f"the definition is not computable: {error}", file=sys.stderr)
        return 2
    print(result.report())
    return 0 if result.members else 1


if __name__ == "__main__":
    sys.exit(main())
