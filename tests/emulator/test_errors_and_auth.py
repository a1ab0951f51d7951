"""Error envelopes of paths FastAPI would answer itself, authentication, workspace isolation."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator
from tests.emulator.helpers import JAVASCRIPT, Target, assert_error, create_source


@pytest.mark.real_segment
def test_request__without_token_is_unauthorized(target: Target) -> None:
    response = httpx.get(str(target.client.base_url.join("/sources")))
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"]


@pytest.mark.real_segment
def test_request__with_unknown_token_is_unauthorized(target: Target) -> None:
    headers = {"Authorization": "Bearer sgp_not_a_real_token"}
    response = httpx.get(str(target.client.base_url.join("/sources")), headers=headers)
    assert response.status_code == 401


def test_unauthorized__uses_segment_error_envelope(emulator: InProcessEmulator) -> None:
    assert_error(httpx.get(emulator.url + "/sources"), 401, "Unauthorized")


def test_unauthorized__basic_scheme_is_refused(emulator: InProcessEmulator) -> None:
    response = httpx.get(emulator.url + "/sources", auth=(emulator.token, ""))
    assert_error(response, 401, "Unauthorized")


def test_unauthorized__message_never_echoes_the_token(emulator: InProcessEmulator) -> None:
    headers = {"Authorization": "Bearer sgp_wrong_token_value"}
    response = httpx.get(emulator.url + "/sources", headers=headers)
    assert "sgp_wrong_token_value" not in response.text


def test_unknown_route__is_not_found_in_segment_envelope(http: httpx.Client) -> None:
    response = http.get("/no/such/route")
    assert_error(response, 404, "NotFound")
    assert "detail" not in response.json()


def test_wrong_method__is_refused_in_segment_envelope(http: httpx.Client) -> None:
    response = http.put("/sources")
    assert_error(response, 405, "MethodNotAllowed")
    assert "detail" not in response.json()


def test_validation_error__never_uses_fastapi_detail(http: httpx.Client) -> None:
    response = http.post("/sources", json=[1, 2])
    assert_error(response, 422, "ValidationFailure")
    assert "detail" not in response.json()


def test_nested_validation_error__names_the_dotted_field(http: httpx.Client) -> None:
    space_id = http.get("/spaces").json()["data"]["spaces"][0]["id"]
    body = {"name": "x", "definition": {"type": "USERS"}}
    response = http.post(f"/spaces/{space_id}/computed-traits", json=body)
    assert_error(response, 422, "ValidationFailure", "definition.query")


@pytest.fixture
def other(emulator: InProcessEmulator) -> Iterator[httpx.Client]:
    """A client with the token of the seed's second workspace."""
    with emulator.client("other-workspace") as client:
        yield client


def test_cross_workspace__source_of_another_workspace_is_not_found(
    target: Target, other: httpx.Client
) -> None:
    source = create_source(target, JAVASCRIPT)
    assert_error(other.get(f"/sources/{source['id']}"), 404, "NotFound")
    assert_error(other.delete(f"/sources/{source['id']}"), 404, "NotFound")
    assert target.client.get(f"/sources/{source['id']}").status_code == 200


def test_cross_workspace__space_of_another_workspace_is_not_found(
    http: httpx.Client, other: httpx.Client
) -> None:
    space_id = http.get("/spaces").json()["data"]["spaces"][0]["id"]
    assert_error(other.get(f"/spaces/{space_id}"), 404, "NotFound")
    assert_error(other.get(f"/spaces/{space_id}/traits"), 404, "NotFound")


def test_cross_workspace__computed_trait_of_another_workspace_is_not_found(
    http: httpx.Client, other: httpx.Client
) -> None:
    space_id = http.get("/spaces").json()["data"]["spaces"][0]["id"]
    body = {"name": "Calls", "definition": {"type": "USERS", "query": "event('x').count()"}}
    trait = http.post(f"/spaces/{space_id}/computed-traits", json=body).json()["data"][
        "computedTrait"
    ]
    response = other.get(f"/spaces/{space_id}/computed-traits/{trait['id']}")
    assert_error(response, 404, "NotFound")


def test_cross_workspace__lists_show_only_own_objects(target: Target, other: httpx.Client) -> None:
    source = create_source(target, JAVASCRIPT)
    other_sources = other.get("/sources").json()["data"]["sources"]
    assert source["id"] not in {s["id"] for s in other_sources}
    other_spaces = other.get("/spaces").json()["data"]["spaces"]
    assert [s["slug"] for s in other_spaces] == ["other-space"]


def test_cross_workspace__body_reference_to_another_workspace_is_refused(
    target: Target, other: httpx.Client
) -> None:
    source = create_source(target, "78PbvP2yv8")
    body = {"sourceId": source["id"], "metadataId": "639c2dbb1309fdcad13951b6", "settings": {}}
    assert_error(other.post("/destinations", json=body), 422, "ValidationFailure", "sourceId")


def test_a_deeply_nested_body_is_a_bad_request_and_the_emulator_stays_healthy(
    emulator: InProcessEmulator,
) -> None:
    headers = {"Authorization": f"Bearer {emulator.token}", "Content-Type": "application/json"}
    body = '{"slug": "deep", "metadataId": "IqDTy1TpoU", "settings": ' + "[" * 1000 + "]" * 1000
    body += "}"
    with httpx.Client(base_url=emulator.url, headers=headers) as http:
        nested = http.post("/sources", content=body)
        assert_error(nested, 400, "BadRequest")
        # The same connection serves the next request, and the log holds both.
        assert http.get("/sources").status_code == 200
    logged = [(e["method"], e["path"]) for e in emulator.request_log()[-2:]]
    assert logged == [("POST", "/sources"), ("GET", "/sources")]
