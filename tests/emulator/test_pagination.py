"""Pagination: both query forms, several pages, count bounds, cursors."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.emulator.helpers import JAVASCRIPT, Target, assert_error, create_source

FORMS = {
    "dotted": ("pagination.count", "pagination.cursor"),
    "bracketed": ("pagination[count]", "pagination[cursor]"),
}


def collect(client: httpx.Client, count_key: str, cursor_key: str, count: int) -> list[str]:
    ids: list[str] = []
    params: dict[str, str | int] = {count_key: count}
    pages = 0
    while True:
        response = client.get("/sources", params=params)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert len(data["sources"]) <= count
        ids += [source["id"] for source in data["sources"]]
        pages += 1
        next_cursor = data["pagination"]["next"]
        if next_cursor is None:
            return ids
        assert pages < 50
        params = {count_key: count, cursor_key: next_cursor}


@pytest.mark.real_segment
@pytest.mark.parametrize("form", sorted(FORMS))
def test_pagination__walks_every_page_once(target: Target, form: str) -> None:
    for _ in range(5):
        create_source(target, JAVASCRIPT, disconnectAllWarehouses=True)
    everything = target.client.get("/sources", params={"pagination.count": 1000}).json()
    expected = [s["id"] for s in everything["data"]["sources"]]
    assert len(expected) >= 7
    assert collect(target.client, *FORMS[form], count=2) == expected


@pytest.mark.real_segment
def test_pagination__first_page_reports_current_next_and_total(target: Target) -> None:
    for _ in range(3):
        create_source(target, JAVASCRIPT, disconnectAllWarehouses=True)
    pagination = target.client.get("/sources", params={"pagination.count": 2}).json()["data"][
        "pagination"
    ]
    assert pagination["current"] == "MA=="
    assert pagination["next"]
    assert pagination["totalEntries"] >= 5


def test_pagination__last_page_has_null_next_and_a_previous(target: Target) -> None:
    for _ in range(3):
        create_source(target, JAVASCRIPT, disconnectAllWarehouses=True)
    total = target.client.get("/sources").json()["data"]["pagination"]["totalEntries"]
    last_cursor = base64.b64encode(str(total - 1).encode()).decode()
    pagination = target.client.get(
        "/sources", params={"pagination.count": 1, "pagination.cursor": last_cursor}
    ).json()["data"]["pagination"]
    assert pagination["next"] is None
    assert pagination["previous"]
    assert pagination["current"] == last_cursor


def test_pagination__default_count_is_200(target: Target) -> None:
    emulator = target.require_emulator("needs more than 200 events seen in a space (seeded)")
    events = [{"name": f"Event {i:03d}"} for i in range(205)]
    space = {"slug": "busy", "name": "Busy", "profileApiToken": "pat_FAKE_busy", "events": events}
    workspace = {"slug": "busy", "name": "Busy", "token": "sgp_FAKE_busy", "spaces": [space]}
    emulator.seed({"workspaces": [workspace]})
    with emulator.client("busy") as client:
        space_id = client.get("/spaces").json()["data"]["spaces"][0]["id"]
        data = client.get(f"/spaces/{space_id}/events").json()["data"]
    assert len(data["events"]) == 200
    assert data["pagination"]["totalEntries"] == 205
    assert data["pagination"]["next"]


@pytest.mark.real_segment
@pytest.mark.parametrize("count", [0, 1001, -1])
@pytest.mark.parametrize("form", sorted(FORMS))
def test_pagination__count_out_of_bounds_is_refused(
    api: httpx.Client, count: int, form: str
) -> None:
    response = api.get("/sources", params={FORMS[form][0]: count})
    assert_error(response, 422, "ValidationFailure")


def test_pagination__count_out_of_bounds_names_the_field(api: httpx.Client) -> None:
    response = api.get("/sources", params={"pagination[count]": 1001})
    assert_error(response, 422, "ValidationFailure", "pagination.count")


@pytest.mark.real_segment
@pytest.mark.parametrize("count", [1, 1000])
def test_pagination__count_bounds_are_accepted(api: httpx.Client, count: int) -> None:
    assert api.get("/sources", params={"pagination.count": count}).status_code == 200


def test_pagination__garbage_cursor_is_refused(api: httpx.Client) -> None:
    response = api.get("/sources", params={"pagination.cursor": "%%%not-base64"})
    assert_error(response, 422, "ValidationFailure", "pagination.cursor")


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/catalog/sources", "sourcesCatalog"),
        ("/spaces", "spaces"),
        ("/warehouses", "warehouses"),
        ("/destinations", "destinations"),
        ("/reverse-etl-models", "models"),
    ],
)
def test_pagination__every_list_accepts_the_bracketed_form(
    api: httpx.Client, path: str, key: str
) -> None:
    response = api.get(path, params={"pagination[count]": 1})
    assert response.status_code == 200
    assert len(response.json()["data"][key]) <= 1
