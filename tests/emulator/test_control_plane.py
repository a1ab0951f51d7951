"""The control plane under /__emulator: seeding, reset, request log, state, objects."""

from __future__ import annotations

import json

import httpx

from segment_unify.emulator.testing import InProcessEmulator
from tests.emulator.helpers import JAVASCRIPT

EXTRA_SEED = {
    "workspaces": [
        {
            "slug": "third-workspace",
            "name": "Third",
            "token": "sgp_FAKE_third_workspace",
            "spaces": [
                {
                    "slug": "third-space",
                    "name": "Third Space",
                    "profileApiToken": "pat_FAKE_third_space",
                    "predictions": [{"trait": "will_buy", "kind": "custom"}],
                    "events": [{"name": "Order Completed"}],
                }
            ],
        }
    ]
}


def test_seed__adds_a_workspace_usable_with_its_token(emulator: InProcessEmulator) -> None:
    emulator.seed(EXTRA_SEED)
    with emulator.client("third-workspace") as client:
        assert client.get("/").json()["data"]["workspace"]["slug"] == "third-workspace"
        spaces = client.get("/spaces").json()["data"]["spaces"]
        assert [s["slug"] for s in spaces] == ["third-space"]
        traits = client.get(f"/spaces/{spaces[0]['id']}/traits").json()["data"]["traits"]
        assert [t["trait"] for t in traits] == ["will_buy"]


def test_seed__twice_changes_nothing(emulator: InProcessEmulator) -> None:
    emulator.seed(EXTRA_SEED)
    before = emulator.state()
    emulator.seed(EXTRA_SEED)
    assert emulator.state() == before


def test_seed__marks_predictions_with_their_kind(emulator: InProcessEmulator) -> None:
    traits = emulator.objects("acme-contact-center", "trait")
    kinds = {(t["trait"], t["prediction"]) for t in traits if t["prediction"]}
    assert kinds == {("likelihood_to_churn", "churn"), ("predicted_ltv", "ltv")}


def test_seed__gives_each_space_its_personas_compute_write_key(emulator: InProcessEmulator) -> None:
    spaces = emulator.objects("acme-contact-center", "space")
    sources = {s["id"]: s for s in emulator.objects("acme-contact-center", "source")}
    write_keys = [sources[space["sourceId"]]["writeKeys"][0] for space in spaces]
    assert len(set(write_keys)) == 2


def test_reset__restores_the_startup_seed(emulator: InProcessEmulator, http: httpx.Client) -> None:
    http.post("/sources", json={"slug": "temp", "enabled": True, "metadataId": JAVASCRIPT})
    emulator.reset()
    assert "temp" not in {s["slug"] for s in emulator.objects("acme-contact-center", "source")}
    assert http.get("/spaces").status_code == 200


def test_reset__without_reseed_leaves_nothing(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.reset(reseed=False)
    assert emulator.state() == {"workspaces": []}
    assert http.get("/spaces").status_code == 401


def test_request_log__records_method_path_status_and_time(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.clear_request_log()
    http.get("/sources/doesNotExist0000000000")
    (entry,) = emulator.request_log()
    assert (entry["method"], entry["path"], entry["status"]) == (
        "GET",
        "/sources/doesNotExist0000000000",
        404,
    )
    assert entry["timestamp"]


def test_request_log__never_stores_a_token(emulator: InProcessEmulator, http: httpx.Client) -> None:
    http.get("/sources")
    with emulator.profile_client("unified-profiles-dev") as profile:
        profile.get("/v1/spaces/x/collections/users/profiles/user_id:1/traits")
    dumped = json.dumps(emulator.request_log())
    assert emulator.token not in dumped
    assert emulator.profile_tokens["unified-profiles-dev"] not in dumped
    assert "Bearer [REDACTED]" in dumped
    assert "Basic [REDACTED]" in dumped


def test_request_log__keeps_the_json_body(emulator: InProcessEmulator, http: httpx.Client) -> None:
    emulator.clear_request_log()
    http.post("/sources", json={"slug": "logged", "enabled": True, "metadataId": JAVASCRIPT})
    assert emulator.request_log()[0]["body"]["slug"] == "logged"


def test_state__never_holds_tokens(emulator: InProcessEmulator) -> None:
    dumped = json.dumps(emulator.state())
    for token in list(emulator.tokens.values()) + list(emulator.profile_tokens.values()):
        assert token not in dumped
    assert "Digests" not in dumped


def test_objects__unknown_kind_is_not_found(emulator: InProcessEmulator) -> None:
    response = httpx.get(f"{emulator.url}/__emulator/workspaces/acme-contact-center/objects/nope")
    assert response.status_code == 404
    assert "errors" in response.json()


def test_control_plane__needs_no_token(emulator: InProcessEmulator) -> None:
    assert httpx.get(f"{emulator.url}/__emulator/health").json() == {"status": "ok"}
