"""A local Segment: the Public API and the Profile API, for the demo, examples and tests.

Served by `segment-emulator serve` (see cli.py) or in-process by `testing.running_emulator`.
Layout, in moto's spirit: `routers/` (thin handlers, one module per family), `backend*.py`
(one `Backend` object with all state and rules, keyed by workspace), `errors.py` (Segment's
error envelopes, one set of handlers), `store.py` (SQLite), `ratelimits.py` (Segment's
per-operation limits), `faults.py` + `middleware.py` (fault injection, request log),
`seed.py` (what the Public API cannot create), control plane under `/__emulator/`.

Not emulated: operations outside emulated-contract.md (labels, tracking plans, functions,
IAM, audit trail, audience activations...), the Profile API's events and links, real
computation of traits and audiences, data delivery. Each backend module lists its own gaps.
"""

from __future__ import annotations

import importlib.util

if importlib.util.find_spec("fastapi") is None or importlib.util.find_spec("uvicorn") is None:
    # A production install has no web server (the emulator is an extra): say which install
    # brings it rather than fail on the first import inside the emulator.
    raise ModuleNotFoundError(
        "the local Segment emulator needs its extra: "
        "pip install 'pulumi-segment-unify[emulator]' (or '[demo]' for the demo)",
        name="fastapi",
    )

from .app import Emulator, EmulatorConfig, build_emulator
from .ratelimits import DEFAULT_LIMIT_PER_MINUTE, LIMITS_PER_MINUTE, limit_for
from .seed import SeedDocument, load_seed

__all__ = [
    "DEFAULT_LIMIT_PER_MINUTE",
    "LIMITS_PER_MINUTE",
    "Emulator",
    "EmulatorConfig",
    "SeedDocument",
    "build_emulator",
    "limit_for",
    "load_seed",
]
