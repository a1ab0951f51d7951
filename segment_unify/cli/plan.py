"""A read workspace as a program: one declaration per object, references between them.

Each object's fields come from its resource's own declaration (``from_segment``, through the
resource's provider), so the program declares exactly what Segment holds and the first ``up``
changes nothing. Outputs, write-only fields and values equal to a field's default are left out;
names are always declared (an absent one would be autonamed: an update). What is not declared
is noted with why. The space's objects are ``plan_space``'s.
"""

from __future__ import annotations

from typing import Any

from segment_unify.cli import plan_space
from segment_unify.cli.planner import Plan, Planner, declared
from segment_unify.cli.render import Code
from segment_unify.cli.workspace import Obj, Workspace


def plan_program(workspace: Workspace) -> Plan:

    p = Planner(workspace)
    for space in workspace.spaces:
        plan_space.space(p, space)
    _workspace_objects(p, workspace)
    for subscription in workspace.subscriptions:
        _subscription(p, subscription)
    for space in workspace.spaces:
        plan_space.space_objects(p, space)
    return p.plan


def _workspace_objects(p: Planner, workspace: Workspace) -> None:
    from segment_unify.provider import resources as r

    for source in workspace.sources:
        state = r.Source._segment_provider.state(source)
        var = p.var(str(source.get("name") or source["slug"]), "source")
        fields = declared(r.SourceArgs, state)
        if "settings" in fields:
            what = f"source {source.get('slug')!r}"
            fields["settings"] = p.settings(var, source, fields["settings"], what)
        p.declare("source", "Source", var, fields, source["id"], source["id"], answer=source)
    for warehouse in workspace.warehouses:
        state = r.Warehouse._segment_provider.state(warehouse)
        name = state.get("name") or (warehouse.get("metadata") or {}).get("slug") or "warehouse"
        var = p.var(str(name), "warehouse")
        fields = declared(r.WarehouseArgs, state)
        settings = warehouse.get("settings") or {}
        what = f"warehouse {name!r}"
        fields["settings"] = p.settings(var, warehouse, settings, what, named=True)
        p.declare(
            "warehouse",
            "Warehouse",
            var,
            fields,
            warehouse["id"],
            warehouse["id"],
            answer=warehouse,
        )
    for warehouse_id, source_id in workspace.connections:
        names = f"{p.refs.get(source_id, source_id)}_to_{p.refs.get(warehouse_id, warehouse_id)}"
        fields = {"warehouse_id": p.ref(warehouse_id), "source_id": p.ref(source_id)}
        adopt = f"{warehouse_id}/{source_id}"
        kind = "warehouse source connection"
        p.declare(kind, "WarehouseSourceConnection", p.var(names, "connection"), fields, adopt)
    for model in workspace.models:
        state = r.ReverseEtlModel._segment_provider.state(model)
        var = p.var(str(model.get("name") or model["id"]), "model")
        fields = {"source_id": p.ref(model.get("sourceId"))}
        fields |= declared(r.ReverseEtlModelArgs, state, skip=("source_id",))
        kind = "Reverse ETL model"
        p.declare(kind, "ReverseEtlModel", var, fields, model["id"], model["id"], answer=model)
    for destination in workspace.destinations:
        _destination(p, destination)


def _destination(p: Planner, destination: Obj) -> None:
    from segment_unify.provider import resources as r

    state = r.Destination._segment_provider.state(destination)
    metadata = destination.get("metadata") or {}
    name = state.get("name") or metadata.get("name") or destination["id"]
    var = p.var(str(name), "destination")
    fields = {"source_id": p.ref(destination.get("sourceId"))}
    fields |= declared(r.DestinationArgs, state, skip=("source_id",))
    if "settings" in fields:
        what = f"destination {name!r}"
        fields["settings"] = p.settings(var, destination, fields["settings"], what)
    if state.get("name") is None:
        why = (
            "Segment holds none, so the first up names it (one PATCH); name it in Segment "
            "first to adopt it unchanged"
        )
        p.plan.skipped.append((f"destination {name!r}: its name", why))
    segment_id = destination["id"]
    p.declare("destination", "Destination", var, fields, segment_id, segment_id, answer=destination)


def _subscription(p: Planner, subscription: Obj) -> None:
    from segment_unify.provider import resources as r

    state = r.DestinationSubscription._segment_provider.state(subscription)
    var = p.var(str(subscription.get("name") or subscription["id"]), "mapping")
    fields: dict[str, Any] = {"destination_id": p.ref(subscription.get("destinationId"))}
    skip = ("action_slug", "mapping", "destination_id", "model_id")
    if subscription.get("modelId"):
        fields["model_id"] = p.ref(subscription["modelId"])
    fields |= declared(r.DestinationSubscriptionArgs, state, skip=skip)
    settings = dict(fields.get("settings") or {})
    engage = settings.get("engage_space")
    if isinstance(engage, str) and engage in p.write_keys:
        # Segment Profiles' Send Identify writes to the space through its write key.
        settings["engage_space"] = Code(f"{p.write_keys[engage]}.write_key")
        fields["settings"] = settings
    adopt = f"{subscription.get('destinationId')}/{subscription['id']}"
    kind = "destination subscription"
    p.declare(kind, "DestinationSubscription", var, fields, adopt, answer=subscription)
