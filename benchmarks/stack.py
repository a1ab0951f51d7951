"""What the benchmarks share: the example stack run through ``localrun`` against an emulator.

``provider_for`` starts the real dynamic provider process (``python -m pulumi.dynamic``) and
configures it for one emulator; ``run_example`` runs ``examples/unified-profiles`` (the dev
stack, with the secrets the emulator's seed holds) as ``pulumi up`` or ``pulumi preview`` would.
``window_env`` is the provider's pacing window for an emulator whose clock runs ``time_scale``
times faster than Segment's.

Not here: the Pulumi CLI (the e2e tests cover it); every run keeps its state in memory.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from segment_unify import demo
from segment_unify.emulator.ratelimits import WINDOW_SECONDS
from segment_unify.emulator.testing import EmulatorHandle
from segment_unify.localrun.engine import Engine, ProviderProcess
from segment_unify.localrun.program import RunResult, run_program
from segment_unify.provider import _constants

ROOT = Path(__file__).resolve().parents[1]
SEED = demo.SEED
EXAMPLE = demo.EXAMPLE / "__main__.py"
WORKSPACE = "acme-contact-center"
SPACE_SLUG = "unified-profiles-dev"


@functools.cache
def example_config(stack: str = "dev") -> tuple[Mapping[str, Any], tuple[str, ...]]:
    """The example's stack config as the CLI hands it over, and which keys are secret.

    Read once per process: the CLI reads a stack's config before the program starts, so the
    YAML parsing is no part of an ``up`` a benchmark times."""
    config = demo.stack_config(stack, demo.seed_token(stack))
    secret_keys = tuple(key for key in demo.SECRET_KEYS if key in config)
    return config, secret_keys


def endpoints(emulator: EmulatorHandle) -> dict[str, str]:
    return {
        "segment:token": emulator.token,
        "segment:endpoint": emulator.url,
        "segment:profileEndpoint": emulator.profile_url,
    }


def window_env(time_scale: float) -> dict[str, str]:
    """The provider process's environment against a time-scaled emulator: its pacing window,
    and how long it waits for a list to show an object whose create went unanswered, both on
    the emulator's clock (Segment's 30 s wait is half a second at 60 x). The emulator's faults
    here never apply a write after they answered (a drop never handles the request; a lost
    answer's write is applied before it): no create can land late, so none is looked for."""
    return {
        _constants.ENV_RATE_LIMIT_WINDOW: repr(WINDOW_SECONDS / time_scale),
        _constants.ENV_LIST_WAIT: repr(_constants.LIST_WAIT_SECONDS / time_scale),
        _constants.ENV_LATE_WRITE: "0",
    }


@contextlib.contextmanager
def provider_for(
    emulator: EmulatorHandle, env: Mapping[str, str] | None = None
) -> Iterator[ProviderProcess]:
    """A provider process configured for ``emulator``, stopped on exit."""
    with ProviderProcess(env=env) as provider:
        provider.configure(endpoints(emulator))
        yield provider


def run_example(engine: Engine, *, preview: bool = False, stack: str = "dev") -> RunResult:
    """One ``pulumi up`` (or ``pulumi preview``) of the example stack."""
    config, secret_keys = example_config(stack)
    return run(EXAMPLE, engine, config=config, secret_keys=list(secret_keys), preview=preview)


def run(
    program: Path | Callable[[], None],
    engine: Engine,
    *,
    config: Mapping[str, Any] | None = None,
    secret_keys: list[str] | None = None,
    preview: bool = False,
) -> RunResult:
    return run_program(
        program,
        engine,
        config=config,
        secret_keys=secret_keys,
        project=demo.PROJECT,
        stack="dev",
        preview=preview,
    )


def steps_since(engine: Engine, mark: int) -> dict[str, int]:
    """How many steps of each kind the engine took since ``mark``."""
    counts: dict[str, int] = {}
    for kind, _ in engine.steps[mark:]:
        counts[kind] = counts.get(kind, 0) + 1
    return counts
