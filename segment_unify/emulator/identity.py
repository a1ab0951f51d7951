"""Identity resolution as Segment documents it for a Unify space: which identifiers a message
carries, and which profiles (if any) it belongs to.

Identifiers (Segment's eleven defaults): `user_id` (userId), `email` (traits.email or
context.traits.email), `anonymous_id`, `group_id`, `ga_client_id`
(context.integrations["Google Analytics"].clientId), `android.id`/`ios.id`,
`android.push_token`/`ios.push_token` and `android.idfa`/`ios.idfa` from context.device (the
last only when adTrackingEnabled), plus any `context.externalIds` entry (its type lowercased).

Rules: Segment's defaults are a limit of 1 `user_id` and 5 of every other identifier;
priority `user_id` 1, `email` 2, then every other type alphabetically. The frequencies are
the ones Segment's onboarding guide recommends: `user_id` ever, identifiers that rotate
(`anonymous_id`, `ga_client_id`, advertising ids) weekly, the others (email, devices, push
tokens, custom ids) annually. No value is blocked (Segment's suggested blocked values are
opt-in).

Flat matching: the profiles holding any of the message's identifiers are merged with its
identifiers into one; when the result would exceed a limit, the message's lowest-priority
identifier is dropped and matching tried again, until it fits (no match: a new profile).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

WEEK = timedelta(days=7)
YEAR = timedelta(days=365)


@dataclass(frozen=True)
class IdentifierRule:
    limit: int
    window: timedelta | None  # None: "ever"


_ROTATING = {"anonymous_id", "ga_client_id", "android.idfa", "ios.idfa"}


def rule_for(id_type: str) -> IdentifierRule:
    if id_type == "user_id":
        return IdentifierRule(1, None)
    return IdentifierRule(5, WEEK if id_type in _ROTATING else YEAR)


def priority(id_type: str) -> tuple[int, str]:
    """Sort key: smaller is more important (user_id, email, then alphabetical)."""
    return ({"user_id": 0, "email": 1}.get(id_type, 2), id_type)


@dataclass(frozen=True)
class Identifier:
    type: str
    id: str


@dataclass(frozen=True)
class HeldIdentifier:
    """An identifier already on a profile, with when it was last seen there."""

    type: str
    id: str
    last_seen: datetime


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _get(container: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(container, dict):
            return None
        container = container.get(key)
    return container


def identifiers(message: dict[str, Any]) -> list[Identifier]:
    """The identifiers ``message`` carries, most important first, without repeats."""
    found: list[tuple[str, Any]] = [
        ("user_id", message.get("userId")),
        ("email", _get(message, "traits", "email") or _get(message, "context", "traits", "email")),
        ("anonymous_id", message.get("anonymousId")),
        ("group_id", message.get("groupId")),
        ("ga_client_id", _get(message, "context", "integrations", "Google Analytics", "clientId")),
    ]
    device = _get(message, "context", "device")
    platform = _get(device, "type")
    if isinstance(platform, str) and platform.lower() in ("android", "ios"):
        prefix = platform.lower()
        found.append((f"{prefix}.id", _get(device, "id")))
        found.append((f"{prefix}.push_token", _get(device, "token")))
        if _get(device, "adTrackingEnabled") is True:
            found.append((f"{prefix}.idfa", _get(device, "advertisingId")))
    for external in _get(message, "context", "externalIds") or []:
        found.append((str(_get(external, "type") or "").lower(), _get(external, "id")))
    result: list[Identifier] = []
    for id_type, value in found:
        text = _text(value)
        if id_type and text is not None and Identifier(id_type, text) not in result:
            result.append(Identifier(id_type, text))
    return sorted(result, key=lambda i: priority(i.type))


def within_limits(held: Iterable[HeldIdentifier], at: datetime) -> bool:
    values: dict[str, set[str]] = {}
    for identifier in held:
        window = rule_for(identifier.type).window
        if window is None or identifier.last_seen >= at - window:
            values.setdefault(identifier.type, set()).add(identifier.id)
    return all(len(ids) <= rule_for(id_type).limit for id_type, ids in values.items())


@dataclass(frozen=True)
class Resolution:
    """Profiles to merge (oldest first as given by the caller) and identifiers to add."""

    profiles: list[str]
    identifiers: list[Identifier]


def resolve(
    incoming: list[Identifier],
    owner_of: Callable[[Identifier], str | None],
    held_by: Callable[[str], list[HeldIdentifier]],
    at: datetime,
) -> Resolution:
    """Where a message with ``incoming`` identifiers (most important first) goes.

    ``owner_of`` names the profile holding an identifier; ``held_by`` lists a profile's
    identifiers. An empty ``profiles`` means a new profile.
    """
    candidates = list(incoming)
    while candidates:
        owners: list[str] = []
        for identifier in candidates:
            owner = owner_of(identifier)
            if owner is not None and owner not in owners:
                owners.append(owner)
        combined = [held for owner in owners for held in held_by(owner)]
        combined += [HeldIdentifier(i.type, i.id, at) for i in candidates]
        if within_limits(combined, at):
            return Resolution(owners, candidates)
        candidates = candidates[:-1]
    return Resolution([], [])
