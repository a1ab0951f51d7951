"""The secrets audit under the real CLI: after `pulumi up` of the example's dev stack run with
`-v=9 --logtostderr` (the engine's and every plugin's most verbose logs), a failing `up`, a
refresh and a `stack export`, where do the Public API token, the space's Profile API token and
the warehouse password appear? (The localrun audit, tests/security/test_secrets_audit.py,
covers the provider's own logs at DEBUG, the request log and the reprs.)

The table is printed (`pytest -s`); the test asserts zero in every place, and that each secret
is found in the stack's config file as ciphertext only, and in `stack output --show-secrets`
(the Profile API token), so the search is shown to find what is there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from segment_unify import demo
from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import EXAMPLES, example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

VERBOSE = ("-v=9", "--logtostderr", "--logflow")


def test_no_secret_in_state_export_verbose_logs_or_error_texts(
    pulumi_bin: Path, examples_installed: Path, tmp_path: Path
) -> None:
    backend = LocalBackend(pulumi_bin, tmp_path)
    with example_stack(backend, EXAMPLES / demo.PROJECT, "dev") as stack:
        secrets = {
            "Segment token": stack.emulator.token,
            "Profile API token": demo.seed_token("dev"),
            "warehouse password": "emulator-only-password",
        }
        up = stack.pulumi("up", "--yes", *VERBOSE)
        refresh = stack.pulumi("refresh", "--yes", *VERBOSE)
        # A failing run: the space's Profile API token replaced by a wrong one.
        stack.set_config(f"{demo.PROJECT}:profileApiToken", "pat_wrong_0000", secret=True)
        failed = stack.pulumi("up", "--yes", *VERBOSE, check=False)
        assert failed.returncode != 0
        stack.set_config(
            f"{demo.PROJECT}:profileApiToken", secrets["Profile API token"], secret=True
        )
        places = {
            "state export": stack.export(),
            "up -v=9: stdout and logs": up.stdout + up.stderr,
            "refresh -v=9: stdout and logs": refresh.stdout + refresh.stderr,
            "failing up -v=9: error text and logs": failed.stdout + failed.stderr,
            "stack output (plain)": stack.pulumi("stack", "output", "--json").stdout,
        }
        revealed = stack.pulumi("stack", "output", "--json", "--show-secrets").stdout
        config_file = (stack.project / "Pulumi.dev.yaml").read_text()

    width = max(len(p) for p in places) + 2
    print()
    print("place".ljust(width) + "".join(name.rjust(20) for name in secrets))
    found: dict[tuple[str, str], int] = {}
    for place, text in places.items():
        counts = {name: text.count(value) for name, value in secrets.items()}
        found.update({(place, name): n for name, n in counts.items()})
        print(place.ljust(width) + "".join(str(n).rjust(20) for n in counts.values()))
    print(f"(searched {sum(len(t) for t in places.values())} characters)")

    assert {key: n for key, n in found.items() if n} == {}
    assert secrets["Profile API token"] in revealed  # the search finds what is there
    assert all(value not in config_file for value in secrets.values())
    assert "secure:" in config_file
