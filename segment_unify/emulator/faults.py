"""Fault injection rules and the seeded chooser that applies them.

A rule has a `kind`, a `probability`, optional `method` (one, or several joined by `|`:
`POST|PATCH`) and `path` (a regular expression searched in the request path) matches, an
optional `max_count`, and `after`: the number of matching requests it lets through before it
applies (so `after=4, max_count=1` singles out the fifth write). Kinds:

- `latency`: answer no sooner than `latency_ms` after the request arrived, the handling
  included (adds up with the base latency and other matching latency rules);
- `rate_limit`: answer 429 in Segment's shape without handling the request;
- `server_error`: answer `status` (default 503) without handling the request;
- `drop`: close the connection without a complete response, without handling the request;
- `lost_response`: handle the request (the write is committed), then drop the connection,
  or answer `status` (502 or 504) instead of the real response;
- `late_commit`: drop the connection (or answer `status`) at once, and handle the request
  `hold_ms` later: a write that reaches Segment after the client gave up on it (a request held
  in a queue past the client's timeout), so neither the client's look nor its retry sees it;
- `list_lag`: an object a matching POST makes is left out of list answers (any GET whose
  `data` holds a list of objects) for `lag_seconds` of Segment's time (shortened by the time
  scale), as Segment's lists can trail its writes; a GET by id sees it at once. Not terminal:
  it combines with the other kinds (a lost response included).

Choices come from one `random.Random(seed)`, so a sequence of requests meets the same faults
on every run. Rules never apply to the control plane (`/__emulator/`).
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

FaultKind = Literal[
    "latency", "rate_limit", "server_error", "drop", "lost_response", "late_commit", "list_lag"
]
TERMINAL_KINDS = ("rate_limit", "server_error", "drop", "lost_response", "late_commit")
NON_TERMINAL_KINDS = ("latency", "list_lag")


class FaultRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: FaultKind
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    method: str | None = None
    path: str | None = None
    max_count: int | None = Field(default=None, ge=0)
    after: int = Field(default=0, ge=0)
    latency_ms: int = Field(default=0, ge=0)
    lag_seconds: float = Field(default=0.0, ge=0.0)
    hold_ms: int = Field(default=0, ge=0)
    status: int | None = Field(default=None, ge=400, le=599)

    @field_validator("path")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and method.upper() not in self.method.upper().split("|"):
            return False
        return self.path is None or re.search(self.path, path) is not None


def parse_fault_spec(spec: str) -> FaultRule:
    """CLI form `KIND[:PROBABILITY][:key=value,...]`, e.g. `lost_response:0.2:method=POST`."""
    parts = spec.split(":", 2)
    values: dict[str, object] = {"kind": parts[0]}
    if len(parts) > 1 and parts[1]:
        values["probability"] = float(parts[1])
    if len(parts) > 2 and parts[2]:
        for item in parts[2].split(","):
            key, _, value = item.partition("=")
            values[key.strip()] = value.strip()
    return FaultRule.model_validate(values)


@dataclass
class FaultDecision:
    latency_ms: int = 0
    list_lag_seconds: float = 0.0
    fault: FaultRule | None = None


@dataclass
class FaultInjector:
    """Holds the rules, the seeded generator and the counters of faults injected."""

    rules: list[FaultRule] = field(default_factory=list)
    seed: int = 0
    base_latency_ms: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(self.seed)
        self._applied: list[int] = [0] * len(self.rules)
        self._matched: list[int] = [0] * len(self.rules)
        self.counts: Counter[str] = Counter()
        # Object id -> time.monotonic() until which lists leave it out.
        self._hidden: dict[str, float] = {}

    def hide(self, object_ids: list[str], seconds: float) -> None:
        until = time.monotonic() + seconds
        with self._lock:
            for object_id in object_ids:
                self._hidden[object_id] = until

    def hidden(self) -> frozenset[str]:
        """Ids lists must leave out now (none, almost always: then lists pass untouched)."""
        if not self._hidden:
            return frozenset()
        now = time.monotonic()
        with self._lock:
            self._hidden = {k: until for k, until in self._hidden.items() if until > now}
            return frozenset(self._hidden)

    def configure(self, rules: list[FaultRule], seed: int | None = None) -> None:
        with self._lock:
            self.rules = list(rules)
            self._applied = [0] * len(self.rules)
            self._matched = [0] * len(self.rules)
            if seed is not None:
                self.seed = seed
            self._random = random.Random(self.seed)
            self.counts = Counter()
            self._hidden = {}

    def decide(self, method: str, path: str) -> FaultDecision:
        decision = FaultDecision(latency_ms=self.base_latency_ms)
        with self._lock:
            for index, rule in enumerate(self.rules):
                if not rule.matches(method, path):
                    continue
                if rule.max_count is not None and self._applied[index] >= rule.max_count:
                    continue
                if rule.kind not in NON_TERMINAL_KINDS and decision.fault is not None:
                    continue
                if rule.kind == "list_lag" and method.upper() != "POST":
                    continue
                self._matched[index] += 1
                if self._matched[index] <= rule.after:
                    continue
                if self._random.random() >= rule.probability:
                    continue
                self._applied[index] += 1
                self.counts[rule.kind] += 1
                if rule.kind == "latency":
                    decision.latency_ms += rule.latency_ms
                elif rule.kind == "list_lag":
                    decision.list_lag_seconds = max(decision.list_lag_seconds, rule.lag_seconds)
                else:
                    decision.fault = rule
        return decision

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "seed": self.seed,
                "baseLatencyMs": self.base_latency_ms,
                "rules": [rule.model_dump() for rule in self.rules],
                "counts": dict(self.counts),
            }
