"""Where the Segment token lives in state, and which token a refresh reads with.

Pulumi records every configuration value a dynamic provider is given as that provider's inputs
in the stack's state (secrets encrypted), and a plain `pulumi refresh` configures the provider
from there, not from the stack's current configuration: after the token is rotated, it reads
with the old one. `pulumi refresh --run-program` (and `pulumi up --refresh`) run the program,
so the provider gets the current token. These tests pin both down, so that the day Pulumi's
engine changes it they fail and say so; docs/using.md tells users which command to run.
"""

from __future__ import annotations

import json

import pytest

from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import example_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

PROGRAM = __import__("pathlib").Path(__file__).parent / "programs" / "ownership"


def test_the_token_is_in_state_only_encrypted_and_refresh_run_program_reads_with_the_current(
    backend: LocalBackend,
) -> None:
    with example_stack(backend, PROGRAM, "dev") as stack:
        stack.set_config("ownership:spaceSlug", "unified-profiles-dev")
        stack.pulumi("up", "--yes")
        token = stack.emulator.token
        exported = stack.export()
        assert token not in exported
        providers = [
            r
            for r in json.loads(exported)["deployment"]["resources"]
            if r["type"].startswith("pulumi:providers:")
        ]
        held = [
            p["inputs"].get("segment:token") for p in providers if "segment:token" in p["inputs"]
        ]
        assert held and all(isinstance(v, dict) and "ciphertext" in v for v in held), held

        # The token rotated: the stack's config now holds one Segment does not accept.
        stack.set_config("segment:token", "sgp_rotated_away_00000000000000", secret=True)
        stack.pulumi("refresh", "--yes")  # configured from the state: the old token still reads
        stale = stack.pulumi("refresh", "--yes", "--run-program", check=False)
        assert stale.returncode != 0
        assert "401" in stale.stdout + stale.stderr or "Unauthorized" in stale.stdout + stale.stderr
        assert "sgp_rotated_away" not in stale.stdout + stale.stderr

        stack.set_config("segment:token", token, secret=True)
        stack.pulumi("destroy", "--yes")
