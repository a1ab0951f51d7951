"""The `segment-unify export` command line the tests run, in-process and under the real CLI."""

from __future__ import annotations

from pathlib import Path

from segment_unify.emulator.testing import EmulatorHandle

SPACE = "unified-profiles-dev"


def export_argv(emulator: EmulatorHandle, out: Path, *extra: str) -> list[str]:
    """Export SPACE of the emulator's workspace into ``out``, configured for the stack ``dev``."""
    return [
        "--endpoint",
        emulator.url,
        "--profile-endpoint",
        emulator.profile_url,
        "export",
        "--space",
        SPACE,
        "--out",
        str(out),
        "--stack",
        "dev",
        *extra,
    ]
