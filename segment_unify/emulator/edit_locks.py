"""Edits Segment refuses while it incorporates the last one.

Segment's SDK, on UpdateComputedTraitForSpace and UpdateAudienceForSpace: "when a Computed Trait
[an Audience] is updated, [it] will be locked from future edits until the changes have been
incorporated"; an audience meanwhile shows the status ``Locked`` (one of AudienceSummary's
published status values; ComputedTraitSummary's list has none such, so a trait shows no sign).

Not published, so the emulator's choice: how long incorporating takes (``seconds``, real time,
1 s by default) and the answer to an edit meanwhile (422 ValidationFailure quoting the SDK).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from .errors import ValidationFailure

DEFAULT_SECONDS = 1.0


class EditLocks:
    def __init__(
        self, seconds: float = DEFAULT_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self._clock = clock
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def lock(self, object_id: str) -> None:
        """``object_id`` was just updated: no edit until Segment has incorporated it."""
        if self.seconds > 0:
            with self._lock:
                self._until[object_id] = self._clock() + self.seconds

    def locked(self, object_id: str) -> bool:
        with self._lock:
            until = self._until.get(object_id)
            if until is not None and until <= self._clock():
                del self._until[object_id]
                until = None
        return until is not None

    def refuse_if_locked(self, what: str, object_id: str) -> None:
        if self.locked(object_id):
            raise ValidationFailure(
                f"The {what} is locked from future edits until the changes have been "
                "incorporated; try again later"
            )

    def clear(self) -> None:
        with self._lock:
            self._until.clear()
