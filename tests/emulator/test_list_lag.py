"""The list-lag fault: an object made under it is missing from list answers for a while.

Segment's lists can trail its writes by seconds; the provider must not read one empty listing
as proof that a create whose answer was lost was never applied. The lag is in Segment's
seconds and shrinks with the emulator's time scale, like its rate-limit windows.
"""

from __future__ import annotations

import time

import httpx

from segment_unify.emulator.testing import running_emulator
from tests.conftest import SEED_PATH
from tests.emulator.helpers import JAVASCRIPT


def _listed(http: httpx.Client) -> set[str]:
    body = http.get("/sources", params={"pagination.count": 1000}).json()
    return {source["slug"] for source in body["data"]["sources"]}


def test_list_lag__hides_a_new_object_from_lists_not_from_get() -> None:
    with (
        running_emulator(seed=SEED_PATH, time_scale=10) as emulator,
        emulator.client() as http,
    ):
        before = _listed(http)
        emulator.set_faults([{"kind": "list_lag", "lag_seconds": 3}])
        made = http.post(
            "/sources", json={"slug": "laggy", "enabled": True, "metadataId": JAVASCRIPT}
        )
        assert made.status_code == 201
        source_id = made.json()["data"]["source"]["id"]
        # Hidden from the list, yet there: a GET by id and a second create both see it.
        assert _listed(http) == before
        assert http.get(f"/sources/{source_id}").status_code == 200
        again = http.post(
            "/sources", json={"slug": "laggy", "enabled": True, "metadataId": JAVASCRIPT}
        )
        assert again.status_code in (409, 422)
        time.sleep(0.4)  # 3 s of Segment's time at a time scale of 10
        assert _listed(http) == before | {"laggy"}
        assert emulator.fault_counts().get("list_lag") == 2  # both POSTs met the rule


def test_list_lag__applies_to_lost_responses_too() -> None:
    with (
        running_emulator(seed=SEED_PATH, time_scale=10) as emulator,
        emulator.client() as http,
    ):
        emulator.set_faults(
            [
                {"kind": "list_lag", "lag_seconds": 2},
                {"kind": "lost_response", "method": "POST", "status": 504},
            ]
        )
        answer = http.post(
            "/sources", json={"slug": "lost", "enabled": True, "metadataId": JAVASCRIPT}
        )
        assert answer.status_code == 504
        assert "lost" not in _listed(http)
        assert "lost" in {s["slug"] for s in emulator.objects("acme-contact-center", "source")}
        time.sleep(0.3)
        assert "lost" in _listed(http)


def test_list_lag__parses_from_the_cli_form() -> None:
    from segment_unify.emulator.faults import parse_fault_spec

    rule = parse_fault_spec("list_lag:1:lag_seconds=10")
    assert (rule.kind, rule.lag_seconds) == ("list_lag", 10.0)
