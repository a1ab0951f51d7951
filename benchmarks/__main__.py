"""``python -m benchmarks``: every measurement of reliability, security and performance, one table.

    python -m benchmarks                    # everything, full sizes (what `make bench` runs)
    python -m benchmarks --quick            # shrunk sizes: checks the benchmarks still run
    python -m benchmarks --only soak,preview --trials 5
    python -m benchmarks --only soak,cli_soak --rates 0.2,0.4,0.6 --list-lag 10
    python -m benchmarks --only crash --crash-targets other-machine --crash-points 1,11,15

Prints one markdown table (progress goes to stderr) and exits 1 if a target is missed. A
``--quick`` run's figures are not the figures of record: its sizes are too small for the
timing targets to mean anything.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence

from benchmarks import (
    crash,
    engine_cli,
    export,
    fuzz,
    latency,
    preview,
    rate_limits,
    refresh,
    reverse_etl,
    same_names,
    soak,
    space_schema,
    startup,
    tracking,
)
from benchmarks.table import Row, failed, markdown

BENCHMARKS: dict[str, Callable[[bool], list[Row]]] = {
    "startup": startup.run,
    "fuzz": fuzz.run,
    "preview": preview.run,
    "refresh": refresh.run,
    "latency": latency.run,
    "rate_limits": rate_limits.run,
    "space_schema": space_schema.run,
    "soak": soak.run,
    "cli": engine_cli.run,
    "cli_soak": engine_cli.soak_run,
    "crash": crash.run,
    "same_names": same_names.run,
    "tracking": tracking.run,
    "reverse_etl": reverse_etl.run,
    "export": export.run,
}


def _names(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}"
        )
    return names


def _rates(text: str) -> tuple[float, ...]:
    try:
        rates = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"rates are fractions such as 0.2,0.4, got {text!r}"
        ) from None
    if not rates or any(not 0 <= rate < 1 for rate in rates):
        raise argparse.ArgumentTypeError(f"rates are fractions in [0, 1), got {text!r}")
    return rates


def _crash_targets(text: str) -> tuple[str, ...]:
    targets = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [target for target in targets if target not in crash.TARGETS]
    if not targets or unknown:
        raise argparse.ArgumentTypeError(
            f"crash targets are some of {', '.join(crash.TARGETS)}, got {text!r}"
        )
    return targets


def _points(text: str) -> tuple[int, ...]:
    try:
        points = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        points = ()
    if not points or any(point < 1 for point in points):
        raise argparse.ArgumentTypeError(f"points are write numbers such as 1,11,15, got {text!r}")
    return points


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="shrink sizes for a smoke run")
    parser.add_argument(
        "--only",
        type=_names,
        default=list(BENCHMARKS),
        help="comma-separated: " + ", ".join(BENCHMARKS),
    )
    parser.add_argument("--trials", type=int, help="soak trials per rate (default 20; quick 1)")
    parser.add_argument(
        "--rates",
        type=_rates,
        default=soak.RATES,
        help="soak fault rates, comma-separated (default 0.2,0.4,0.6; quick the first)",
    )
    parser.add_argument(
        "--list-lag",
        type=float,
        default=soak.LIST_LAG_SECONDS,
        help="soak list lag in Segment's seconds (default 10; 0 for none)",
    )
    parser.add_argument(
        "--crash-targets",
        type=_crash_targets,
        default=crash.TARGETS,
        help="what crash kills and how it recovers (default all: " + ",".join(crash.TARGETS) + ")",
    )
    parser.add_argument(
        "--crash-points",
        type=_points,
        help="crash only at these writes (default every write of the example; quick 2)",
    )
    args = parser.parse_args(argv)

    rows: list[Row] = []
    for name in args.only:
        print(f"running {name}...", file=sys.stderr, flush=True)
        started = time.monotonic()
        if name in ("soak", "cli_soak"):
            soak_run = soak.run if name == "soak" else engine_cli.soak_run
            rows += soak_run(args.quick, args.trials, args.rates, args.list_lag)
        elif name == "crash":
            rows += crash.run(args.quick, args.crash_targets, args.crash_points)
        else:
            rows += BENCHMARKS[name](args.quick)
        print(f"  {name}: {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)

    today = datetime.date.today().isoformat()
    cpus = os.cpu_count()
    print(
        f"Measured {today} on {platform.machine()}, {cpus} CPUs, Python "
        f"{platform.python_version()}"
        + (" (--quick: shrunk sizes, not figures of record)" if args.quick else "")
    )
    print()
    print(markdown(rows))
    missed = failed(rows)
    if missed:
        print(f"\n{len(missed)} target(s) missed: " + "; ".join(r.name for r in missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
