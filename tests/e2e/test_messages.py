"""What `pulumi up` shows while the provider waits or adopts, under the real CLI.

A dynamic provider's ``pulumi.log`` lines reach the CLI through the provider process's stderr,
which the CLI prints as the update runs. Here eleven computed traits meet Segment's limit of ten
creates a window (the emulator's minute lasts 6 s, and the provider paces to it), so the last
waits several seconds: the output says so, naming the trait, the operation, the limit and the
wait, where it used to stall in silence.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from segment_unify.provider import _constants as c
from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

PROGRAM = Path(__file__).resolve().parents[2] / "benchmarks" / "programs" / "many-traits"
TIME_SCALE = 10.0  # Segment's minute lasts 6 s


def test_up_shows_the_rate_limit_wait_and_the_adopted_space(
    pulumi_bin: Path, tmp_path: Path
) -> None:
    window = 60.0 / TIME_SCALE
    env = {c.ENV_RATE_LIMIT_WINDOW: f"{window:g}"}
    backend = LocalBackend(pulumi_bin, tmp_path, env=env)
    count = c.PER_MINUTE["CreateComputedTrait"] + 1
    with example_stack(backend, PROGRAM, "dev", time_scale=TIME_SCALE) as stack:
        stack.set_config("many-traits:spaceSlug", "unified-profiles-dev")
        stack.set_config("many-traits:count", str(count))
        up = stack.pulumi("up", "--yes")
    shown = up.stdout
    waits = re.findall(
        r"computed trait 'Trait \d+' \(resource 'trait-\d+'\): waiting (\d+) s for Segment's "
        rf"rate limit on CreateComputedTrait \({count - 1} calls per {window:g} s per workspace\)",
        shown,
    )
    assert waits, shown
    assert all(int(seconds) >= c.WAIT_NOTICE_SECONDS for seconds in waits)
    assert (
        "Unify space 'unified-profiles-dev' (resource 'space'): found existing Unify space" in shown
    )
