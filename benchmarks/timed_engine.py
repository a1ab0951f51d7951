"""An ``Engine`` that keeps when each registration's step started and ended.

A step here is what the engine does for one registration during ``up``: check, then create (or
diff and update, or nothing), each a gRPC call to the provider process, including the time a
call waits for one of the process's four workers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from segment_unify.localrun.engine import Engine, Resource


@dataclass
class TimedEngine(Engine):
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)

    def up(self, type_: str, name: str, props: Mapping[str, Any]) -> Resource:
        started = time.monotonic()
        try:
            return super().up(type_, name, props)
        finally:
            with self.lock:
                self.spans[self.urn(type_, name)] = (started, time.monotonic())

    def duration(self, urn: str) -> float:
        started, ended = self.spans[urn]
        return ended - started
