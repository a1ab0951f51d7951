"""The `segment-emulator serve` process: announced lines, persistence across restarts."""

from __future__ import annotations

from pathlib import Path

import httpx

from segment_unify.emulator.cli import announce
from segment_unify.emulator.seed import load_seed
from segment_unify.emulator.testing import spawn_emulator

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed.yaml"


def test_serve__prints_exactly_the_three_lines(tmp_path: Path) -> None:
    with spawn_emulator(seed=SEED, db=str(tmp_path / "segment.db")) as emulator:
        port = emulator.url.rsplit(":", 1)[1]
        assert emulator.lines == [
            f"SEGMENT_PUBLIC_API_URL=http://127.0.0.1:{port}",
            f"SEGMENT_PROFILE_API_URL=http://127.0.0.1:{port}/profile-api",
            "SEGMENT_PUBLIC_API_TOKEN=sgp_FAKE_emulator_acme_contact_center_0000000000",
        ]
        with emulator.client() as client:
            assert client.get("/").status_code == 200


def test_announce__leaves_out_the_token_without_a_seed() -> None:
    assert announce(8080, []) == [
        "SEGMENT_PUBLIC_API_URL=http://127.0.0.1:8080",
        "SEGMENT_PROFILE_API_URL=http://127.0.0.1:8080/profile-api",
    ]


def test_announce__names_the_first_seeded_workspace_token() -> None:
    assert announce(1, [load_seed(SEED)])[2] == (
        "SEGMENT_PUBLIC_API_TOKEN=sgp_FAKE_emulator_acme_contact_center_0000000000"
    )


def create_everything(client: httpx.Client) -> None:
    source = client.post(
        "/sources", json={"slug": "web", "enabled": True, "metadataId": "IqDTy1TpoU"}
    ).json()["data"]["source"]
    retl = client.post(
        "/sources", json={"slug": "bq", "enabled": True, "metadataId": "78PbvP2yv8"}
    ).json()["data"]["source"]
    warehouse = client.post(
        "/warehouses", json={"metadataId": "55d3d3aea3c", "settings": {"password": "p"}}
    ).json()["data"]["warehouse"]
    client.post(f"/warehouses/{warehouse['id']}/connected-sources/{source['id']}")
    model = client.post(
        "/reverse-etl-models",
        json={
            "sourceId": retl["id"],
            "name": "m",
            "description": "d",
            "enabled": True,
            "query": "SELECT 1",
            "queryIdentifierColumn": "id",
        },
    ).json()["data"]["reverseEtlModel"]
    destination = client.post(
        "/destinations",
        json={"sourceId": retl["id"], "metadataId": "639c2dbb1309fdcad13951b6", "settings": {}},
    ).json()["data"]["destination"]
    client.post(
        f"/destinations/{destination['id']}/subscriptions",
        json={
            "name": "s",
            "actionId": "vm2tNA5U1zxUusQkdC4D7Z",
            "trigger": 'event = "new"',
            "enabled": True,
            "modelId": model["id"],
        },
    )
    space_id = client.get("/spaces").json()["data"]["spaces"][0]["id"]
    definition = {"type": "USERS", "query": "event('x').count()"}
    client.post(f"/spaces/{space_id}/computed-traits", json={"name": "X", "definition": definition})
    client.post(
        f"/spaces/{space_id}/audiences",
        json={"name": "A", "audienceType": "USERS", "definition": {"query": "trait('x') > 1"}},
    )
    client.post(
        f"/spaces/{space_id}/profiles-warehouses",
        json={"metadataId": "CCIl4HLQPz", "settings": {"password": "p"}},
    )


def test_restart__on_the_same_db_keeps_every_object(tmp_path: Path) -> None:
    db = str(tmp_path / "segment.db")
    with spawn_emulator(seed=SEED, db=db) as first:
        with first.client() as client:
            create_everything(client)
        before = first.state()
    kinds = {kind for kind, objects in before["workspaces"][0]["objects"].items() if objects}
    assert kinds >= {
        "source",
        "warehouse",
        "connection",
        "destination",
        "subscription",
        "reverse_etl_model",
        "computed_trait",
        "audience",
        "profiles_warehouse",
    }
    with spawn_emulator(seed=SEED, db=db) as second:
        assert second.state() == before
        with second.client() as client:
            assert len(client.get("/sources").json()["data"]["sources"]) == 4
