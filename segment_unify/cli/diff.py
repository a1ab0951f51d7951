"""``segment-unify diff``: two spaces (or workspaces) compared by natural key.

Objects are matched by what names them in a setup (trait and audience keys, a source's
catalog entry and name, model and mapping names), never by id; ids, references, masked secrets
and the environment suffixes given (``--suffix dev --suffix prod``) are no differences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from segment_unify.cli.planner import MASKED
from segment_unify.cli.workspace import Obj, Workspace, catalog_slug

IGNORED = {
    "id",
    "spaceId",
    "workspaceId",
    "sourceId",
    "destinationId",
    "modelId",
    "writeKeys",
    "createdAt",
    "updatedAt",
    "createdBy",
    "updatedBy",
    "status",
    "metadata",
    "labels",
    "lastSeenAt",
    "engage_space",
}


@dataclass(frozen=True)
class Difference:
    kind: str
    key: str
    change: str
    """``missing`` (only in A), ``extra`` (only in B) or ``different``."""
    fields: tuple[tuple[str, Any, Any], ...] = ()


@dataclass(frozen=True)
class Ignoring:
    """What differs between environments by design, removed from names and values alike."""

    suffixes: tuple[str, ...] = ()
    """Environment suffixes (``dev``, ``prod``) and what joins them to a name."""
    autonames: bool = False
    """The 7-character suffix this package's resources give a name the program left out
    (``unify-model-accounts-xhrllbc``): each stack's own. Also any name ending in a hyphen and
    7 lowercase letters or digits, so it is a choice to make, not a default."""

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            for suffix in self.suffixes:
                # "Accounts (dev)", "profiles-dev", "calls_dev", "Engaged dev": the suffix and
                # what joins it; "developer" keeps its letters.
                pattern = rf"(?:[-_. ]\(?|\()(?:{re.escape(suffix)})\)?(?![A-Za-z0-9])"
                value = re.sub(pattern, "", value)
            if self.autonames:
                value = re.sub(r"^([a-z0-9][a-z0-9_-]*)-[a-z0-9]{7}$", r"\1", value)
            return value
        if isinstance(value, Mapping):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        return value


def _comparable(obj: Obj, ignoring: Ignoring) -> dict[str, Any]:
    flat: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping) and value:
            for k, v in value.items():
                if k not in IGNORED:
                    walk(f"{prefix}.{k}" if prefix else str(k), v)
        elif not (isinstance(value, str) and MASKED in value):
            flat[prefix] = value

    walk("", ignoring(obj))
    return flat


def _keyed(workspace: Workspace, ignoring: Ignoring) -> dict[tuple[str, str], Obj]:
    names = {str(s["id"]): str(s.get("name") or s.get("slug")) for s in workspace.sources}
    models = {str(m["id"]): str(m.get("name")) for m in workspace.models}
    out: dict[tuple[str, str], Obj] = {}

    def put(kind: str, key: str, obj: Obj, **extra: Any) -> None:
        out[(kind, str(ignoring(key)))] = {**obj, **extra}

    for s in workspace.sources:
        put("source", f"{catalog_slug(s)}:{s.get('name') or s.get('slug')}", s)
    for w in workspace.warehouses:
        put("warehouse", f"{catalog_slug(w)}:{(w.get('settings') or {}).get('name')}", w)
    for m in workspace.models:
        put("reverse_etl_model", str(m.get("name")), m, source=names.get(str(m.get("sourceId"))))
    for d in workspace.destinations:
        put("destination", f"{catalog_slug(d)}:{names.get(str(d.get('sourceId')))}", d)
    for sub in workspace.subscriptions:
        put("mapping", str(sub.get("name")), sub, model=models.get(str(sub.get("modelId"))))
    for space in workspace.spaces:
        for pw in space.profiles_warehouses:
            put("profiles_sync", str(catalog_slug(pw)), pw)
        for t in space.computed_traits:
            put("computed_trait", str(t.get("key")), t)
        for a in space.audiences:
            put("audience", str(a.get("key")), a)
        for p in space.predictions:
            put("prediction", str(p.get("trait")), {"trait": p.get("trait"), "type": p.get("type")})
    return out


def compare(a: Workspace, b: Workspace, ignoring: Ignoring | None = None) -> list[Difference]:
    ignoring = ignoring or Ignoring()
    left, right = _keyed(a, ignoring), _keyed(b, ignoring)
    found: list[Difference] = []
    for kind, key in sorted(left.keys() | right.keys()):
        if (kind, key) not in right:
            found.append(Difference(kind, key, "missing"))
        elif (kind, key) not in left:
            found.append(Difference(kind, key, "extra"))
        else:
            x, y = _comparable(left[kind, key], ignoring), _comparable(right[kind, key], ignoring)
            fields = tuple(
                (f, x.get(f), y.get(f)) for f in sorted(x.keys() | y.keys()) if x.get(f) != y.get(f)
            )
            if fields:
                found.append(Difference(kind, key, "different", fields))
    return found


def as_json(differences: Iterable[Difference]) -> str:
    return json.dumps(
        [
            {
                "kind": d.kind,
                "key": d.key,
                "change": d.change,
                "fields": [{"field": f, "a": x, "b": y} for f, x, y in d.fields],
            }
            for d in differences
        ],
        indent=2,
    )


def as_table(differences: Sequence[Difference], a: str, b: str) -> str:
    if not differences:
        return f"no differences between {a} and {b}\n"
    rows = [("kind", "key", "change", f"field: {a} -> {b}")]
    for d in differences:
        what = {"missing": f"only in {a}", "extra": f"only in {b}"}.get(d.change, "different")
        if not d.fields:
            rows.append((d.kind, d.key, what, ""))
        for f, x, y in d.fields:
            rows.append((d.kind, d.key, what, f"{f}: {json.dumps(x)} -> {json.dumps(y)}"))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(r[:3], widths, strict=True)) + "  " + r[3] + "\n"
        for r in rows
    )
