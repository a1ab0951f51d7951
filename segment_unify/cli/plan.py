"""A read workspace as a program: one declaration per object, references between them.

Each object's fields come from its resource's own declaration (``from_segment``), so the
program declares exactly what Segment holds and the first ``up`` changes nothing. Outputs and
values equal to a field's default are left out; names are always declared (an absent one would
be autonamed, and a different name is an update). What cannot be declared is noted, with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from segment_unify.cli.render import Code, Decl, Program, identifier, resource_name
from segment_unify.cli.workspace import Obj, SpaceContents, Workspace
from segment_unify.provider.resources._declare import specs

MASKED = "\u2022"


@dataclass
class Secret:
    key: str
    what: str


@dataclass
class Plan:
    program: Program = field(default_factory=Program)
    secrets: list[Secret] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(what, why) for every object read but not declared."""
    counts: dict[str, int] = field(default_factory=dict)


class _Planner:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self.plan = Plan()
        self.taken: set[str] = {"config", "pulumi", "with_secrets"}
        self.refs: dict[str, str] = {}
        """Segment id -> the variable declaring it."""
        self.write_keys: dict[str, str] = {}
        """A space's write key -> the variable of its ``UnifySpace``."""

    def add(self, kind: str, decl: Decl, segment_id: str | None = None) -> None:
        self.plan.program.decls.append(decl)
        self.plan.counts[kind] = self.plan.counts.get(kind, 0) + 1
        if segment_id is not None:
            self.refs[segment_id] = decl.var

    def var(self, text: str, prefix: str) -> str:
        return identifier(text, prefix, self.taken)

    def ref(self, segment_id: Any, attribute: str = "id") -> Any:
        var = self.refs.get(str(segment_id))
        return Code(f"{var}.{attribute}") if var else segment_id

    def secret(self, var: str, option: str, what: str) -> Code:
        camel = "".join(
            w if i == 0 else w.capitalize() for i, w in enumerate(f"{var}_{option}".split("_"))
        )
        self.plan.secrets.append(Secret(camel, what))
        self.plan.program.config_reads.append(f'{var}_{option} = config.get_secret("{camel}")')
        return Code(f"{var}_{option}")


def declared(
    cls: type[Any], state: Mapping[str, Any], *, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The arguments of ``cls`` whose value Segment holds, defaults left out."""
    out: dict[str, Any] = {}
    for spec in specs(cls):
        if spec.output or spec.write_only or spec.name in skip:
            continue
        value = state.get(spec.state or spec.name)
        if value is None or (spec.name != "name" and value == spec.default):
            continue
        if value in ({}, []) and not spec.required:
            continue
        out[spec.name] = value
    return out


def _password_options(answer: Mapping[str, Any]) -> list[str]:
    options = (answer.get("metadata") or {}).get("options") or []
    return [str(o["name"]) for o in options if o.get("type") == "password" and o.get("name")]


def _plain_settings(settings: Mapping[str, Any], secret: list[str]) -> dict[str, Any]:
    return {
        k: v
        for k, v in settings.items()
        if k not in secret and k != "name" and not (isinstance(v, str) and MASKED in v)
    }


def _settings_with_secrets(
    p: _Planner, var: str, answer: Obj, settings: Mapping[str, Any], what: str
) -> Code:
    from segment_unify.cli.render import literal

    secret = _password_options(answer) + [
        k
        for k, v in settings.items()
        if isinstance(v, str) and MASKED in v and k not in _password_options(answer)
    ]
    reads = [f"{o}={p.secret(var, o, f'{what}: setting {o!r}').text}" for o in secret]
    plain = literal(_plain_settings(settings, secret), 1)
    return Code(
        f"with_secrets(\n        {plain.replace(chr(10), chr(10) + '    ')},\n"
        + "".join(f"        {r},\n" for r in reads)
        + "    )"
    )


def plan_program(workspace: Workspace) -> Plan:
    from segment_unify.provider import resources as r
    from segment_unify.provider.resources.profiles_warehouse import profiles_warehouse_state

    p = _Planner(workspace)
    for space in workspace.spaces:
        _space(p, space)
    for source in workspace.sources:
        state = r.Source._segment_provider.state(source)
        var = p.var(str(source.get("name") or source["slug"]), "source")
        fields = declared(r.SourceArgs, state, skip=("metadata_id",))
        p.add(
            "source",
            Decl(var, "Source", resource_name(var), fields, str(source["id"])),
            str(source["id"]),
        )
    for warehouse in workspace.warehouses:
        state = r.Warehouse._segment_provider.state(warehouse)
        name = state.get("name") or (warehouse.get("metadata") or {}).get("slug") or "warehouse"
        var = p.var(str(name), "warehouse")
        fields = declared(r.WarehouseArgs, state, skip=("metadata_id",))
        fields["settings"] = _settings_with_secrets(
            p, var, warehouse, warehouse.get("settings") or {}, f"warehouse {name!r}"
        )
        p.add(
            "warehouse",
            Decl(var, "Warehouse", resource_name(var), fields, str(warehouse["id"])),
            str(warehouse["id"]),
        )
    for warehouse_id, source_id in workspace.connections:
        var = p.var(
            f"{p.refs.get(source_id, source_id)}_to_{p.refs.get(warehouse_id, warehouse_id)}",
            "connection",
        )
        fields = {"warehouse_id": p.ref(warehouse_id), "source_id": p.ref(source_id)}
        p.add(
            "warehouse source connection",
            Decl(
                var,
                "WarehouseSourceConnection",
                resource_name(var),
                fields,
                f"{warehouse_id}/{source_id}",
            ),
        )
    for model in workspace.models:
        state = r.ReverseEtlModel._segment_provider.state(model)
        var = p.var(str(model.get("name") or model["id"]), "model")
        fields = declared(r.ReverseEtlModelArgs, state)
        fields["source_id"] = p.ref(model.get("sourceId"))
        p.add(
            "Reverse ETL model",
            Decl(
                var,
                "ReverseEtlModel",
                resource_name(var),
                {"source_id": fields.pop("source_id"), **fields},
                str(model["id"]),
            ),
            str(model["id"]),
        )
    for destination in workspace.destinations:
        state = r.Destination._segment_provider.state(destination)
        name = (
            state.get("name")
            or (destination.get("metadata") or {}).get("name")
            or destination["id"]
        )
        var = p.var(str(name), "destination")
        fields = declared(r.DestinationArgs, state, skip=("metadata_id",))
        fields["source_id"] = p.ref(destination.get("sourceId"))
        if state.get("name") is None:
            p.plan.skipped.append(
                (
                    f"destination {name!r}: its name",
                    "Segment holds none, so the first up names it (one PATCH); name it in "
                    "Segment first to adopt it unchanged",
                )
            )
        p.add(
            "destination",
            Decl(var, "Destination", resource_name(var), fields, str(destination["id"])),
            str(destination["id"]),
        )
    for subscription in workspace.subscriptions:
        _subscription(p, subscription)
    for space in workspace.spaces:
        _space_objects(p, space, profiles_warehouse_state)
    return p.plan


def _subscription(p: _Planner, subscription: Obj) -> None:
    from segment_unify.provider import resources as r

    state = r.DestinationSubscription._segment_provider.state(subscription)
    var = p.var(str(subscription.get("name") or subscription["id"]), "mapping")
    fields = declared(r.DestinationSubscriptionArgs, state, skip=("action_slug", "mapping"))
    fields["destination_id"] = p.ref(subscription.get("destinationId"))
    if subscription.get("modelId"):
        fields["model_id"] = p.ref(subscription["modelId"])
    settings = dict(fields.get("settings") or {})
    engage = settings.get("engage_space")
    if isinstance(engage, str) and engage in p.write_keys:
        settings["engage_space"] = Code(f"{p.write_keys[engage]}.write_key")
        fields["settings"] = settings
    adopt = f"{subscription.get('destinationId')}/{subscription['id']}"
    p.add(
        "destination subscription",
        Decl(var, "DestinationSubscription", resource_name(var), fields, adopt),
    )


def _space(p: _Planner, contents: SpaceContents) -> None:
    space = contents.space
    var = p.var(str(space["slug"]), "space")
    p.add(
        "Unify space",
        Decl(var, "UnifySpace", resource_name(var), {"slug": space["slug"]}),
        str(space["id"]),
    )
    internal = "personas_" + str(space["slug"]).replace("-", "_")
    for source in p.ws.space_sources:
        if source.get("slug") == internal:
            for key in source.get("writeKeys") or []:
                p.write_keys[str(key)] = var
    token = p.secret(var, "profile_api_token", f"space {space['slug']!r}: its Profile API token")
    p.plan.program.config_reads[-1] = p.plan.program.config_reads[-1].replace(
        "get_secret", "require_secret"
    )
    p.add(
        "Profile API token",
        Decl(
            f"{var}_token",
            "ProfileApiToken",
            resource_name(f"{var}_token"),
            {"space_id": Code(f"{var}.space_id"), "token": token},
        ),
    )
    p.plan.program.exports[f"{var}_id"] = f"{var}.space_id"


def _space_objects(p: _Planner, contents: SpaceContents, profiles_state: Any) -> None:
    from segment_unify.provider import resources as r
    from segment_unify.provider.resources.prediction import kind_of

    space_id = str(contents.space["id"])
    space_ref = Code(f"{p.refs[space_id]}.space_id")
    for warehouse in contents.profiles_warehouses:
        state = profiles_state(warehouse)
        var = p.var(str(state.get("name") or warehouse["id"]), "profiles_sync")
        fields = {
            "space_id": space_ref,
            **declared(r.ProfilesWarehouseArgs, state, skip=("metadata_id", "space_id")),
        }
        settings = {k: v for k, v in (warehouse.get("settings") or {}).items() if k != "name"}
        fields["settings"] = _settings_with_secrets(
            p, var, warehouse, settings, f"Profiles Sync warehouse {state.get('name')!r}"
        )
        p.add(
            "Profiles Sync warehouse",
            Decl(
                var,
                "ProfilesWarehouse",
                resource_name(var),
                fields,
                f"{space_id}/{warehouse['id']}",
            ),
        )
    for cls, args, kind, items in (
        ("ComputedTrait", r.ComputedTraitArgs, "computed trait", contents.computed_traits),
        ("Audience", r.AudienceArgs, "audience", contents.audiences),
    ):
        for item in items:
            provider = getattr(r, cls)._segment_provider
            state = provider.state(item)
            var = p.var(
                str(item.get("key") or item["name"]),
                "trait" if cls == "ComputedTrait" else "audience",
            )
            fields = {"space_id": space_ref, **declared(args, state, skip=("space_id",))}
            fields["definition"] = _definition(p, fields["definition"], audience=cls == "Audience")
            p.add(kind, Decl(var, cls, resource_name(var), fields, f"{space_id}/{item['id']}"))
    for trait in contents.predictions:
        key = str(trait["trait"])
        var = p.var(key, "prediction")
        fields = {"space_id": space_ref, "kind": kind_of(key), "trait_key": key}
        p.add("prediction", Decl(var, "Prediction", resource_name(var), fields))


def _definition(p: _Planner, definition: Mapping[str, Any], *, audience: bool) -> Any:
    """Builder code where the builders say the query exactly (a trait's only for ``USERS``, the
    builders' default type, and with no options: a builder brings its own); else as Segment
    holds it."""
    from segment_unify.cli.queries import builder_code

    query = definition.get("query")
    plain = set(definition) == {"query"} or definition.get("type") == "USERS"
    if not isinstance(query, str) or not plain or (not audience and len(definition) != 2):
        return definition
    found = builder_code(query, audience=audience)
    if found is None:
        return definition
    code, names = found
    p.plan.program.query_imports |= names
    return Code(code)
