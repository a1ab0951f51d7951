"""The fidelity tier for `segment-unify doctor`: every operation it calls is Segment's, paced at
the SDK's limit, and every answer the emulator gives it decodes into the SDK's output model.

The exchanges come from doctor run three times over the demo's setup (``tests.doctor``): healthy;
with its Send Identify mapping disabled and synced (deliveries fail, with discard reasons); and
with the model's query broken and synced (a failed sync with the database's error).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify import demo
from segment_unify.cli.main import main
from segment_unify.demo_profile import show_customer
from segment_unify.emulator.testing import running_emulator
from segment_unify.local_postgres import PostgresUnavailableError, running_postgres
from tests.doctor.conftest import SPACE, stack_outputs_locally
from tests.fidelity import referee
from tests.fidelity.segment_models import PublicApi
from tests.fidelity.test_fidelity import _exchanges, _paced

pytestmark = pytest.mark.timeout(300)

DOCTOR_READS = {
    "GetEventsVolumeFromWorkspace",
    "GetEgressSuccessMetricsFromDeliveryOverview",
    "GetEgressFailedMetricsFromDeliveryOverview",
    "GetFilteredAtDestinationMetricsFromDeliveryOverview",
    "ListReverseETLSyncStatusesFromModelAndSubscriptionId",
}


def _doctor(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with contextlib.redirect_stdout(io.StringIO()):
        main(["doctor", "--space", SPACE, "--json"])


@pytest.fixture(scope="module")
def doctor_log() -> Iterator[list[dict[str, Any]]]:
    monkeypatch = pytest.MonkeyPatch()
    try:
        with running_postgres() as warehouse, running_emulator(seed=demo.SEED) as emulator:
            outputs = stack_outputs_locally(emulator, warehouse)
            with contextlib.redirect_stdout(io.StringIO()):
                show_customer(
                    emulator.url, emulator.token, demo.seed_token("dev"), outputs, warehouse
                )
            env = {
                "SEGMENT_PUBLIC_API_TOKEN": emulator.token,
                "SEGMENT_PUBLIC_API_URL": emulator.url,
                "SEGMENT_PROFILE_API_URL": emulator.profile_url,
                "SEGMENT_PROFILE_API_TOKEN": demo.seed_token("dev"),
            }
            with emulator.client(timeout=30) as api:
                audience = {
                    "name": "Callers",
                    "audienceType": "USERS",
                    "definition": {"query": "event('Flex - Engagement Initiated').count() >= 1"},
                }
                api.post(f"/spaces/{outputs['spaceId']}/audiences", json=audience)
            log = emulator.emulator.context.request_log
            log.clear()
            _doctor(monkeypatch, env)
            model = next(iter(outputs["reverseEtlModelIds"].values()))
            mapping = next(iter(outputs["sendIdentifySubscriptionIds"].values()))
            path = f"/destinations/{outputs['destinationId']}/subscriptions/{mapping}"
            sync = {
                "sourceId": outputs["reverseEtlSourceId"],
                "modelId": model,
                "subscriptionId": mapping,
            }
            with emulator.client(timeout=30) as api:
                # New rows, so the sync has something to (fail to) deliver.
                warehouse.execute(
                    f"INSERT INTO {_table(api, model)} (id, name) VALUES ('001A0000NewOne', 'N')"
                )
                api.patch(path, json={"input": {"enabled": False}}).raise_for_status()
                api.post("/reverse-etl-syncs", json=sync).raise_for_status()
                _doctor(monkeypatch, env)
                api.patch(f"/reverse-etl-models/{model}", json={"query": "SELECT 1 FROM nope.x"})
                api.post("/reverse-etl-syncs", json=sync).raise_for_status()
                _doctor(monkeypatch, env)
            yield log.entries()
    except PostgresUnavailableError as exc:
        pytest.skip(str(exc))
    finally:
        monkeypatch.undo()


def _table(api: Any, model: str) -> str:
    query = api.get(f"/reverse-etl-models/{model}").json()["data"]["reverseEtlModel"]["query"]
    return str(query.split("FROM", 1)[1].split()[0])


def test_every_operation_doctor_calls_is_in_segments_api(
    public_api: PublicApi, doctor_log: list[dict[str, Any]]
) -> None:
    exchanges = _exchanges(public_api, doctor_log)
    assert sorted({f"{e['method']} {e['path']}" for op, e in exchanges if op is None}) == []
    called = {op.name for op, _ in exchanges if op is not None}
    assert called >= DOCTOR_READS


def test_every_answer_doctor_reads_decodes_into_segments_output_model(
    public_api: PublicApi, doctor_log: list[dict[str, Any]]
) -> None:
    problems, judged = [], set()
    for op, entry in _exchanges(public_api, doctor_log):
        if op is None or entry["status"] is None or int(entry["status"]) >= 300:
            continue
        judged.add(op.name)
        problems += [
            f"{entry['method']} {entry['path']}: {p}"
            for p in referee.judge_answer(public_api, op, int(entry["status"]), entry["response"])
        ]
    assert problems == []
    assert judged >= DOCTOR_READS | {"CreateAudiencePreview", "GetAudiencePreview", "GetAudience"}


def test_the_one_body_doctor_sends_fits_segments_input_model(
    public_api: PublicApi, doctor_log: list[dict[str, Any]]
) -> None:
    """Its audience preview, to find a sample profile (the log also holds the writes this
    module made between doctor's runs; tests/doctor checks that doctor makes none)."""
    bodies = [
        (op, e)
        for op, e in _exchanges(public_api, doctor_log)
        if op is not None and op.name == "CreateAudiencePreview"
    ]
    assert bodies
    assert [p for op, e in bodies for p in referee.judge_body(public_api, op, e["body"])] == []


def test_the_answers_hold_what_happened(doctor_log: list[dict[str, Any]]) -> None:
    """Not only well formed: the failed deliveries carry reasons, the failed sync its error."""
    failed = [
        e["response"]["data"]
        for e in doctor_log
        if e["path"] == "/delivery-overview/failed-delivery" and e["status"] == 200
    ]
    assert failed[0]["total"] == 0
    assert failed[-1]["total"] >= 1
    assert {d.get("discardReason") for d in failed[-1]["dataset"]} == {"the mapping is disabled"}
    syncs = [
        e["response"]["data"]["syncStatuses"]
        for e in doctor_log
        if e["path"].endswith("/syncs") and e["method"] == "GET" and e["status"] == 200
    ]
    assert syncs[-1][0]["syncStatus"] == "FAIL" and "nope" in syncs[-1][0]["error"]
    sizes = [
        e["response"]["data"]["audience"]["size"]
        for e in doctor_log
        if "/audiences/aud_" in e["path"] and e["method"] == "GET" and e["status"] == 200
    ]
    assert sizes and all(size == {"count": 1, "type": "USERS"} for size in sizes)


def test_every_operation_doctor_calls_is_paced_at_the_sdks_limit(
    public_api: PublicApi, sdk_rate_limits: dict[str, int], doctor_log: list[dict[str, Any]]
) -> None:
    called = {op.name for op, _ in _exchanges(public_api, doctor_log) if op is not None}
    wrong = {op: p for op in sorted(called) if len(set(p := _paced(op, sdk_rate_limits))) != 1}
    assert wrong == {}, "operation: (SDK, provider, emulator) requests per minute"
