"""The fidelity tier: Segment's own published code referees what the provider sends and what
the emulator answers, so provider and emulator cannot be wrong together unnoticed.

Referee sources (``segment_models.py`` says where each comes from and why):

- Public API 73.2.0: the operation table and object shapes derived from Segment's Go SDK
  models (``shared/reference/emulated-contract.md``) and the Reverse ETL schedule table
  (``segment-public-api.md``). The Go SDK is not served by the Go module proxy here (403 at
  every version tried), no PyPI package ships the models, and the npm TypeScript SDK stops at
  API 47, whose models predate audiences, computed-trait creation and the subscription schedule.
- The Segment Profiles destination and its Send Identify action: ``@segment/action-destinations``
  (npm, pinned in ``segment_models``), downloaded into ``.tools/segment-sdk/`` at the first run
  (``make test`` fetches it first; without npm or the registry these tests skip, saying why).

Every request body of the lifecycle (``conftest.lifecycle``) is judged against its operation's
input model (unknown fields, missing required fields, enums, the schedule config's ``oneOf``)
and every answer against its output model's required fields. The counts per operation are
written to ``.tools/fidelity-report.md`` and shown at the end of the run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from segment_unify.provider import catalog
from tests.fidelity import referee
from tests.fidelity.conftest import REPORT
from tests.fidelity.segment_models import PublicApi

pytestmark = pytest.mark.timeout(900)


def _exchanges(api: PublicApi, log: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any]]]:
    out = []
    for entry in log:
        path = str(entry["path"])
        if path.startswith("/profile-api") or entry.get("fault"):
            continue
        op = api.operation(str(entry["method"]), path)
        out.append((op, entry))
    return out


def test_every_operation_the_provider_calls_is_in_segments_api(
    public_api: PublicApi, lifecycle: list[dict[str, Any]]
) -> None:
    unknown = sorted(
        {f"{e['method']} {e['path']}" for op, e in _exchanges(public_api, lifecycle) if op is None}
    )
    assert unknown == []


def _paced(op: str, sdk: Mapping[str, int]) -> tuple[int, int, int]:
    """What the SDK documents for ``op``, what the provider paces it at, what the emulator
    enforces (Segment's default where the SDK gives no limit of its own)."""
    from segment_unify.emulator import ratelimits
    from segment_unify.provider import pacing

    return (
        sdk.get(op, ratelimits.DEFAULT_LIMIT_PER_MINUTE),
        pacing.limit_for(op),
        ratelimits.limit_for(op),
    )


def test_every_operation_the_package_calls_is_paced_at_the_limit_the_sdk_documents(
    public_api: PublicApi, sdk_rate_limits: dict[str, int], lifecycle: list[dict[str, Any]]
) -> None:
    called = {op.name for op, _ in _exchanges(public_api, lifecycle) if op is not None}
    # The component's space read and the traits' property checks are among them.
    assert {"ListEvents", "ListTraits", "ListPropertiesFromEvent"} <= called
    wrong = {
        op: paced for op in sorted(called) if len(set(paced := _paced(op, sdk_rate_limits))) != 1
    }
    assert wrong == {}, "operation: (SDK, provider, emulator) requests per minute"


def _problems(
    api: PublicApi, log: list[dict[str, Any]], judge: Callable[[Any, dict[str, Any]], list[str]]
) -> list[str]:
    return [
        f"{entry['method']} {entry['path']}: {problem}"
        for op, entry in _exchanges(api, log)
        if op is not None
        for problem in judge(op, entry)
    ]


def test_every_request_body_fits_segments_input_model(
    public_api: PublicApi, lifecycle: list[dict[str, Any]]
) -> None:
    def judge(op: Any, entry: dict[str, Any]) -> list[str]:
        return referee.judge_body(public_api, op, entry["body"])

    assert _problems(public_api, lifecycle, judge) == []


def test_every_answer_decodes_into_segments_output_model(
    public_api: PublicApi, lifecycle: list[dict[str, Any]]
) -> None:
    def judge(op: Any, entry: dict[str, Any]) -> list[str]:
        status = entry["status"]
        if status is None or int(status) >= 300:
            return []
        return referee.judge_answer(public_api, op, int(status), entry["response"])

    assert _problems(public_api, lifecycle, judge) == []


def _segment_profiles_bodies(log: list[dict[str, Any]]) -> tuple[list[Any], list[Any]]:
    destinations, mappings = [], []
    for entry in log:
        body = entry.get("body")
        if not isinstance(body, Mapping):
            continue
        if entry["method"] == "POST" and entry["path"] == "/destinations":
            if body.get("metadataId") == catalog.SEGMENT_PROFILES_DESTINATION:
                destinations.append(body.get("settings"))
        elif entry["method"] in ("POST", "PATCH") and "/subscriptions" in str(entry["path"]):
            settings = (body.get("input") or body).get("settings")
            if settings is not None:
                mappings.append(settings)
    return destinations, mappings


def test_segment_profiles_settings_and_send_identify_fields_fit_segments_definition(
    segment_profiles: dict[str, Any], lifecycle: list[dict[str, Any]]
) -> None:
    destinations, mappings = _segment_profiles_bodies(lifecycle)
    assert destinations and mappings, "the lifecycle made no Segment Profiles destination"
    problems = [
        p
        for settings in destinations
        for p in referee.judge_destination_settings(segment_profiles, settings, "settings")
    ]
    problems += [
        p
        for settings in mappings
        for p in referee.judge_action_settings(
            segment_profiles, "sendIdentify", settings, "mapping"
        )
    ]
    assert problems == []


def test_counts_per_operation_are_reported(
    request: pytest.FixtureRequest,
    public_api: PublicApi,
    sdk_rate_limits: dict[str, int],
    segment_profiles: dict[str, Any],
    lifecycle: list[dict[str, Any]],
) -> None:
    bodies: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    for op, entry in _exchanges(public_api, lifecycle):
        if op is None:
            continue
        calls[op.name] += 1
        if op.body is not None:
            bodies[op.name] += 1
        if entry["status"] is not None and int(entry["status"]) < 300:
            answers[op.name] += 1
    destinations, mappings = _segment_profiles_bodies(lifecycle)
    lines = [
        "| operation | calls | request bodies checked | answers checked "
        "| rate limit /min: SDK · provider · emulator |",
        "|---|---|---|---|---|",
        *(
            f"| {name} | {calls[name]} | {bodies[name]} | {answers[name]} "
            f"| {_limits_cell(name, sdk_rate_limits)} |"
            for name in sorted(calls)
        ),
        f"| total | {sum(calls.values())} | {sum(bodies.values())} | {sum(answers.values())} | |",
        "",
        f"Segment Profiles destination settings checked against @segment/action-destinations: "
        f"{len(destinations)}; Send Identify mappings: {len(mappings)}.",
    ]
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    request.config._fidelity_report_written = True  # type: ignore[attr-defined]
    assert sum(bodies.values()) > 0 and sum(answers.values()) > 0


def _limits_cell(op: str, sdk: Mapping[str, int]) -> str:
    documented, provider, emulator = _paced(op, sdk)
    source = "" if op in sdk else " (default)"
    return f"{documented}{source} · {provider} · {emulator}"


def test_reverse_etl_models_read_the_schema_the_stacks_salesforce_source_loads(
    lifecycle: list[dict[str, Any]],
) -> None:
    """Segment loads a source's tables into a schema named after its slug; the stack's
    Salesforce slug is autonamed, so a fixed ``salesforce.accounts`` would read nothing."""
    salesforce = catalog.SOURCES["salesforce"]
    schemas = {
        str(e["body"]["slug"]).replace("-", "_")
        for e in lifecycle
        if e["method"] == "POST"
        and e["path"] == "/sources"
        and e["body"]["metadataId"] == salesforce
    }
    queries = [
        e["body"]["query"]
        for e in lifecycle
        if e["method"] == "POST" and e["path"] == "/reverse-etl-models"
    ]
    assert queries
    for query in queries:
        assert any(f"FROM {schema}.accounts" in query for schema in schemas), (query, schemas)


def test_the_emulator_validates_bodies_with_segments_models(public_api: PublicApi) -> None:
    """What Segment would refuse is refused locally too: every operation the emulator serves
    takes a body model with exactly the fields, and required fields, of Segment's model."""
    from segment_unify.emulator.app import shared_app

    spec = shared_app().openapi()
    schemas = spec["components"]["schemas"]
    operations = {op.name: op for op in public_api.operations}
    differences = []
    for path, item in spec["paths"].items():
        for method, served in item.items():
            op = operations.get(served.get("operationId"))
            if op is None:
                continue
            request = served.get("requestBody")
            fields: dict[str, bool] | None = None
            if request is not None:
                name = request["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
                schema = schemas[name]
                required = set(schema.get("required", []))
                fields = {key: key in required for key in schema["properties"]}
            if fields != op.body and not (fields is None and not op.body):
                differences.append(f"{method.upper()} {path} ({op.name}): {fields} != {op.body}")
    assert differences == []
