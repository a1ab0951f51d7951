"""The emulator's read operations doctor relies on, over HTTP: event volume, Delivery Overview
and a mapping's sync history answer from what happened in it (messages received, syncs run),
and refuse what Segment refuses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from tests.doctor.conftest import Setup


def _window(**extra: Any) -> dict[str, Any]:
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    return {
        "granularity": "HOUR",
        "startTime": (now - timedelta(hours=23)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "endTime": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **extra,
    }


def test_event_volume_counts_the_messages_each_source_received(healthy: Setup) -> None:
    with healthy.emulator.client(timeout=30) as api:
        by_source = api.get("/events/volume", params=_window(groupBy=["source", "eventName"]))
        assert by_source.status_code == 200, by_source.text
        data = by_source.json()["data"]
        rows = {(r["source"]["slug"], r["eventName"]): r for r in data["result"]}
        # The demo sent 3 interactions (initiated + completed each) and one page view.
        assert rows[("flex-unify-server-source", "Flex - Engagement Initiated")]["total"] == 3
        assert rows[("flex-unify-server-source", "Flex - Engagement Completed")]["total"] == 3
        flex = rows[("flex-unify-server-source", "Flex - Engagement Initiated")]
        assert len(flex["series"]) == 24 and sum(p["count"] for p in flex["series"]) == 3
        assert data["query"]["groupBy"] == ["source", "eventName"]
        only = api.get("/events/volume", params=_window(eventName=["Pricing"]))
        assert [r["total"] for r in only.json()["data"]["result"]] == [1]
        bad = api.get("/events/volume", params=_window(granularity="WEEK"))
        assert bad.status_code == 422 and "granularity" in bad.text
        backwards = api.get("/events/volume", params=_window(startTime="2030-01-01T00:00:00Z"))
        assert backwards.status_code == 422


def test_delivery_overview_counts_the_rows_syncs_delivered(healthy: Setup) -> None:
    params = _window(
        sourceId=healthy.outputs["reverseEtlSourceId"],
        destinationConfigId=healthy.outputs["destinationId"],
    )
    with healthy.emulator.client(timeout=30) as api:
        ok = api.get("/delivery-overview/successful-delivery", params=params).json()["data"]
        assert ok["total"] == 3 and ok["dataset"][0]["total"] == 3
        failed = api.get("/delivery-overview/failed-delivery", params=params).json()["data"]
        assert failed["total"] == 0 and failed["dataset"] == []
        unknown = api.get(
            "/delivery-overview/successful-delivery",
            params=params | {"destinationConfigId": "nope"},
        )
        assert unknown.status_code == 404
        missing = api.get(
            "/delivery-overview/successful-delivery",
            params={k: v for k, v in params.items() if k != "sourceId"},
        )
        assert missing.status_code == 422


def test_a_mappings_sync_history_lists_the_syncs_newest_first(healthy: Setup) -> None:
    model = next(iter(healthy.outputs["reverseEtlModelIds"].values()))
    mapping = next(iter(healthy.outputs["sendIdentifySubscriptionIds"].values()))
    path = f"/reverse-etl-models/{model}/subscriptionId/{mapping}/syncs"
    with healthy.emulator.client(timeout=30) as api:
        before = api.get(path).json()["data"]["syncStatuses"]
        body = {
            "sourceId": healthy.outputs["reverseEtlSourceId"],
            "modelId": model,
            "subscriptionId": mapping,
        }
        made = api.post("/reverse-etl-syncs", json=body).json()["data"]["reverseETLManualSync"]
        after = api.get(path, params={"count": 1}).json()["data"]
        assert [s["syncId"] for s in after["syncStatuses"]] == [made["syncId"]]
        assert len(api.get(path).json()["data"]["syncStatuses"]) == len(before) + 1
        # Nothing changed in the warehouse: read again, delivered nothing new.
        latest = after["syncStatuses"][0]
        assert (
            latest["syncStatus"] == "SUCCESS" and latest["loadPhase"]["deliverSuccessCount"] == "0"
        )
        assert api.get(path, params={"count": 101}).status_code == 422
        other = api.get(f"/reverse-etl-models/{model}/subscriptionId/nope/syncs")
        assert other.status_code == 404
