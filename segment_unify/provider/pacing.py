"""Client-side pacing from Segment's published per-endpoint limits.

Segment counts requests per workspace and operation in one-minute windows. A sliding-window log
that never lets more than ``limit`` requests start within ``window * (1 + margin)`` seconds
also never puts more than ``limit`` into any of Segment's fixed windows, so parallel work meets
no 429 in the first place. Limiters are shared by every thread (and every client) of the process:
each ``session.Session`` (an endpoint and workspace) keeps one per operation.

When Segment still answers 429 (another process shares the workspace), ``hold`` makes every
thread of that operation wait out the server's ``msBeforeNext``.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

from segment_unify.provider import _constants as c


class Limiter:
    """At most ``limit`` starts in any ``window`` seconds; thread-safe."""

    def __init__(
        self,
        limit: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("a limiter needs limit >= 1 and window > 0")
        self.limit = limit
        self.window = window * (1 + c.PACING_MARGIN)
        self._starts: collections.deque[float] = collections.deque()
        self._hold_until = 0.0
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def acquire(self, on_wait: Callable[[float], None] | None = None) -> float:
        """Block until a request may start; returns the seconds waited. ``on_wait`` is told
        the first wait this call has to make, before it is made."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                wait = self._hold_until - now
                if len(self._starts) >= self.limit:
                    wait = max(wait, self._starts[0] + self.window - now)
                if wait <= 0:
                    self._starts.append(now)
                    return waited
            if on_wait is not None and waited == 0:
                on_wait(wait)
            self._sleep(wait)
            waited += wait

    def hold(self, seconds: float) -> None:
        """Let no request start for ``seconds`` (the server said so)."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._clock() + seconds)


def limit_for(operation: str) -> int:
    return c.PER_MINUTE.get(operation, c.DEFAULT_PER_MINUTE)
