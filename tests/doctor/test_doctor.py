"""`segment-unify doctor` against the demo's setup: every check passes on the healthy setup, and
each failure the issue names is caused for real in the emulator, then named by doctor.

A test that breaks something puts it back before it ends (the setup is shared by the module),
so each test's doctor run sees the healthy setup plus its own fault only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from segment_unify import demo
from segment_unify.cli.doctor_render import as_table, use_colour
from segment_unify.cli.doctor_report import Check, Report
from segment_unify.emulator.testing import running_emulator
from tests.doctor.conftest import CUSTOMER, Setup, failed, statuses

pytestmark = pytest.mark.timeout(300)


def _api(setup: Setup) -> httpx.Client:
    return setup.emulator.client(timeout=30)


def _one(mapping: Any) -> str:
    return str(next(iter(mapping.values())))


def test_the_demos_healthy_setup_passes_every_check_and_exits_0(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
    assert failed(report) == {}
    assert {c["id"]: c["seen"] for c in report["checks"] if c["status"] != "PASS"} == {}
    assert code == 0 and report["status"] == "PASS"
    found = statuses(report)
    # Every stage of the guide was looked at, not skipped.
    for prefix in (
        "source:",
        "space-source:",
        "flex-event",
        "warehouse:",
        "salesforce:",
        "sync:",
        "destination:",
        "mapping:",
        "delivery:",
        "trait:",
        "predictions",
        "profiles-sync",
        "profile",
        "app-steps",
    ):
        assert any(i.startswith(prefix) for i in found), prefix
    # Counts are what happened: 3 warehouse rows delivered, 6 Flex traits carried.
    delivery = next(c for c in report["checks"] if c["id"].startswith("delivery:"))
    assert delivery["counts"] == {"delivered": 3, "failed": 0, "filtered": 0}
    assert sum(1 for i in found if i.startswith("trait:")) == 6
    profile = next(c for c in report["checks"] if c["id"] == "profile")
    assert "6 of 6 computed traits" in profile["seen"]
    # The JSON schema docs/doctor.md documents (version 1).
    assert list(report) == [
        "schemaVersion",
        "workspace",
        "space",
        "checkedAt",
        "windowHours",
        "status",
        "summary",
        "stages",
        "checks",
    ]
    assert report["schemaVersion"] == 1 and report["summary"]["FAIL"] == 0
    assert [s["id"] for s in report["stages"]] == [
        "access",
        "sources",
        "space",
        "warehouse",
        "reverse-etl",
        "segment-profiles",
        "traits",
        "profiles-sync",
        "profile",
        "app-steps",
    ]
    assert all(
        set(c) == {"id", "stage", "title", "status", "seen", "action", "where", "counts"}
        for c in report["checks"]
    )


def test_the_table_has_one_line_per_check_and_colour_only_on_a_terminal(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
    checks = [Check(**c) for c in report["checks"]]
    built = Report(
        report["workspace"],
        report["space"]["slug"],
        report["space"]["id"],
        report["checkedAt"],
        report["windowHours"],
        checks,
    )
    plain = as_table(built).splitlines()
    rows = [line for line in plain if line.startswith(("PASS", "WARN", "FAIL"))]
    assert len(rows) == len(checks) and "\033[" not in "".join(plain)
    assert plain[-1] == f"{len(checks)} passed, 0 warnings, 0 failed"
    assert "\033[32mPASS\033[0m" in as_table(built, colour=True)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_colour(True)
    monkeypatch.delenv("NO_COLOR")
    assert use_colour(True) and not use_colour(False)


def test_doctor_writes_nothing_to_segment(healthy: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    before = healthy.emulator.state()
    healthy.emulator.clear_request_log()
    code, _ = healthy.doctor(monkeypatch)  # no --user: it finds one through a preview
    calls = {(e["method"], e["path"]) for e in healthy.emulator.request_log()}
    writes = {
        c
        for c in calls
        if c[0] != "GET" and not (c[0] == "POST" and c[1].endswith("/audiences/previews"))
    }
    assert writes == set()
    assert ("POST", f"/spaces/{healthy.outputs['spaceId']}/audiences/previews") in calls
    after = healthy.emulator.state()
    # The preview is the only thing doctor leaves (Segment keeps previews a while, too).
    for kind in after:
        if kind != "audience_preview":
            assert after[kind] == before[kind], kind
    assert code == 0


def _track(setup: Setup, write_key: str, event: str, message_id: str, **properties: str) -> None:
    """One track call for the customer through the Tracking API, with a source's write key."""
    body = {"userId": CUSTOMER, "event": event, "messageId": message_id, "properties": properties}
    sent = httpx.post(f"{setup.emulator.url}/v1/track", auth=(write_key, ""), json=body, timeout=30)
    assert sent.status_code == 200, sent.text


@pytest.fixture
def unheard_source(healthy: Setup) -> Iterator[dict[str, Any]]:
    """A source sending events that nobody connected to the space."""
    with _api(healthy) as api:
        catalog = api.get("/catalog/sources", params={"pagination.count": 200}).json()["data"]
        http_api = next(m for m in catalog["sourcesCatalog"] if m["slug"] == "http-api")
        made = api.post(
            "/sources",
            json={"slug": "mobile-backend", "enabled": True, "metadataId": http_api["id"]},
        )
        source = made.json()["data"]["source"]
        try:
            _track(healthy, source["writeKeys"][0], "Order Completed", "unheard-1")
            yield source
        finally:
            api.delete(f"/sources/{source['id']}").raise_for_status()


def test_a_source_not_connected_to_the_space_fails(
    healthy: Setup, unheard_source: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
    assert code == 1
    assert list(failed(report)) == ["space-source:mobile-backend"]
    check = next(c for c in report["checks"] if c["id"] == "space-source:mobile-backend")
    assert "Order Completed" in check["seen"] and "not connected to the space" in check["seen"]
    assert "Profile sources" in check["where"]
    assert statuses(report)["source:mobile-backend"] == "PASS"  # it does receive events
    # Following the advice: connect the source to the space (the app's Profile sources step,
    # the emulator's control plane here), and what it sends next is heard.
    space_id = healthy.outputs["spaceId"]
    admin = f"{healthy.emulator.url}/__emulator"
    httpx.put(f"{admin}/spaces/{space_id}/sources/{unheard_source['id']}", timeout=30)
    _track(healthy, unheard_source["writeKeys"][0], "Order Completed", "unheard-2")
    code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
    assert statuses(report)["space-source:mobile-backend"] == "PASS", failed(report)
    assert code == 0


def test_a_disabled_mapping_fails(healthy: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    destination = healthy.outputs["destinationId"]
    mapping = _one(healthy.outputs["sendIdentifySubscriptionIds"])
    path = f"/destinations/{destination}/subscriptions/{mapping}"
    with _api(healthy) as api:
        api.patch(path, json={"input": {"enabled": False}}).raise_for_status()
        try:
            code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
        finally:
            api.patch(path, json={"input": {"enabled": True}}).raise_for_status()
    assert code == 1
    assert list(failed(report)) == [f"mapping:{mapping}"]
    check = next(c for c in report["checks"] if c["id"] == f"mapping:{mapping}")
    assert "disabled" in check["seen"] and "Mappings" in check["where"]
    assert check["action"] == "enable the mapping"
    # The advice was followed in the finally above (the mapping enabled again).
    code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
    assert (code, statuses(report)[f"mapping:{mapping}"]) == (0, "PASS")


def _sync(api: httpx.Client, setup: Setup) -> dict[str, Any]:
    model, sub = (
        _one(setup.outputs[k]) for k in ("reverseEtlModelIds", "sendIdentifySubscriptionIds")
    )
    body = {
        "sourceId": setup.outputs["reverseEtlSourceId"],
        "modelId": model,
        "subscriptionId": sub,
    }
    started = api.post("/reverse-etl-syncs", json=body)
    started.raise_for_status()
    sync_id = started.json()["data"]["reverseETLManualSync"]["syncId"]
    status: dict[str, Any] = api.get(f"/reverse-etl-models/{model}/syncs/{sync_id}").json()["data"]
    found: dict[str, Any] = status["reverseETLSyncStatus"]
    return found


def test_a_failing_reverse_etl_query_fails_with_the_databases_message(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _one(healthy.outputs["reverseEtlModelIds"])
    with _api(healthy) as api:
        query = api.get(f"/reverse-etl-models/{model}").json()["data"]["reverseEtlModel"]["query"]
        api.patch(f"/reverse-etl-models/{model}", json={"query": "SELECT * FROM crm.acounts"})
        try:
            assert _sync(api, healthy)["syncStatus"] == "FAIL"
            code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
        finally:
            api.patch(f"/reverse-etl-models/{model}", json={"query": query}).raise_for_status()
            assert _sync(api, healthy)["syncStatus"] == "SUCCESS"
    assert code == 1
    sync_checks = [i for i in failed(report) if i.startswith("sync:")]
    assert sync_checks == [i for i in statuses(report) if i.startswith("sync:")] != []
    seen = failed(report)[sync_checks[0]]
    assert "FAIL" in seen and "crm.acounts" in seen  # PostgreSQL's own message names it
    # With no rows read, Salesforce's loading is unknown again rather than passed.
    assert next(v for k, v in statuses(report).items() if k.startswith("salesforce:")) == "WARN"
    check = next(c for c in report["checks"] if c["id"] == sync_checks[0])
    assert check["action"] == "fix the model's query or the mapping, then Sync now"
    # Followed in the finally above (the query fixed, Sync now): the sync check passes again.
    code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
    assert code == 0 and {statuses(report)[i] for i in sync_checks} == {"PASS"}


def test_a_trait_with_no_member_fails(healthy: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    path = f"/spaces/{healthy.outputs['spaceId']}/computed-traits"
    definition = {"type": "USERS", "query": "event('Callback Requested').last(property('slot'))"}
    with _api(healthy) as api:
        made = api.post(path, json={"name": "Callback slot", "definition": definition})
        assert made.status_code == 200, made.text
        trait = made.json()["data"]["computedTrait"]
        try:
            code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
            assert code == 1
            assert list(failed(report)) == [f"trait:{trait['key']}"]
            check = next(c for c in report["checks"] if c["id"] == f"trait:{trait['key']}")
            assert "no member" in check["seen"]
            assert check["action"].startswith("check that the events its definition reads arrive")
            # Following the advice: the event the definition reads arrives, and the trait
            # has a member.
            write_key = _write_key(api, healthy.outputs["sourceIds"])
            _track(healthy, write_key, "Callback Requested", "callback-1", slot="morning")
            code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
            assert statuses(report)[f"trait:{trait['key']}"] == "PASS", failed(report)
            assert code == 0
        finally:
            api.delete(f"{path}/{trait['id']}").raise_for_status()


def _write_key(api: httpx.Client, source_ids: dict[str, str]) -> str:
    """A write key of one of the stack's sources (the demo connected them to the space)."""
    source = api.get(f"/sources/{next(iter(source_ids.values()))}").json()["data"]["source"]
    return str(source["writeKeys"][0])


def test_a_wrong_profile_api_token_fails_and_is_never_shown(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    wrong = "pat_wrong_token_of_another_space_0000"
    page = tmp_path / "doctor.html"
    code, report = healthy.doctor(monkeypatch, "--html", str(page), profile_token=wrong)
    assert code == 1
    assert list(failed(report)) == ["profile-api-token"]
    assert "401" in failed(report)["profile-api-token"]
    shown = json.dumps(report) + page.read_text(encoding="utf-8")
    for secret in (wrong, healthy.emulator.token, demo.seed_token("dev")):
        assert secret not in shown


def test_no_flex_event_yet_fails_on_a_space_nothing_was_sent_to(
    monkeypatch: pytest.MonkeyPatch, healthy: Setup
) -> None:
    """A freshly seeded workspace: the space's schema lists Flex's events (made before), but
    none arrived in the last 24 hours."""
    with running_emulator(seed=demo.SEED) as emulator:
        fresh = Setup(emulator, healthy.warehouse, {})
        code, report = fresh.doctor(monkeypatch)
    assert code == 1
    check = next(c for c in report["checks"] if c["id"] == "flex-event")
    assert check["status"] == "FAIL"
    assert "no 'Flex - Engagement Initiated' event in the last 24 hours" in check["seen"]
    assert "Twilio" in check["where"]


def test_a_wrong_public_api_token_fails_first_and_names_the_setting(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(healthy.emulator, "tokens", {"x": "sgp_not_a_token_of_this_workspace"})
    code, report = healthy.doctor(monkeypatch)
    assert code == 1
    assert [c["id"] for c in report["checks"]] == ["public-api-token"]
    check = report["checks"][0]
    assert "401" in check["seen"] and "SEGMENT_PUBLIC_API_TOKEN" in check["where"]
    assert "sgp_not_a_token_of_this_workspace" not in json.dumps(report)


def test_each_audience_shows_its_size_computed_from_the_profiles(
    healthy: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/spaces/{healthy.outputs['spaceId']}/audiences"
    made = []
    with _api(healthy) as api:
        try:
            for name, query in (
                ("Callers", "event('Flex - Engagement Initiated').count() >= 1"),
                ("Frequent callers", "event('Flex - Engagement Initiated').count() >= 50"),
            ):
                body = {"name": name, "audienceType": "USERS", "definition": {"query": query}}
                answer = api.post(path, json=body)
                assert answer.status_code == 200, answer.text
                made.append(answer.json()["data"]["audience"])
            code, report = healthy.doctor(monkeypatch, "--user", f"user_id:{CUSTOMER}")
        finally:
            for audience in made:
                api.delete(f"{path}/{audience['id']}").raise_for_status()
    checks = {c["id"]: c for c in report["checks"]}
    callers, frequent = (checks[f"audience:{a['key']}"] for a in made)
    # Only the demo's customer called (3 interactions): one member, and none with 50.
    assert (callers["status"], callers["seen"]) == ("PASS", "size 1 (GetAudience)")
    assert (frequent["status"], frequent["seen"]) == ("WARN", "size 0 (GetAudience)")
    assert code == 0  # an empty audience may be right: a warning, not a failure
