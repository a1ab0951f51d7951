"""The Profile API: traits, external ids, metadata; Basic auth per space; its error shape."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from segment_unify.emulator.testing import InProcessEmulator

DEV = "unified-profiles-dev"
PROD = "unified-profiles-prod"


def space_ids(emulator: InProcessEmulator) -> dict[str, str]:
    return {
        space["slug"]: space["id"] for space in emulator.objects("acme-contact-center", "space")
    }


@pytest.fixture
def dev(emulator: InProcessEmulator) -> Iterator[httpx.Client]:
    with emulator.profile_client(DEV) as client:
        yield client


@pytest.fixture
def profile_path(emulator: InProcessEmulator) -> str:
    space_id = space_ids(emulator)[DEV]
    return f"/v1/spaces/{space_id}/collections/users/profiles"


def assert_profile_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_traits__returns_the_profile_traits_and_a_cursor(
    dev: httpx.Client, profile_path: str
) -> None:
    response = dev.get(f"{profile_path}/user_id:cust-1001/traits")
    assert response.status_code == 200
    body = response.json()
    assert body["traits"]["first_name"] == "Ada"
    assert body["traits"]["likelihood_to_churn"] == 0.12
    assert body["cursor"]["has_more"] is False
    assert body["cursor"]["url"].startswith("/v1/spaces/")


def test_traits__profile_found_by_any_external_id(dev: httpx.Client, profile_path: str) -> None:
    response = dev.get(f"{profile_path}/email:grace@example.com/traits")
    assert response.json()["traits"]["last_name"] == "Hopper"


def test_traits__include_filters_keys(dev: httpx.Client, profile_path: str) -> None:
    response = dev.get(
        f"{profile_path}/user_id:cust-1001/traits", params={"include": "email,predicted_ltv"}
    )
    assert response.json()["traits"] == {"email": "ada@example.com", "predicted_ltv": 1830.5}


def test_traits__limit_pages_with_next(dev: httpx.Client, profile_path: str) -> None:
    url = f"{profile_path}/user_id:cust-1001/traits"
    first = dev.get(url, params={"limit": 2}).json()
    assert len(first["traits"]) == 2
    assert first["cursor"]["has_more"] is True
    rest = dev.get(url, params={"limit": 200, "next": first["cursor"]["next"]}).json()
    assert set(first["traits"]).isdisjoint(rest["traits"])
    assert len(first["traits"]) + len(rest["traits"]) == 5


def test_traits__limit_out_of_bounds_is_a_validation_error(
    dev: httpx.Client, profile_path: str
) -> None:
    response = dev.get(f"{profile_path}/user_id:cust-1001/traits", params={"limit": 500})
    assert_profile_error(response, 400, "validation_error")


def test_external_ids__lists_every_identifier(dev: httpx.Client, profile_path: str) -> None:
    response = dev.get(f"{profile_path}/user_id:cust-1001/external_ids")
    assert response.status_code == 200
    rows = response.json()["data"]
    assert {(row["type"], row["id"]) for row in rows} == {
        ("user_id", "cust-1001"),
        ("email", "ada@example.com"),
        ("phone", "+15550101001"),
    }
    assert set(rows[0]) >= {"source_id", "collection", "id", "type", "created_at", "encoding"}


def test_metadata__returns_the_profile_metadata(dev: httpx.Client, profile_path: str) -> None:
    response = dev.get(f"{profile_path}/user_id:cust-1002/metadata")
    assert response.status_code == 200
    assert set(response.json()["metadata"]) >= {
        "created_at",
        "updated_at",
        "first_message_id",
        "first_source_id",
        "last_message_id",
        "last_source_id",
    }


def test_unknown_profile__is_not_found(dev: httpx.Client, profile_path: str) -> None:
    assert_profile_error(dev.get(f"{profile_path}/user_id:nobody/traits"), 404, "not_found")


def test_profile_of_another_space__is_not_found(dev: httpx.Client, profile_path: str) -> None:
    assert_profile_error(dev.get(f"{profile_path}/user_id:cust-2001/traits"), 404, "not_found")


def test_missing_token__is_an_authentication_error(
    emulator: InProcessEmulator, profile_path: str
) -> None:
    response = httpx.get(f"{emulator.profile_url}{profile_path}/user_id:cust-1001/traits")
    assert_profile_error(response, 401, "authentication_error")


def test_wrong_token__is_an_authentication_error(
    emulator: InProcessEmulator, profile_path: str
) -> None:
    response = httpx.get(
        f"{emulator.profile_url}{profile_path}/user_id:cust-1001/traits", auth=("pat_wrong", "")
    )
    assert_profile_error(response, 401, "authentication_error")


def test_token_of_another_space__is_an_authentication_error(
    emulator: InProcessEmulator, profile_path: str
) -> None:
    with emulator.profile_client(PROD) as prod:
        response = prod.get(f"{profile_path}/user_id:cust-1001/traits")
    assert_profile_error(response, 401, "authentication_error")


def test_public_api_token__is_not_a_profile_api_token(
    emulator: InProcessEmulator, profile_path: str
) -> None:
    response = httpx.get(
        f"{emulator.profile_url}{profile_path}/user_id:cust-1001/traits", auth=(emulator.token, "")
    )
    assert_profile_error(response, 401, "authentication_error")


def test_unknown_route__uses_the_profile_api_error_shape(dev: httpx.Client) -> None:
    assert_profile_error(dev.get("/v1/nothing/here"), 404, "not_found")


def test_accounts_collection__does_not_hold_users(
    dev: httpx.Client, emulator: InProcessEmulator
) -> None:
    space_id = space_ids(emulator)[DEV]
    response = dev.get(
        f"/v1/spaces/{space_id}/collections/accounts/profiles/user_id:cust-1001/traits"
    )
    assert_profile_error(response, 404, "not_found")
