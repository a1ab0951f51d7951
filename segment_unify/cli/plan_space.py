"""A Unify space's objects in the program: the space and its Profile API token (adopted by
lookup), Profiles Sync, computed traits, audiences (definitions as builder code where the
builders print Segment's text exactly) and predictions (adopted by trait key)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from segment_unify.cli.planner import Planner, declared
from segment_unify.cli.render import Code
from segment_unify.cli.workspace import SpaceContents


def space(p: Planner, contents: SpaceContents) -> None:
    found = contents.space
    var = p.var(str(found["slug"]), "space")
    p.declare("Unify space", "UnifySpace", var, {"slug": found["slug"]}, segment_id=found["id"])
    # Segment's own source of the space (``personas_<slug>``) holds the space's write key.
    internal = "personas_" + str(found["slug"]).replace("-", "_")
    for source in p.workspace.space_sources:
        if source.get("slug") == internal:
            for key in source.get("writeKeys") or []:
                p.write_keys[str(key)] = var
    what = f"space {found['slug']!r}: its Profile API token"
    token = p.secret(var, "profile_api_token", what, required=True)
    fields = {"space_id": Code(f"{var}.space_id"), "token": token}
    p.declare("Profile API token", "ProfileApiToken", f"{var}_token", fields)
    p.taken.add(f"{var}_token")
    p.plan.program.exports[f"{var}_id"] = f"{var}.space_id"


def space_objects(p: Planner, contents: SpaceContents) -> None:
    from segment_unify.provider import resources as r
    from segment_unify.provider.resources.prediction import kind_of
    from segment_unify.provider.resources.profiles_warehouse import profiles_warehouse_state

    space_id = str(contents.space["id"])
    space_ref = Code(f"{p.refs[space_id]}.space_id")
    for warehouse in contents.profiles_warehouses:
        state = profiles_warehouse_state(warehouse)
        var = p.var(str(state.get("name") or warehouse["id"]), "profiles_sync")
        fields: dict[str, Any] = {"space_id": space_ref}
        fields |= declared(r.ProfilesWarehouseArgs, state, skip=("space_id",))
        what = f"Profiles Sync warehouse {state.get('name')!r}"
        settings = warehouse.get("settings") or {}
        fields["settings"] = p.settings(var, warehouse, settings, what, named=True)
        adopt = f"{space_id}/{warehouse['id']}"
        kind = "Profiles Sync warehouse"
        p.declare(kind, "ProfilesWarehouse", var, fields, adopt, answer=warehouse)
    for cls, args, kind, items in (
        ("ComputedTrait", r.ComputedTraitArgs, "computed trait", contents.computed_traits),
        ("Audience", r.AudienceArgs, "audience", contents.audiences),
    ):
        audience = cls == "Audience"
        for item in items:
            why = _not_declarable(kind, item, audience=audience)
            if why is not None:
                p.plan.skipped.append((f"{kind} {item.get('name')!r} ({item.get('key')})", why))
                continue
            state = getattr(r, cls)._segment_provider.state(item)
            var = p.var(str(item.get("key") or item["name"]), "audience" if audience else "trait")
            fields = {"space_id": space_ref}
            fields |= declared(args, state, skip=("space_id",))
            fields["definition"] = _definition(p, fields["definition"], audience=audience)
            p.declare(kind, cls, var, fields, f"{space_id}/{item['id']}", answer=item)
    for trait in contents.predictions:
        key = str(trait["trait"])
        fields = {"space_id": space_ref, "kind": kind_of(key), "trait_key": key}
        p.declare("prediction", "Prediction", p.var(key, "prediction"), fields)


def _definition(p: Planner, definition: Mapping[str, Any], *, audience: bool) -> Any:
    """Builder code where the builders print the query exactly; else as Segment holds it.

    A trait's only as ``{type: USERS, query}`` (the builders' type; an ``ACCOUNTS`` trait or a
    definition with more keys stays as it is), an audience's only as ``{query}``."""
    from segment_unify.cli.queries import builder_code

    query = definition.get("query")
    expected = {"query"} if audience else {"type", "query"}
    if not isinstance(query, str) or set(definition) != expected:
        return definition
    if not audience and definition.get("type") != "USERS":
        return definition
    found = builder_code(query, audience=audience)
    if found is None:
        return definition
    code, names = found
    p.plan.program.query_imports |= names
    return Code(code)


def _not_declarable(kind: str, item: Mapping[str, Any], *, audience: bool) -> str | None:
    """Why the resource would refuse the object as Segment holds it at preview, or None.

    A trait renamed in Segment's app keeps the key its first name gave, and the resource holds
    a key to its name; a query this package's parser does not take fails its check."""
    from segment_unify.provider.keys import key_mismatch
    from segment_unify.query import QueryError, ResultKind, validate

    name, key = item.get("name"), item.get("key")
    if isinstance(name, str) and isinstance(key, str):
        reason = key_mismatch(kind, name, key)
        if reason is not None:
            return reason
    query = (item.get("definition") or {}).get("query")
    if not isinstance(query, str):
        return "Segment's answer holds no query text"
    expect = ResultKind.BOOLEAN if audience else ResultKind.SCALAR
    try:
        validate(query, expect=expect)
    except QueryError as exc:
        return f"its query does not pass this package's check ({exc}); declare it by hand"
    return None
