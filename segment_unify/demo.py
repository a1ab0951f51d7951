"""The main job: the Unified Profiles example stack, `pulumi up` against the embedded emulator.

``python -m segment_unify.demo [--stack dev|prod]`` (what ``make demo`` runs; from an installed
wheel too, which carries the example and the seed, working under ``./.segment-unify-demo``):

1. starts the Segment emulator seeded with ``examples/seed.yaml``;
2. with the Pulumi CLI (built once from Pulumi's Go modules where ``go`` is on PATH, see
   ``segment_unify.pulumi_cli``; else ``pulumi`` on PATH): the example's virtualenv made with
   ``pulumi install``, a local file backend under ``.demo/`` (no Pulumi account), the stack
   selected or created, its config pointed at the emulator, ``pulumi up --yes``; run it again
   and Pulumi reports no changes;
3. only where neither ``go`` nor ``pulumi`` exists: says so and how to install the CLI, then runs
   the same program through ``localrun`` (Pulumi's mocks for the program, the real provider
   process for every Segment object), twice, showing that the second run changes nothing;
4. prints the sheet Segment says to note before connecting the space to Twilio;
5. shows data moving through what was set up (``segment_unify.demo_profile``): the Reverse ETL
   model run once over a small accounts table in a throwaway PostgreSQL on loopback (the stack's
   warehouse and Reverse ETL source point at it), a few Flex interactions sent through
   Segment's Python library, and one customer's profile as Twilio Studio's "Search for a
   Profile" reads it. Where PostgreSQL's server is not installed (Debian: ``apt-get install
   postgresql``), it says so and shows the profile without the warehouse's traits;
6. ends with ``segment-unify doctor``'s report over the setup (a table, and the page
   ``doctor.html`` in the work folder); the demo exits 1 if a check failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from segment_unify.demo_profile import show_customer
from segment_unify.local_postgres import LocalPostgres, PostgresUnavailableError, running_postgres

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# In a checkout the examples sit beside the package; an installed wheel carries them inside it.
IN_CHECKOUT = (ROOT / "pyproject.toml").is_file() and (ROOT / "examples" / "seed.yaml").is_file()
EXAMPLES = ROOT / "examples" if IN_CHECKOUT else PACKAGE / "examples"
EXAMPLE = EXAMPLES / "unified-profiles"
SEED = EXAMPLES / "seed.yaml"
WORK = ROOT / ".demo" if IN_CHECKOUT else Path.cwd() / ".segment-unify-demo"
PROJECT = "unified-profiles"
# Only guards the demo's local state files; the emulator's tokens are fake.
DEMO_PASSPHRASE = "segment-unify-demo"

INSTALL_HINT = """\
Neither the Pulumi CLI nor Go (to build it: make pulumi-cli) is on PATH. Install the CLI with
Pulumi's official installer:
    curl -fsSL https://get.pulumi.com | sh    (then add ~/.pulumi/bin to PATH)
or: brew install pulumi/tap/pulumi  |  choco install pulumi  |  winget install pulumi
Until then this demo runs the same program through the provider's gRPC protocol directly
(segment_unify.localrun: Pulumi's mocks for the program, not Pulumi's engine)."""

SHEET = [
    ("Workspace ID", "workspaceId"),
    ("Workspace slug", "workspaceSlug"),
    ("Unify space ID", "spaceId"),
    ("Unify space slug", "spaceSlug"),
    ("Profile API access token", "profileApiToken"),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="segment-unify-demo", description=__doc__.split("\n")[0])
    parser.add_argument("--stack", default="dev", choices=["dev", "prod"])
    parser.add_argument(
        "--local", action="store_true", help="run without the Pulumi CLI even where it is installed"
    )
    args = parser.parse_args(argv)
    missing = _missing_demo_extra()
    if missing:
        print(missing, file=sys.stderr)
        return 2

    from segment_unify.emulator.testing import spawn_emulator
    from segment_unify.pulumi_cli import locate

    WORK.mkdir(exist_ok=True)
    pulumi = None if args.local else locate()
    # The CLI keeps state across runs, so the emulator must too; the local run keeps neither.
    db = str(WORK / "emulator.db") if pulumi else ":memory:"
    with spawn_emulator(seed=SEED, db=db) as emulator, _warehouse() as warehouse:
        print(f"Segment emulator at {emulator.url} (seed {SEED})")
        endpoints = {
            "segment:endpoint": emulator.url,
            "segment:profileEndpoint": emulator.profile_url,
            "segment:token": emulator.token,
        }
        config = stack_config(args.stack, seed_token(args.stack))
        if warehouse is not None:
            config.update(warehouse_config(warehouse))
        if pulumi:
            outputs = run_with_cli(pulumi, args.stack, {**config, **endpoints})
        else:
            print(INSTALL_HINT)
            outputs = run_locally(args.stack, config, endpoints)
        print_sheet(outputs, args.stack)
        print()
        show_customer(emulator.url, emulator.token, seed_token(args.stack), outputs, warehouse)
        print()
        return run_doctor(
            emulator.url, emulator.profile_url, emulator.token, seed_token(args.stack), outputs
        )


def run_doctor(
    url: str, profile_url: str, token: str, profile_token: str, outputs: Mapping[str, Any]
) -> int:
    """The last step: `segment-unify doctor` over what was set up, as a table and a page."""
    from segment_unify.cli.doctor import diagnose
    from segment_unify.cli.doctor_html import as_html
    from segment_unify.cli.doctor_render import as_table, use_colour
    from segment_unify.demo_profile import CUSTOMER
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.profile_client import ProfileClient

    slug = str(outputs.get("spaceSlug"))
    print(
        f"segment-unify doctor --space {slug} --user user_id:{CUSTOMER} --html "
        f"{WORK / 'doctor.html'}:"
    )
    profiles = ProfileClient(profile_token, base_url=profile_url)
    try:
        with SegmentClient(token, base_url=url) as client:
            report = diagnose(client, profiles, slug, user=f"user_id:{CUSTOMER}", outputs=outputs)
    finally:
        profiles.close()
    (WORK / "doctor.html").write_text(as_html(report), encoding="utf-8")
    print(as_table(report, colour=use_colour(sys.stdout.isatty())), end="")
    print(f"The report as a page: {WORK / 'doctor.html'}")
    return 1 if report.failed else 0


def _missing_demo_extra() -> str | None:
    """Said before anything starts: the demo's last step sends Flex interactions through
    Segment's Python library, which only the ``demo`` extra installs."""
    import importlib.util

    if importlib.util.find_spec("segment") is not None:
        return None
    return (
        "The demo sends Flex interactions through Segment's Python library "
        "(segment-analytics-python), which is not installed here. Install the package again "
        "with its demo extra (what you installed it from, then [demo]), and run the demo again:\n"
        f"    {sys.executable} -m pip install '/path/to/pulumi_segment_unify-<version>-py3-none-any"
        ".whl[demo]'"
    )


@contextmanager
def _warehouse() -> Iterator[LocalPostgres | None]:
    """A throwaway PostgreSQL for the stack's warehouse, or None, saying why."""
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailableError as unavailable:
        print(
            f"No warehouse: {unavailable}. The stack keeps its example warehouse settings and "
            "the Reverse ETL model is not run; the profile below has no warehouse traits."
        )
        yield None


def warehouse_config(warehouse: LocalPostgres) -> dict[str, str]:
    """The stack's warehouse pointed at the local PostgreSQL (settings and password)."""
    settings = {k: v for k, v in warehouse.settings().items() if k != "password"}
    return {
        f"{PROJECT}:warehouse": json.dumps({"type": "postgres", "settings": settings}),
        f"{PROJECT}:warehouseSecrets": json.dumps({"password": warehouse.password}),
    }


def stack_config(stack: str, profile_token: str) -> dict[str, Any]:
    """The example stack's config file, plus the secrets the emulator's seed holds."""
    doc = yaml.safe_load((EXAMPLE / f"Pulumi.{stack}.yaml").read_text()) or {}
    config: dict[str, Any] = {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in (doc.get("config") or {}).items()
        if not _is_secure(value)
    }
    config.update(demo_secrets(profile_token))
    return config


def demo_secrets(profile_token: str) -> dict[str, str]:
    """What a person sets with `pulumi config set --secret`, for the emulator's fake Segment."""
    return {
        f"{PROJECT}:profileApiToken": profile_token,
        f"{PROJECT}:warehouseSecrets": json.dumps({"password": "emulator-only-password"}),
    }


SECRET_KEYS = ("segment:token", f"{PROJECT}:profileApiToken", f"{PROJECT}:warehouseSecrets")
# Stack file settings the demo replaces at run time (the warehouse, pointed at local PostgreSQL).
OVERRIDABLE_KEYS = (f"{PROJECT}:warehouse",)


def _is_secure(value: Any) -> bool:
    return isinstance(value, Mapping) and "secure" in value


def seed_token(stack: str) -> str:
    """The Profile API token ``examples/seed.yaml`` gives the example's space of ``stack``."""
    seed = yaml.safe_load(SEED.read_text())
    slug = f"unified-profiles-{stack}"
    for workspace in seed["workspaces"]:
        for space in workspace.get("spaces", []):
            if space["slug"] == slug:
                return str(space["profileApiToken"])
    raise SystemExit(f"{SEED} has no space {slug!r}")


def run_locally(
    stack: str, config: Mapping[str, Any], endpoints: Mapping[str, str]
) -> dict[str, Any]:
    from segment_unify.localrun.engine import Engine, ProviderProcess
    from segment_unify.localrun.program import run_program

    program_config = {k: v for k, v in config.items() if not k.startswith("segment:")}
    secret_keys = [k for k in SECRET_KEYS if k in program_config]
    with ProviderProcess() as provider:
        provider.configure(endpoints)
        engine = Engine(provider)
        outputs: dict[str, Any] = {}
        for attempt in ("first run", "second run"):
            before = len(engine.steps)
            result = run_program(
                EXAMPLE / "__main__.py",
                engine,
                config=program_config,
                secret_keys=secret_keys,
                project=PROJECT,
                stack=stack,
            )
            steps = [kind for kind, _ in engine.steps[before:]]
            counts = {kind: steps.count(kind) for kind in sorted(set(steps))}
            summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"
            changes = sum(n for kind, n in counts.items() if kind != "same")
            print(f"{attempt}: {summary}" + ("" if changes else " (no changes)"))
            outputs = {
                k: ("[secret]" if k in result.secret_outputs and k != "profileApiToken" else v)
                for k, v in result.outputs.items()
            }
    return outputs


def run_with_cli(pulumi: Path, stack: str, config: Mapping[str, Any]) -> dict[str, Any]:
    from segment_unify.pulumi_cli import LocalBackend

    endpoints_keys = ("segment:endpoint", "segment:profileEndpoint")
    passphrase = os.environ.get("PULUMI_CONFIG_PASSPHRASE", DEMO_PASSPHRASE)
    backend = LocalBackend(pulumi, WORK, passphrase=passphrase)
    version = backend.run("version", cwd=EXAMPLE).stdout.strip()
    print(f"Pulumi CLI {version} ({pulumi}), state in {WORK / 'state'}")
    virtualenv = None
    if not IN_CHECKOUT:
        # The example's requirements name the checkout; installed, this environment has it all.
        virtualenv = Path(sys.prefix)
    else:
        backend.install(EXAMPLE, log=WORK / "pulumi-install.log")
    # The example laid out under the work folder (its stack config copied), so the emulator's
    # address, the secrets and the stack's encryption salt stay out of the example's folder.
    project = backend.project(EXAMPLE, virtualenv=virtualenv)
    cfg = ("--stack", stack)
    backend.run("stack", "select", stack, "--create", cwd=project)
    for key in (*endpoints_keys, *SECRET_KEYS, *(k for k in OVERRIDABLE_KEYS if k in config)):
        secret = ["--secret"] if key in SECRET_KEYS else []
        backend.run("config", "set", key, str(config[key]), *secret, *cfg, cwd=project)
    backend.run("up", "--yes", *cfg, cwd=project, capture=False)
    print("Running `pulumi up` again: it should report no changes.")
    backend.run("up", "--yes", "--expect-no-changes", *cfg, cwd=project, capture=False)
    raw = backend.run("stack", "output", "--json", "--show-secrets", *cfg, cwd=project)
    outputs: dict[str, Any] = json.loads(raw.stdout)
    return outputs


def print_sheet(outputs: Mapping[str, Any], stack: str) -> None:
    print()
    print(f"Connect the space to Twilio Unified Profiles ({stack}):")
    print("  Twilio Console > Unified Profiles > Use existing Segment Unify space")
    for label, key in SHEET:
        value = outputs.get(key, "(missing)")
        if key == "profileApiToken" and isinstance(value, str):
            shown = f"`pulumi stack output {key} --show-secrets`"
            value = f"{value[:4]}… (secret; the CLI shows it: {shown})"
        print(f"  {label:<26} {value}")
    steps = outputs.get("pendingSteps")
    if isinstance(steps, list) and steps:
        print()
        print("Steps left (`pulumi stack output pendingSteps` says why and where):")
        for step in steps:
            if isinstance(step, Mapping):
                waits = step.get("waitsFor") or []
                after = f" (after: {'; '.join(map(str, waits))})" if waits else ""
                print(f"  - {step.get('what')}{after}")


if __name__ == "__main__":
    sys.exit(main())
