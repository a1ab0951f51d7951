"""Start-up: what importing the provider's resource modules adds over ``import pulumi``.

The dynamic provider process imports a resource's module when it unpickles that resource's
provider. Measured with ``python -X importtime``: the cumulative microseconds of the top-level
imports (those the ``-c`` code and interpreter start-up asked for, not their children), summed,
for ``import pulumi`` and for ``import pulumi`` plus every module of
``segment_unify.provider.resources``. Runs alternate between the two, after one unmeasured run
of each (which writes the bytecode caches); the medians are compared.

Not measured: Python's own start-up outside imports, and the first call's work (a client, a
parser) that happens on demand after import.
"""

from __future__ import annotations

import pkgutil
import statistics
import subprocess
import sys

from benchmarks.table import Row
from segment_unify.provider import resources

TARGET_MS = 150.0
RUNS = 9
QUICK_RUNS = 1
# What the resource modules import from outside the project, measured alone for reference.
THIRD_PARTY = ("pydantic", "httpx", "tenacity", "lark", "yaml")


def resource_modules() -> list[str]:
    return sorted(
        f"{resources.__name__}.{info.name}"
        for info in pkgutil.iter_modules(resources.__path__)
        if not info.name.startswith("_")
    )


def top_level_microseconds(stderr: str) -> int:
    """Sum of the cumulative times of the unindented entries of ``-X importtime`` output."""
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if name.startswith(" ") and not name.startswith("  "):
            try:
                total += int(cumulative.strip())
            except ValueError:
                continue  # the header line
    return total


def import_microseconds(code: str) -> int:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    return top_level_microseconds(done.stderr)


def run(quick: bool = False) -> list[Row]:
    base_code = "import pulumi"
    modules = resource_modules()
    full_code = "import pulumi; " + "; ".join(f"import {m}" for m in modules)
    third_code = "import pulumi; " + "; ".join(f"import {m}" for m in THIRD_PARTY)
    for code in (base_code, full_code, third_code):
        import_microseconds(code)
    base: list[int] = []
    full: list[int] = []
    third: list[int] = []
    for _ in range(QUICK_RUNS if quick else RUNS):
        base.append(import_microseconds(base_code))
        full.append(import_microseconds(full_code))
        third.append(import_microseconds(third_code))
    added_ms = (statistics.median(full) - statistics.median(base)) / 1000
    third_ms = (statistics.median(third) - statistics.median(base)) / 1000
    return [
        Row(
            "Start-up: provider modules' import over `import pulumi`",
            f"+{added_ms:.0f} ms",
            f"<= {TARGET_MS:.0f} ms",
            added_ms <= TARGET_MS,
            f"medians of {len(base)} runs: `import pulumi` {statistics.median(base) / 1000:.0f} "
            f"ms, with the {len(modules)} resource modules "
            f"{statistics.median(full) / 1000:.0f} ms (python -X importtime, top-level "
            "cumulative)",
        ),
        Row(
            "Start-up: of which third-party libraries",
            f"+{third_ms:.0f} ms",
            "report",
            None,
            f"`import pulumi; import {', '.join(THIRD_PARTY)}` alone; the rest is the "
            "project's modules (pydantic input models are built at import)",
        ),
    ]
