"""A stack of a Pulumi project under the real CLI, against a spawned emulator.

Used by the e2e tests and the benchmarks that measure the engine path.

Each stack gets its own file backend, Pulumi home and emulator database under a temporary
folder, and the project laid out there (``LocalBackend.project``: files linked, stack config
copied), with the emulator's address and the seed's secrets set through ``pulumi config set``
(``--secret`` where a user would), so the checkout's config files stay as committed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from segment_unify import demo
from segment_unify.emulator.testing import EmulatorHandle, spawn_emulator
from segment_unify.pulumi_cli import LocalBackend

WORKSPACE = "acme-contact-center"
EXAMPLES = demo.ROOT / "examples"
POLICIES = demo.ROOT / "policies"


@dataclass
class Stack:
    backend: LocalBackend
    project: Path
    name: str
    emulator: EmulatorHandle
    # Object ids per kind before the stack's first `up` (the seed's), to tell what it made.
    baseline: dict[str, set[str]] = field(default_factory=dict)

    def pulumi(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.backend.run(*args, "--stack", self.name, cwd=self.project, check=check)

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.pulumi("config", "set", key, value, *(["--secret"] if secret else []))

    def set_object(self, key: str, value: Any) -> None:
        """A structured value, written into the stack's config file as a user edits it."""
        path = self.project / f"Pulumi.{self.name}.yaml"
        doc = yaml.safe_load(path.read_text()) or {}
        doc.setdefault("config", {})[key] = value
        path.write_text(yaml.safe_dump(doc, sort_keys=False))

    def outputs(self, *, show_secrets: bool = False) -> dict[str, Any]:
        flags = ["--show-secrets"] if show_secrets else []
        raw = self.pulumi("stack", "output", "--json", *flags).stdout
        result: dict[str, Any] = json.loads(raw)
        return result

    def export(self) -> str:
        return self.pulumi("stack", "export").stdout

    def resources(self) -> list[dict[str, Any]]:
        deployment = json.loads(self.export())["deployment"]
        found: list[dict[str, Any]] = deployment.get("resources") or []
        return found

    def state_ids(self, type_suffix: str) -> list[str]:
        """Segment ids of one resource type in the state (a nested id's last part)."""
        return [
            str(r["id"]).rsplit("/", 1)[-1]
            for r in self.resources()
            if r["type"].endswith(type_suffix) and r.get("id")
        ]

    def objects(self, kind: str) -> list[dict[str, Any]]:
        return self.emulator.objects(WORKSPACE, kind)

    def ids(self, kind: str) -> set[str]:
        return {str(o["id"]) for o in self.objects(kind)}

    def remember_baseline(self, kinds: tuple[str, ...]) -> None:
        self.baseline = {kind: self.ids(kind) for kind in kinds}

    def made(self, kind: str) -> set[str]:
        """Ids of one kind that the seed did not hold."""
        return self.ids(kind) - self.baseline.get(kind, set())


def stack_settings(emulator: EmulatorHandle, project: Path, stack: str) -> dict[str, str]:
    settings = {
        "segment:endpoint": emulator.url,
        "segment:profileEndpoint": emulator.profile_url,
        "segment:token": emulator.token,
    }
    if project.name == demo.PROJECT:
        settings.update(demo.demo_secrets(demo.seed_token(stack)))
    return settings


def init_stack(
    backend: LocalBackend,
    project: Path,
    stack: str,
    emulator: EmulatorHandle,
    *,
    config: Mapping[str, str] | None = None,
) -> Stack:
    """A new stack of ``project`` (laid out under the backend's work folder) on ``emulator``."""
    laid_out = backend.project(project)
    handle = Stack(backend, laid_out, stack, emulator)
    backend.run("stack", "init", stack, cwd=laid_out)
    settings = {**stack_settings(emulator, project, stack), **(config or {})}
    for key, value in settings.items():
        handle.set_config(key, value, secret=key in demo.SECRET_KEYS)
    return handle


@contextmanager
def example_stack(
    backend: LocalBackend,
    project: Path,
    stack: str,
    *,
    config: Mapping[str, str] | None = None,
    **emulator_options: Any,
) -> Iterator[Stack]:
    """A new stack of ``project`` on an emulator of its own (seeded with the examples' seed)."""
    db = str(backend.work / f"emulator-{project.name}-{stack}.db")
    with spawn_emulator(seed=demo.SEED, db=db, **emulator_options) as emulator:
        yield init_stack(backend, project, stack, emulator, config=config)


# The kinds of object the example stack makes (what `destroy` must leave none of).
STACK_MADE = (
    "source",
    "warehouse",
    "connection",
    "reverse_etl_model",
    "destination",
    "subscription",
    "profiles_warehouse",
    "computed_trait",
    "audience",
)


@contextmanager
def example_up(pulumi: Path, work: Path, stack: str) -> Iterator[Stack]:
    """`examples/unified-profiles` after one `up` of ``stack``, what the seed held noted."""
    with example_stack(LocalBackend(pulumi, work), EXAMPLES / demo.PROJECT, stack) as made:
        made.remember_baseline(STACK_MADE)
        made.pulumi("up", "--yes")
        yield made
