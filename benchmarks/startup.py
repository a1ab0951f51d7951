"""Start-up: what importing the provider's resource modules adds over ``import pulumi``, and
what the first ``check`` of each resource type costs once they are imported.

- Import (the target). The dynamic provider process imports a resource's module when it
  unpickles that resource's provider. Measured with ``python -X importtime`` running
  ``import pulumi`` and then every module of ``segment_unify.provider.resources``: the
  cumulative microseconds of the top-level imports that come after ``pulumi`` (those the ``-c``
  code asked for, not their children), summed; the median of the runs. Measured in the same
  process as pulumi's import, the figure does not carry pulumi's own run-to-run variation
  (tens of milliseconds on a busy machine). For reference the notes also give ``import pulumi``
  alone and the difference of the two medians between separate runs, alternated, as this
  benchmark measured it first.
- First check (report only). Importing a resource module builds no pydantic model and imports
  neither pydantic nor the query language and lark: the first ``check`` of a type does, so that
  cost moved rather than vanished. Measured in a fresh process with ``time.perf_counter``: after
  importing pulumi and every resource module (and building the props, which is the program's
  work), one ``check`` with valid inputs of each of the 12 resource types, UnifySpace first (it
  pays for pydantic and the shared bases) and ComputedTrait second (the query language, lark
  and its grammar). Medians of the per-type times.
- Reference (report only): the libraries the resource modules no longer import (pydantic,
  httpx, tenacity, lark), imported after ``pulumi`` in one process, as above.

Bytecode: the subprocesses write and read their bytecode caches under one temporary
``PYTHONPYCACHEPREFIX`` (``PYTHONDONTWRITEBYTECODE`` is dropped for them), and each kind of run
is made once unmeasured first, so the measured runs load compiled modules, as the provider
process of an installed package does; compiling is not measured.

Not measured: Python's own start-up outside imports; a diff; the first call to Segment, which
imports httpx and tenacity and builds the client (a preview never makes one, and an ``up``'s
first call waits on the network far longer); a program's query builders, which import the query
language in the program's process.
"""

from __future__ import annotations

import json
import os
import pkgutil
import statistics
import subprocess
import sys
import tempfile

from benchmarks.table import Row
from segment_unify.provider import resources

TARGET_MS = 150.0
RUNS = 9
QUICK_RUNS = 1
CHECK_RUNS = 5
# What the resource modules load on first use instead of at import, measured alone.
ON_FIRST_USE = ("pydantic", "httpx", "tenacity", "lark")

# One check of each resource type, with valid inputs, in a fresh process; prints per-type ms.
FIRST_CHECKS = """
import json, time
from segment_unify.provider.resources import (
    Audience, ComputedTrait, Destination, DestinationSubscription, Prediction, ProfileApiToken,
    ProfilesWarehouse, ReverseEtlModel, ReverseEtlSchedule, SendIdentifyMapping, Source,
    UnifySpace, Warehouse, WarehouseSourceConnection,
)
settings = {"hostname": "db.example.com", "port": "5432", "database": "analytics",
            "username": "segment", "password": "not-a-real-password"}
cases = [
    (UnifySpace, dict(slug="acme-dev")),
    (ComputedTrait, dict(space_id="spa_1", name="Calls",
                         definition="event('Call Completed').count()")),
    (Audience, dict(space_id="spa_1", name="Callers",
                    definition="event('Call Completed').count() >= 1")),
    (Prediction, dict(space_id="spa_1", kind="churn")),
    (ProfileApiToken, dict(space_id="spa_1", token="not-a-real-token")),
    (Source, dict(catalog_slug="javascript")),
    (Destination, dict(source_id="src_1", catalog_slug="actions-segment-profiles")),
    (Warehouse, dict(catalog_slug="postgres", settings=settings)),
    (WarehouseSourceConnection, dict(warehouse_id="wh_1", source_id="src_1")),
    (ProfilesWarehouse, dict(space_id="spa_1", catalog_slug="postgres", settings=settings)),
    (ReverseEtlModel, dict(source_id="src_1", query="SELECT * FROM accounts",
                           query_identifier_column="id")),
    (DestinationSubscription, dict(destination_id="dst_1", model_id="mdl_1",
                                   mapping=SendIdentifyMapping(engage_space="wk", user_id="id"),
                                   schedule=ReverseEtlSchedule.periodic("1h"))),
]
# What the program registers: None values are not sent.
props = [
    (cls, {k: v for k, v in cls.build_props(cls.__name__.lower(), **kw).items() if v is not None})
    for cls, kw in cases
]
times = {}
for cls, prop in props:
    started = time.perf_counter()
    result = cls._segment_provider.check({}, prop)
    times[cls.__name__] = (time.perf_counter() - started) * 1000
    assert not result.failures, (cls.__name__, result.failures)
print(json.dumps(times))
"""


def resource_modules() -> list[str]:
    return sorted(
        f"{resources.__name__}.{info.name}"
        for info in pkgutil.iter_modules(resources.__path__)
        if not info.name.startswith("_")
    )


def top_level_entries(stderr: str) -> list[tuple[str, int]]:
    """The unindented entries of ``-X importtime`` output: module and cumulative microseconds."""
    entries: list[tuple[str, int]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if name.startswith(" ") and not name.startswith("  "):
            try:
                entries.append((name.strip(), int(cumulative.strip())))
            except ValueError:
                continue  # the header line
    return entries


def top_level_microseconds(stderr: str) -> int:
    """Sum of the cumulative times of the unindented entries of ``-X importtime`` output."""
    return sum(micros for _, micros in top_level_entries(stderr))


def after_pulumi_microseconds(stderr: str) -> int:
    """Sum of the top-level entries imported after ``pulumi``, in the same process."""
    entries = top_level_entries(stderr)
    names = [name for name, _ in entries]
    return sum(micros for _, micros in entries[names.index("pulumi") + 1 :])


def subprocess_env(pycache: str) -> dict[str, str]:
    """This environment, with bytecode caches written to and read from ``pycache``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def import_times(code: str, env: dict[str, str]) -> str:
    """The ``-X importtime`` report of a fresh interpreter running ``code``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return done.stderr


def first_check_ms(env: dict[str, str]) -> dict[str, float]:
    """Milliseconds of each resource type's first check, in a fresh process after import."""
    imports = "".join(f"import {module}\n" for module in resource_modules())
    done = subprocess.run(
        [sys.executable, "-c", "import pulumi\n" + imports + FIRST_CHECKS],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the first-check run failed:\n{done.stderr}")
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def run(quick: bool = False) -> list[Row]:
    base_code = "import pulumi"
    modules = resource_modules()
    full_code = "import pulumi; " + "; ".join(f"import {m}" for m in modules)
    later_code = "import pulumi; " + "; ".join(f"import {m}" for m in ON_FIRST_USE)
    with tempfile.TemporaryDirectory(prefix="startup-pycache-") as pycache:
        env = subprocess_env(pycache)
        for code in (base_code, full_code, later_code):
            import_times(code, env)
        first_check_ms(env)
        base: list[int] = []
        full: list[int] = []
        added: list[int] = []
        later: list[int] = []
        for _ in range(QUICK_RUNS if quick else RUNS):
            base.append(top_level_microseconds(import_times(base_code, env)))
            report = import_times(full_code, env)
            full.append(top_level_microseconds(report))
            added.append(after_pulumi_microseconds(report))
            later.append(after_pulumi_microseconds(import_times(later_code, env)))
        checks = [first_check_ms(env) for _ in range(QUICK_RUNS if quick else CHECK_RUNS)]
    added_ms = statistics.median(added) / 1000
    apart_ms = (statistics.median(full) - statistics.median(base)) / 1000
    later_ms = statistics.median(later) / 1000
    per_type = {name: statistics.median(times[name] for times in checks) for name in checks[0]}
    first, second, *rest = per_type
    return [
        Row(
            "Start-up: provider modules' import over `import pulumi`",
            f"+{added_ms:.0f} ms",
            f"<= {TARGET_MS:.0f} ms",
            added_ms <= TARGET_MS,
            f"medians of {len(base)} runs (python -X importtime, top-level cumulative, bytecode "
            f"cached): the {len(modules)} resource modules imported after pulumi, in the same "
            f"process; `import pulumi` alone {statistics.median(base) / 1000:.0f} ms, with the "
            f"modules {statistics.median(full) / 1000:.0f} ms ({apart_ms:+.0f} ms between "
            "separate runs, where pulumi's own variation shows)",
        ),
        Row(
            "Start-up: first check of each resource type, after import",
            f"+{sum(per_type.values()):.0f} ms",
            "report",
            None,
            f"{len(per_type)} types, one check each in a fresh process, medians of "
            f"{len(checks)} runs: {first} {per_type[first]:.0f} ms (pydantic), {second} "
            f"{per_type[second]:.0f} ms (query language, lark), the other {len(rest)} "
            f"{sum(per_type[name] for name in rest):.0f} ms (their input models)",
        ),
        Row(
            "Start-up: libraries loaded on first use, for reference",
            f"+{later_ms:.0f} ms",
            "report",
            None,
            f"`import {', '.join(ON_FIRST_USE)}` after `import pulumi`, same process: none is "
            "imported with the resource modules; pydantic and lark come with the first check, "
            "httpx and tenacity with the first call to Segment",
        ),
    ]
