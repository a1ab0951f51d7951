"""No-op preview: ``pulumi preview`` of the example stack after ``up`` makes no API call.

The stack is created (``up`` through localrun), the emulator's request log cleared, then the
same program runs in localrun's preview mode: each registration is checked and diffed by the
provider process, as ``pulumi preview`` asks of a provider that does not preview writes. Every
request the emulator logs during the preview counts, the Profile API's included.
"""

from __future__ import annotations

import time

from benchmarks.stack import SEED, provider_for, run_example, steps_since
from benchmarks.table import Row
from segment_unify.emulator.testing import running_emulator
from segment_unify.localrun.engine import Engine


def run(quick: bool = False) -> list[Row]:
    with running_emulator(seed=SEED) as emulator, provider_for(emulator) as provider:
        engine = Engine(provider)
        run_example(engine)
        emulator.clear_request_log()
        mark = len(engine.steps)
        started = time.monotonic()
        run_example(engine, preview=True)
        elapsed = time.monotonic() - started
        calls = emulator.request_log()
        steps = steps_since(engine, mark)
    plan = ", ".join(f"{n} {kind}" for kind, n in sorted(steps.items()))
    return [
        Row(
            "No-op preview of the example stack: API calls",
            str(len(calls)),
            "0",
            not calls and set(steps) == {"same"},
            f"plan: {plan}; {elapsed:.2f} s"
            + (f"; calls: {sorted({c['path'] for c in calls})}" if calls else ""),
        )
    ]
