"""Doctor's checks from the warehouse to the profiles: the warehouse and Salesforce, each Reverse
ETL model's latest sync per mapping, and the Segment Profiles destination's mappings and
Delivery Overview. Pure functions of ``Facts``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from segment_unify.cli.doctor_checks_flow import object_sources
from segment_unify.cli.doctor_read import Facts, Obj, display_name
from segment_unify.cli.doctor_report import Check
from segment_unify.provider import catalog

TOP_REASONS = 3


def _count(phase: Obj | None, key: str) -> int:
    try:
        return int(float(str((phase or {}).get(key) or 0)))
    except ValueError:
        return 0


def _schema(source: Obj) -> str:
    """Segment loads a source's objects into a schema named after its slug."""
    return str(source.get("slug", "")).replace("-", "_")


def _reads(model: Obj, schema: str) -> bool:
    return re.search(rf"\b{re.escape(schema)}\s*\.", str(model.get("query", "")), re.I) is not None


def warehouse(facts: Facts) -> Iterator[Check]:
    by_id = {s["id"]: s for s in facts.sources}
    for wh in facts.warehouses:
        name = str((wh.get("settings") or {}).get("name") or (wh.get("metadata") or {}).get("name"))
        connected = [by_id[i] for i in facts.connections.get(str(wh["id"]), []) if i in by_id]
        page = f"Segment app: Connections > Destinations > Warehouses > {name}"
        check_id, title = f"warehouse:{wh['id']}", f"Warehouse {name}"
        if not wh.get("enabled"):
            yield Check(
                check_id,
                "warehouse",
                title,
                "FAIL",
                "the warehouse is disabled",
                "enable the warehouse",
                page,
            )
        elif not connected:
            yield Check(
                check_id,
                "warehouse",
                title,
                "FAIL",
                "no source is connected to the warehouse: nothing is loaded into it",
                "connect the Salesforce source to the warehouse",
                f"{page} > Sources",
            )
        else:
            yield Check(
                check_id,
                "warehouse",
                title,
                "PASS",
                f"enabled; sources loaded into it: {', '.join(map(display_name, connected))}",
                counts={"sources": len(connected)},
            )
    for source in object_sources(facts):
        yield _salesforce(facts, source)


def _salesforce(facts: Facts, source: Obj) -> Check:
    """Salesforce's sign-in shows in its data: a Reverse ETL sync that read rows from the schema
    Segment loads it into. The sign-in itself is a step of Segment's app with no API."""
    schema = _schema(source)
    check_id, title = f"salesforce:{source['slug']}", f"Salesforce {display_name(source)}"
    page = f"Segment app: Connections > Sources > {display_name(source)} > Settings > Sign in"
    readers = [m for m in facts.models if _reads(m, schema)]
    rows = [
        _count(sync.get("extractPhase"), "extractCount")
        for (model_id, _), sync in facts.latest_syncs.items()
        if sync and sync.get("syncStatus") != "FAIL" and any(m["id"] == model_id for m in readers)
    ]
    if not source.get("enabled"):
        return Check(
            check_id,
            "warehouse",
            title,
            "FAIL",
            "the source is disabled",
            "enable the source and sign in to Salesforce",
            page,
        )
    if any(rows):
        return Check(
            check_id,
            "warehouse",
            title,
            "PASS",
            f"its objects reach the warehouse: {max(rows)} rows read from {schema}.* "
            "by the latest Reverse ETL sync",
            counts={"rows": max(rows)},
        )
    return Check(
        check_id,
        "warehouse",
        title,
        "WARN",
        f"no Reverse ETL sync has read rows from {schema}.* yet, so whether Salesforce "
        "is signed in and loaded is unknown",
        "sign in to Salesforce, wait for the warehouse's first sync, then sync the model",
        page,
    )


def reverse_etl(facts: Facts) -> Iterator[Check]:
    models = {str(m["id"]): m for m in facts.models}
    subs = {str(s["id"]): s for s in facts.subscriptions}
    for (model_id, sub_id), sync in facts.latest_syncs.items():
        model, sub = models.get(model_id), subs.get(sub_id)
        if model is None or sub is None:
            continue
        check_id = f"sync:{model_id}:{sub_id}"
        title = f"Reverse ETL {display_name(model)} → {display_name(sub)}"
        page = (
            "Segment app: Connections > Sources > Reverse ETL > "
            f"{display_name(model)} > Sync history"
        )
        if not model.get("enabled"):
            yield Check(
                check_id,
                "reverse-etl",
                title,
                "FAIL",
                "the model is disabled",
                "enable the model",
                page,
            )
            continue
        error = facts.errors.get(f"syncs:{model_id}:{sub_id}")
        if error:
            yield Check(check_id, "reverse-etl", title, "FAIL", error, "see the sync history", page)
            continue
        if sync is None:
            yield Check(
                check_id,
                "reverse-etl",
                title,
                "WARN",
                "the mapping has never synced",
                "wait for its schedule, or press Sync now",
                page,
            )
            continue
        extract, load = sync.get("extractPhase"), sync.get("loadPhase")
        counts = {
            "extracted": _count(extract, "extractCount"),
            "delivered": _count(load, "deliverSuccessCount"),
            "failed": _count(load, "deliverFailureCount"),
        }
        seen = (
            f"latest sync {sync.get('syncId')} {sync.get('syncStatus')} at "
            f"{sync.get('finishedAt') or sync.get('startedAt')}: {counts['extracted']} rows "
            f"extracted, {counts['delivered']} delivered, {counts['failed']} failed"
        )
        status = str(sync.get("syncStatus"))
        if status == "FAIL" or counts["failed"]:
            reason = sync.get("error") or "some records could not be delivered"
            yield Check(
                check_id,
                "reverse-etl",
                title,
                "FAIL",
                f"{seen}; {reason} ({sync.get('errorCode') or 'no error code'})",
                "fix the model's query or the mapping, then Sync now",
                page,
                counts,
            )
        else:
            yield Check(check_id, "reverse-etl", title, "PASS", seen, counts=counts)


def segment_profiles(facts: Facts) -> Iterator[Check]:
    for dest in facts.destinations:
        metadata = dest.get("metadata") or {}
        if metadata.get("id") != catalog.SEGMENT_PROFILES_DESTINATION:
            continue
        page = f"Segment app: Connections > Destinations > {display_name(dest)}"
        check_id, title = f"destination:{dest['id']}", f"Destination {display_name(dest)}"
        if dest.get("enabled"):
            yield Check(check_id, "segment-profiles", title, "PASS", "enabled")
        else:
            yield Check(
                check_id,
                "segment-profiles",
                title,
                "FAIL",
                "the destination is disabled",
                "enable the destination",
                f"{page} > Settings",
            )
        for sub in (s for s in facts.subscriptions if s.get("destinationId") == dest["id"]):
            if sub.get("enabled"):
                yield Check(
                    f"mapping:{sub['id']}",
                    "segment-profiles",
                    f"Mapping {display_name(sub)}",
                    "PASS",
                    f"enabled ({sub.get('actionSlug')})",
                )
            else:
                yield Check(
                    f"mapping:{sub['id']}",
                    "segment-profiles",
                    f"Mapping {display_name(sub)}",
                    "FAIL",
                    "the mapping is disabled: its model's rows are not sent",
                    "enable the mapping",
                    f"{page} > Mappings > {display_name(sub)}",
                )
        yield _delivery(facts, dest, page)


def _delivery(facts: Facts, dest: Obj, page: str) -> Check:
    found = facts.delivery.get(str(dest["id"]))
    check_id, title = f"delivery:{dest['id']}", f"Delivery Overview {display_name(dest)}"
    where = f"{page} > Delivery Overview"
    errors = [v for k, v in facts.errors.items() if k.startswith(f"delivery:{dest['id']}")]
    if found is None or errors:
        return Check(
            check_id,
            "segment-profiles",
            title,
            "WARN",
            "Delivery Overview could not be read: " + "; ".join(errors),
            "",
            where,
        )
    counts = {"delivered": found.delivered, "failed": found.failed, "filtered": found.filtered}
    seen = (
        f"last 24 hours: {found.delivered} delivered, {found.failed} failed, "
        f"{found.filtered} filtered at the destination"
    )
    if found.failed:
        top = sorted(found.reasons.items(), key=lambda kv: -kv[1])[:TOP_REASONS]
        reasons = "; ".join(f"{reason} ({n})" for reason, n in top)
        return Check(
            check_id,
            "segment-profiles",
            title,
            "FAIL",
            f"{seen}; top discard reasons: {reasons}",
            "fix what the reasons name, then sync again",
            where,
            counts,
        )
    if not found.delivered:
        return Check(
            check_id,
            "segment-profiles",
            title,
            "WARN",
            f"{seen}: nothing reached the profiles",
            "run a Reverse ETL sync (Sync now) and check again",
            where,
            counts,
        )
    return Check(check_id, "segment-profiles", title, "PASS", seen, counts=counts)
