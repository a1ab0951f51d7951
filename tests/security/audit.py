"""Counting secrets in what a lifecycle leaves behind: one row per place, one column per secret.

A place either must not hold a secret at all, or may hold some of them (``allowed``): state
values Pulumi encrypts, and request bodies whose point is to hand Segment a credential. Each
secret is looked for as written, base64-encoded, and as HTTP Basic credentials (``token:``
base64-encoded, how the Profile API token travels). Identical texts added twice to one place
count once, so state snapshots taken between steps do not multiply what they share.

Not looked for: a secret split across two texts, or encoded any other way (hashed, encrypted,
URL-quoted with escapes; none of the three secrets has characters that quoting would change).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def _pattern(value: str) -> re.Pattern[str]:
    """The secret in any of its forms; longest first, since one may begin another."""
    raw = value.encode("utf-8")
    forms = {
        value,
        base64.b64encode(raw).decode("ascii"),
        base64.b64encode(raw + b":").decode("ascii"),
    }
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)))


def as_text(blob: Any) -> str:
    """What a secret would be searched in: text as is, bytes as latin-1, data as JSON."""
    if isinstance(blob, str):
        return blob
    if isinstance(blob, bytes):
        return blob.decode("latin-1")
    return json.dumps(blob, default=repr, sort_keys=True)


@dataclass
class Place:
    name: str
    allowed: frozenset[str]
    counts: dict[str, int] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set, repr=False)


class SecretAudit:
    """Occurrences of named secrets, place by place."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        assert all(len(v) >= 8 for v in secrets.values()), "too short to search for reliably"
        self.secrets = dict(secrets)
        self._patterns = {name: _pattern(value) for name, value in secrets.items()}
        self.places: dict[str, Place] = {}

    def place(self, name: str, allowed: Iterable[str] = ()) -> Place:
        """The row ``name`` (made on first use); ``allowed`` names secrets it may hold."""
        allowed = frozenset(allowed)
        assert allowed <= set(self.secrets), allowed - set(self.secrets)
        row = self.places.setdefault(name, Place(name, allowed))
        assert row.allowed == allowed, f"{name}: allowed secrets given twice, differently"
        return row

    def count(self, blob: Any) -> dict[str, int]:
        text = as_text(blob)
        return {secret: len(pattern.findall(text)) for secret, pattern in self._patterns.items()}

    def add(self, place: str, blob: Any, allowed: Iterable[str] = ()) -> None:
        row = self.place(place, allowed)
        text = as_text(blob)
        if text in row.seen:
            return
        row.seen.add(text)
        for secret, n in self.count(text).items():
            row.counts[secret] = row.counts.get(secret, 0) + n

    def found(self, place: str, secret: str) -> int:
        return self.places[place].counts.get(secret, 0)

    def leaks(self) -> dict[tuple[str, str], int]:
        """Secrets found where they must not be: (place, secret) -> occurrences."""
        return {
            (row.name, secret): n
            for row in self.places.values()
            for secret, n in row.counts.items()
            if n and secret not in row.allowed
        }

    def table(self) -> str:
        """The counts, one row per place; ``(ok)`` marks counts in places allowed to hold them."""
        names = list(self.secrets)
        width = max(len(p) for p in self.places) if self.places else 10
        lines = [f"{'place':<{width}}  " + "  ".join(f"{n:>20}" for n in names)]
        for row in self.places.values():
            cells = []
            for secret in names:
                n = row.counts.get(secret, 0)
                mark = " (ok)" if secret in row.allowed else ""
                cells.append(f"{str(n) + mark:>20}")
            lines.append(f"{row.name:<{width}}  " + "  ".join(cells))
        return "\n".join(lines)
