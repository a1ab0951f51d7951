"""Space schema reads at scale: the example stack with 200 computed traits over 50 events, on
a time-scaled emulator at Segment's per-endpoint limits, meets no 429.

ListEvents, ListTraits and ListPropertiesFromEvent are limited to 25 requests a minute (Segment's
SDK). The example stack calls them: the component's read of the space (ListEvents, ListTraits),
one ListPropertiesFromEvent per event a trait's query reads properties of (before each create),
ListTraits per audience that reads traits. With 200 traits over 50 events they are called far
more than 25 times in a minute of work; the target is that pacing keeps every one under the
limit: no 429, no error, every trait made.

The space has seen the 50 events (``Benchmark event <n>``, each with a ``direction``
property); trait ``n`` counts the inbound ones of event ``n mod 50`` within ``n // 50 + 1``
days. Beside the traits, the example's sources, warehouse, Reverse ETL model, Segment Profiles
mapping and Profiles Sync, and two audiences reading the first traits.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi
import yaml

from benchmarks import stack
from benchmarks.stack import SEED, SPACE_SLUG, WORKSPACE, provider_for, window_env
from benchmarks.table import Row, seconds
from segment_unify import demo
from segment_unify.components import (
    AudienceConfig,
    ProfilesSyncConfig,
    SalesforceConfig,
    SourceConfig,
    UnifiedProfilesStack,
    UnifiedProfilesStackArgs,
    WarehouseConfig,
)
from segment_unify.components.flex_traits import TraitSpec
from segment_unify.emulator.ratelimits import WINDOW_SECONDS
from segment_unify.emulator.testing import EmulatorHandle, spawn_emulator
from segment_unify.localrun.engine import Engine
from segment_unify.query import event_counter, prop

EVENTS, TRAITS = 50, 200
QUICK_EVENTS, QUICK_TRAITS = 10, 30
# Segment's minute becomes one second: 200 trait creates at 10 a minute are 20 windows.
TIME_SCALE = 60.0
# Segment's space schema reads, by the paths of its SDK's operations.
SCHEMA_OPERATIONS = {
    "ListEvents": re.compile(r"^/spaces/[^/]+/events$"),
    "ListTraits": re.compile(r"^/spaces/[^/]+/traits$"),
    "ListPropertiesFromEvent": re.compile(r"^/spaces/[^/]+/events/[^/]+/properties$"),
}


def operation(entry: dict[str, Any]) -> str:
    """The space schema operation an entry of the request log is, else its method and path."""
    path = str(entry["path"])
    if entry["method"] == "GET":
        for name, pattern in SCHEMA_OPERATIONS.items():
            if pattern.match(path):
                return name
    return f"{entry['method']} {path}"


def event_name(n: int) -> str:
    return f"Benchmark event {n}"


def seed_file(events: int, folder: Path) -> Path:
    """The examples' seed with ``events`` more events seen in the dev space."""
    seed: dict[str, Any] = yaml.safe_load(Path(SEED).read_text())
    for workspace in seed["workspaces"]:
        for space in workspace.get("spaces", []):
            if space["slug"] == SPACE_SLUG:
                space["events"] += [
                    {
                        "name": event_name(n),
                        "type": "TRACK",
                        "properties": {"direction": ["Inbound", "Outbound"]},
                    }
                    for n in range(events)
                ]
    path = folder / "space-schema-seed.yaml"
    path.write_text(yaml.safe_dump(seed, sort_keys=False))
    return path


def traits(events: int, count: int) -> list[TraitSpec]:
    inbound = prop("direction") == "Inbound"
    return [
        TraitSpec(
            name=f"Inbound e{n % events} d{n // events + 1}",
            key=f"inbound_e{n % events}_d{n // events + 1}",
            description="Benchmark: inbound events of one kind within some days.",
            definition=event_counter(event_name(n % events))
            .where(inbound)
            .within(days=n // events + 1),
        )
        for n in range(count)
    ]


def program(specs: list[TraitSpec]) -> Callable[[], None]:
    """The example's dev stack, its computed traits ``specs``."""

    def body() -> None:
        settings = {
            "hostname": "warehouse.dev.acme.example",
            "port": "5432",
            "database": "analytics_dev",
            "username": "segment_dev",
            "password": "emulator-only-password",
        }
        made = UnifiedProfilesStack(
            "unify",
            UnifiedProfilesStackArgs(
                space_slug=SPACE_SLUG,
                profile_api_token=pulumi.Output.secret(demo.seed_token("dev")),
                sources=[SourceConfig("javascript", name="Website (dev)")],
                salesforce=SalesforceConfig(),
                warehouse=WarehouseConfig("postgres", pulumi.Output.secret(settings)),
                profiles_sync=ProfilesSyncConfig(),
                computed_traits=specs,
                audiences=[
                    AudienceConfig("Frequent callers", f"trait('{specs[0].key}') >= 3"),
                    AudienceConfig("Callers", f"trait('{specs[1].key}') >= 1"),
                ],
            ),
        )
        pulumi.export("pendingSteps", made.pending_steps)

    return body


@contextmanager
def _paced_here(scale: float) -> Iterator[None]:
    """The program's own process paces its space read on the emulator's clock too."""
    saved = {key: os.environ.get(key) for key in window_env(scale)}
    os.environ.update(window_env(scale))
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _config(emulator: EmulatorHandle) -> dict[str, str]:
    return {
        "segment:token": emulator.token,
        "segment:endpoint": emulator.url,
        "segment:profileEndpoint": emulator.profile_url,
    }


def run(quick: bool = False) -> list[Row]:
    events = QUICK_EVENTS if quick else EVENTS
    count = QUICK_TRAITS if quick else TRAITS
    specs = traits(events, count)
    error = ""
    with (
        tempfile.TemporaryDirectory(prefix="space-schema-") as folder,
        spawn_emulator(seed=seed_file(events, Path(folder)), time_scale=TIME_SCALE) as emulator,
        provider_for(emulator, env=window_env(TIME_SCALE)) as provider,
        _paced_here(TIME_SCALE),
    ):
        engine = Engine(provider)
        started = time.monotonic()
        try:
            stack.run(
                program(specs), engine, config=_config(emulator), secret_keys=["segment:token"]
            )
        except Exception as exc:
            error = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else repr(exc)
        elapsed = time.monotonic() - started
        entries = emulator.request_log()
        made = len(emulator.objects(WORKSPACE, "computed_trait"))
    limited: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    for entry in entries:
        called = operation(entry)
        calls[called] += 1
        if entry.get("status") == 429:
            limited[called] += 1
    schema_calls = ", ".join(f"{op} {calls[op]}" for op in SCHEMA_OPERATIONS)
    passed = not error and sum(limited.values()) == 0 and made == count
    return [
        Row(
            f"Rate limits: the example with {count} computed traits over {events} events, 429s",
            f"{sum(limited.values())} 429s; errors {1 if error else 0}; traits made {made}/{count}",
            "0 429s, 0 errors, every trait made",
            passed,
            f"{seconds(elapsed)} on a clock {TIME_SCALE:g}x Segment's (window "
            f"{WINDOW_SECONDS / TIME_SCALE:g} s); calls at 25/min: {schema_calls}; "
            f"{len(entries)} calls in all"
            + (f"; 429s by operation: {dict(limited)}" if limited else "")
            + (f"; error: {error}" if error else ""),
        )
    ]
