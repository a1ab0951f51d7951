"""Fault injection: every kind, matching, counts, reproducibility, and the CLI spec form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from segment_unify.emulator.faults import FaultRule, parse_fault_spec
from segment_unify.emulator.testing import InProcessEmulator, running_emulator
from tests.emulator.helpers import JAVASCRIPT

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed.yaml"
WORKSPACE = "acme-contact-center"


def slugs(emulator: InProcessEmulator) -> set[str]:
    return {source["slug"] for source in emulator.objects(WORKSPACE, "source")}


def create(http: httpx.Client, slug: str) -> httpx.Response:
    return http.post("/sources", json={"slug": slug, "enabled": True, "metadataId": JAVASCRIPT})


def test_latency__is_counted_and_the_request_served(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "latency", "latency_ms": 20}])
    assert http.get("/sources").status_code == 200
    assert emulator.fault_counts() == {"latency": 1}


def test_rate_limit__answers_segment_429_without_serving(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "rate_limit", "method": "POST"}])
    response = create(http, "limited")
    assert response.status_code == 429
    error = response.json()["errors"][0]
    assert error["type"] == "RequestError"
    assert set(error["data"]) == {"remainingPoints", "msBeforeNext", "consumedPoints"}
    assert "X-RateLimit-Reset" in response.headers
    assert "limited" not in slugs(emulator)


def test_server_error__answers_the_status_without_serving(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "server_error", "status": 502}])
    response = create(http, "broken")
    assert response.status_code == 502
    assert "errors" in response.json()
    assert "broken" not in slugs(emulator)


def test_drop__is_a_transport_error_and_nothing_is_written(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "drop", "method": "POST"}])
    with pytest.raises(httpx.TransportError):
        create(http, "dropped")
    assert "dropped" not in slugs(emulator)
    assert emulator.fault_counts() == {"drop": 1}


def test_lost_response__drops_the_connection_after_committing(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "lost_response", "method": "POST", "path": "^/sources$"}])
    with pytest.raises(httpx.TransportError):
        create(http, "committed")
    assert "committed" in slugs(emulator)
    entry = emulator.request_log()[-1]
    assert (entry["fault"], entry["status"], entry["handledStatus"]) == ("lost_response", 200, 201)


@pytest.mark.parametrize("status", [502, 504])
def test_lost_response__with_status_answers_it_after_committing(
    emulator: InProcessEmulator, http: httpx.Client, status: int
) -> None:
    emulator.set_faults([{"kind": "lost_response", "method": "POST", "status": status}])
    assert create(http, "committed").status_code == status
    assert "committed" in slugs(emulator)


def test_rule__matches_method_and_path_only(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "server_error", "method": "GET", "path": "^/warehouses"}])
    assert http.get("/sources").status_code == 200
    assert create(http, "fine").status_code == 201
    assert http.get("/warehouses").status_code == 503


def test_rule__max_count_limits_how_often_it_applies(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "server_error", "max_count": 2}])
    statuses = [http.get("/sources").status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    assert emulator.fault_counts() == {"server_error": 2}


def test_rule__after_lets_that_many_matching_requests_through_first(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults(
        [{"kind": "server_error", "method": "POST|PATCH", "after": 2, "max_count": 1}]
    )
    first = create(http, "first")
    renamed = http.patch(f"/sources/{first.json()['data']['source']['id']}", json={"name": "A"})
    assert http.get("/sources").status_code == 200  # not a write: not counted
    third = create(http, "third")
    fourth = create(http, "fourth")
    assert [first.status_code, renamed.status_code, third.status_code, fourth.status_code] == [
        201,
        200,
        503,
        201,
    ]
    assert emulator.fault_counts() == {"server_error": 1}


def test_rule__never_applies_to_the_control_plane(emulator: InProcessEmulator) -> None:
    emulator.set_faults([{"kind": "drop"}])
    assert emulator.objects(WORKSPACE, "space")


def test_clear_faults__serves_normally_again(
    emulator: InProcessEmulator, http: httpx.Client
) -> None:
    emulator.set_faults([{"kind": "server_error"}])
    emulator.clear_faults()
    assert http.get("/sources").status_code == 200


def faulted_requests(seed: int) -> list[int]:
    with (
        running_emulator(
            seed=SEED, faults=[{"kind": "server_error", "probability": 0.5}], fault_seed=seed
        ) as emulator,
        emulator.client() as client,
    ):
        return [i for i in range(30) if client.get("/sources").status_code == 503]


def test_probability__is_reproducible_for_a_seed() -> None:
    first, second = faulted_requests(7), faulted_requests(7)
    assert first == second
    assert 0 < len(first) < 30


def test_probability__differs_between_seeds() -> None:
    assert faulted_requests(7) != faulted_requests(8)


@pytest.fixture
def faulty() -> Iterator[InProcessEmulator]:
    with running_emulator(seed=SEED, faults=[FaultRule(kind="server_error", max_count=1)]) as e:
        yield e


def test_startup_faults__apply_from_the_first_request(faulty: InProcessEmulator) -> None:
    with faulty.client() as client:
        assert [client.get("/").status_code for _ in range(2)] == [503, 200]


def test_fault_spec__parses_the_cli_form() -> None:
    rule = parse_fault_spec("lost_response:0.25:method=POST,path=^/sources,status=504,max_count=3")
    assert rule == FaultRule(
        kind="lost_response",
        probability=0.25,
        method="POST",
        path="^/sources",
        status=504,
        max_count=3,
    )


def test_fault_spec__kind_alone_means_always() -> None:
    assert parse_fault_spec("drop") == FaultRule(kind="drop", probability=1.0)


def test_fault_spec__unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        parse_fault_spec("explode:0.5")
