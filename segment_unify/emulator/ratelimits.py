"""Segment's Public API rate limits and the fixed-window limiter that applies them.

Limits are per workspace and per operation, in requests per minute, over fixed one-minute
windows. `LIMITS_PER_MINUTE` lists the operations Segment documents with their own limit;
every other operation gets `DEFAULT_LIMIT_PER_MINUTE`. The table is
`segment_unify.segment_facts`'s, the one the provider paces by. `time_scale` shortens the
minute (60 makes it one real second); `msBeforeNext` and `X-RateLimit-Reset` are reported in
real, scaled time.

Not emulated: Segment's global per-token limits across operations, and the Profile API's
100 requests/second per space.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import formatdate

from segment_unify.segment_facts import DEFAULT_PER_MINUTE, RATE_LIMITS_PER_MINUTE

from .errors import TooManyRequests

# Segment's documented limits, the same table the provider paces by.
DEFAULT_LIMIT_PER_MINUTE = DEFAULT_PER_MINUTE
WINDOW_SECONDS = 60.0

LIMITS_PER_MINUTE: Mapping[str, int] = RATE_LIMITS_PER_MINUTE


def limit_for(operation: str) -> int:
    """Requests per minute allowed for one operation in one workspace."""
    return LIMITS_PER_MINUTE.get(operation, DEFAULT_LIMIT_PER_MINUTE)


@dataclass(frozen=True)
class RateDecision:
    limit: int
    consumed: int
    window_end: float

    @property
    def allowed(self) -> bool:
        return self.consumed <= self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.consumed)

    def ms_before_next(self, now: float) -> int:
        return max(0, int((self.window_end - now) * 1000))

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Consumed": str(self.consumed),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": formatdate(self.window_end, usegmt=True),
        }


def too_many_requests(decision: RateDecision, now: float) -> TooManyRequests:
    return TooManyRequests(
        data={
            "remainingPoints": 0,
            "msBeforeNext": decision.ms_before_next(now),
            "consumedPoints": decision.consumed,
        },
        headers=decision.headers(),
    )


class RateLimiter:
    """Counts requests per (workspace, operation) in fixed windows of a scaled minute."""

    def __init__(self, time_scale: float = 1.0, clock: Callable[[], float] = time.time) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self.window = WINDOW_SECONDS / time_scale
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}

    def hit(self, workspace_id: str, operation: str) -> RateDecision:
        """Count one request; the decision says whether it is within the limit."""
        now = self._clock()
        window_index = int(now // self.window)
        key = (workspace_id, operation)
        with self._lock:
            index, count = self._counts.get(key, (window_index, 0))
            count = count + 1 if index == window_index else 1
            self._counts[key] = (window_index, count)
        return RateDecision(limit_for(operation), count, (window_index + 1) * self.window)

    def check(self, workspace_id: str, operation: str) -> RateDecision:
        """Count one request, raising TooManyRequests (429) when over the limit."""
        decision = self.hit(workspace_id, operation)
        if not decision.allowed:
            raise too_many_requests(decision, self._clock())
        return decision

    def peek(self, workspace_id: str, operation: str) -> RateDecision:
        """The current window's count, without counting a request."""
        now = self._clock()
        window_index = int(now // self.window)
        with self._lock:
            index, count = self._counts.get((workspace_id, operation), (window_index, 0))
        consumed = count if index == window_index else 0
        return RateDecision(limit_for(operation), consumed, (window_index + 1) * self.window)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
