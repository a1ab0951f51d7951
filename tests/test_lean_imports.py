"""What a Pulumi program imports at `pulumi up` (the provider, its resources, the components,
the query language, the policy pack, the `segment-unify` command) never imports the emulator's
web server, the demo's database driver or Segment's tracking library: those are extras."""

from __future__ import annotations

import subprocess
import sys

PROGRAM_SIDE = (
    "segment_unify.provider",
    "segment_unify.provider.resources",
    "segment_unify.provider.query",
    "segment_unify.components",
    "segment_unify.policies",
    "segment_unify.policies.rules",
    "segment_unify.query",
    "segment_unify.cli.main",
)
EXTRAS_ONLY = ("fastapi", "starlette", "uvicorn", "psycopg", "segment.analytics")


def test_the_program_side_of_the_package_imports_nothing_of_the_extras() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {PROGRAM_SIDE!r}:\n"
        "    importlib.import_module(name)\n"
        "import segment_unify.provider.resources as r\n"
        "for name in r.__all__:\n"
        "    getattr(r, name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {EXTRAS_ONLY!r}"
        f" or m in {EXTRAS_ONLY!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


def test_the_emulator_without_its_extra_names_the_install_that_brings_it() -> None:
    # `None` in sys.modules makes an import fail as if the package were not installed.
    script = (
        "import sys\n"
        "sys.modules['fastapi'] = None\n"
        "import importlib.util\n"
        "importlib.util.find_spec = lambda name, *a: None if name == 'fastapi' else 1\n"
        "import segment_unify.emulator\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "pip install 'pulumi-segment-unify[emulator]'" in done.stderr, done.stderr
