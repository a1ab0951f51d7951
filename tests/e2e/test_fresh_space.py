"""A fresh Unify space under the real CLI: the first `up` of the example succeeds, saying what
waits, and a later `up` makes it once the space has it.

The space has seen no Flex events and holds no predictions (the seed's dev space without them).
The first `up` leaves the six Flex traits and both predictions out, warns, and lists them in the
`pendingSteps` output beside the steps only Segment's app takes. Then, as a person would: the
stack's `javascript` source is connected to the space (Segment's app; here the emulator's
control plane), Flex events arrive through the Tracking API with that source's write key, and
the predictions are made (Segment's app; here the seed). The next `up` makes the traits and
adopts the predictions, and nothing is pending but the app's own steps.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from segment_unify import demo
from segment_unify.emulator.testing import spawn_emulator
from segment_unify.pulumi_cli import LocalBackend
from segment_unify.pulumi_stack import EXAMPLES, STACK_MADE, Stack, init_stack
from tests.support.fresh_space import SPACE, fresh_seed

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1800)]

INITIATED = "Flex - Engagement Initiated"
COMPLETED = "Flex - Engagement Completed"
PREDICTIONS = [
    {"trait": "likelihood_to_churn", "kind": "churn", "name": "Likelihood to Churn"},
    {"trait": "predicted_ltv", "kind": "ltv", "name": "Predicted LTV"},
]


def _fresh_seed(path: Path) -> Path:
    path.write_text(yaml.safe_dump(fresh_seed(), sort_keys=False))
    return path


@dataclass
class FirstUp:
    """The stack after its first `up` on the fresh space, and what that `up` showed."""

    stack: Stack
    returncode: int
    printed: str
    pending: list[dict[str, Any]]
    traits_made: set[str]


@pytest.fixture(scope="module")
def fresh(
    pulumi_bin: Path, examples_installed: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FirstUp]:
    # The first `up` is made here, and what it showed kept, so each test reads it whatever
    # order the tests run in (a worker may tear the module's fixtures down between them).
    work = tmp_path_factory.mktemp("fresh")
    backend = LocalBackend(pulumi_bin, work)
    seed = _fresh_seed(work / "fresh-seed.yaml")
    with spawn_emulator(seed=seed, db=str(work / "emulator.db")) as emulator:
        stack = init_stack(backend, EXAMPLES / demo.PROJECT, "dev", emulator)
        stack.remember_baseline(STACK_MADE)
        done = stack.pulumi("up", "--yes", check=False)
        pending = _pending(stack) if done.returncode == 0 else []
        traits = stack.made("computed_trait")
        yield FirstUp(stack, done.returncode, done.stdout + done.stderr, pending, traits)


def _pending(stack: Stack) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = stack.outputs()["pendingSteps"]
    return steps


def _whats(steps: list[dict[str, Any]]) -> str:
    return "\n".join(step["what"] for step in steps)


def test_first_up_succeeds_leaving_out_what_the_space_cannot_have_yet(fresh: FirstUp) -> None:
    assert fresh.returncode == 0, fresh.printed
    assert fresh.traits_made == set()
    assert fresh.stack.made("warehouse") and fresh.stack.made("subscription")  # the rest
    steps = fresh.pending
    assert all(set(step) == {"what", "why", "where", "waitsFor"} for step in steps)
    whats = _whats(steps)
    for key in ("total_inbounds", "sentiment_in_last_interaction", "last_known_service_agent"):
        assert f"({key})" in whats, whats
    assert repr(INITIATED) in whats and repr(COMPLETED) in whats
    assert "'Likelihood to Churn' (likelihood_to_churn)" in whats
    assert "'Predicted LTV' (predicted_ltv)" in whats
    assert "Unify > Predictions > Create prediction" in json.dumps(steps)
    # In the order of Segment's guide: the space connected to Twilio (its Step 2) before the
    # sources, and before the traits that wait for the Flex events it brings.
    order = [
        "identity resolution rules",
        "Connect the Unify space to Twilio",
        "Connect the stack's sources to the Unify space",
        "Sign in to Salesforce",
        "warehouse's first sync",
        "Computed trait",
        "Prediction",
    ]
    positions = [next(i for i, s in enumerate(steps) if part in s["what"]) for part in order]
    assert positions == sorted(positions), whats
    assert "Profile sources" in steps[positions[2]]["where"]
    traits = [step for step in steps if step["what"].startswith("Computed trait")]
    assert all(step["waitsFor"] == ["Connect the Unify space to Twilio"] for step in traits)
    # Warned about, as well as listed.
    assert "left out until the space has seen" in fresh.printed


def _send_flex_interaction(stack: Stack, write_key: str) -> None:
    auth = httpx.BasicAuth(write_key, "")
    calls = [
        (
            INITIATED,
            {
                "direction": "Inbound",
                "channelType": "voice",
                "lastKnownAgentWorkerSid": "WK00000000000000000000000000000001",
                "duration": 184,
            },
        ),
        (COMPLETED, {"sentiment": "positive"}),
    ]
    for event, properties in calls:
        body = {"userId": "cust-1001", "event": event, "properties": properties}
        sent = httpx.post(f"{stack.emulator.url}/v1/track", json=body, auth=auth, timeout=30)
        assert sent.status_code == 200, sent.text


def _make_predictions(stack: Stack) -> None:
    seed = yaml.safe_load(demo.SEED.read_text())
    [workspace] = [w for w in seed["workspaces"] if w["slug"] == "acme-contact-center"]
    [space] = [s for s in workspace["spaces"] if s["slug"] == SPACE]
    document: dict[str, Any] = {
        "workspaces": [
            {
                "slug": workspace["slug"],
                "name": workspace["name"],
                "token": workspace["token"],
                "spaces": [
                    {
                        "slug": SPACE,
                        "name": space["name"],
                        "profileApiToken": space["profileApiToken"],
                        "predictions": PREDICTIONS,
                    }
                ],
            }
        ]
    }
    url = f"{stack.emulator.url}/__emulator/seed"
    httpx.post(url, json=document, timeout=30).raise_for_status()


def test_a_later_up_makes_them_once_the_space_has_them(fresh: FirstUp) -> None:
    assert fresh.returncode == 0, fresh.printed
    stack = fresh.stack
    outputs = stack.outputs()
    space_id, source_id = outputs["spaceId"], outputs["sourceIds"]["javascript"]
    with stack.emulator.client() as api:
        write_key = api.get(f"/sources/{source_id}").json()["data"]["source"]["writeKeys"][0]
    # Unify settings > Profile sources > Add source, in Segment's app.
    connect = f"{stack.emulator.url}/__emulator/spaces/{space_id}/sources/{source_id}"
    httpx.put(connect, timeout=30).raise_for_status()
    _send_flex_interaction(stack, write_key)
    _make_predictions(stack)

    done = stack.pulumi("up", "--yes", check=False)

    assert done.returncode == 0, done.stdout + done.stderr
    assert len(stack.made("computed_trait")) == 6
    outputs_after = stack.outputs()
    assert outputs_after["predictionTraitKeys"] == {
        "churn": "likelihood_to_churn",
        "ltv": "predicted_ltv",
    }
    whats = _whats(outputs_after["pendingSteps"])
    assert "Computed trait" not in whats and "Prediction" not in whats
    assert "Connect the Unify space to Twilio" in whats
    stack.pulumi("up", "--yes", "--expect-no-changes")
