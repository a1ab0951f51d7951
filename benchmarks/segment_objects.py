"""What Segment (the emulator) holds against what the engine's state says it should.

- ``owned_objects``: the stored objects of the kinds a stack creates, minus what the seed made.
- ``duplicates``: objects beyond the first that share one natural key (two traits named alike in
  a space, two destinations of one catalog entry on one source...). Autonamed names count by
  their stem: ``unify-model-accounts-1ppqiqa`` and ``unify-model-accounts-89wlv41`` are one key.
- ``orphans``: owned objects no state entry points to. A warehouse connection between two
  objects in state is not one: Segment connects a new warehouse to the workspace's sources
  (and a new source to its warehouses) on its own.
- ``missing``: state entries whose object Segment does not have.

Adopted objects (the space, its predictions, the Profile API token) are not created by a stack
and are left out of all three.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from segment_unify.localrun.engine import Resource

Object = Mapping[str, Any]

AUTONAME_SUFFIX = re.compile(r"-[a-z0-9]{7}$")


def _stem(name: Any) -> str:
    return AUTONAME_SUFFIX.sub("", str(name or ""))


NATURAL_KEYS: dict[str, Callable[[Object], tuple[Any, ...]]] = {
    "source": lambda o: (o.get("metadataId"), o.get("name")),
    "warehouse": lambda o: (o.get("metadataId"), _stem((o.get("settings") or {}).get("name"))),
    "connection": lambda o: (o.get("warehouseId"), o.get("sourceId")),
    "destination": lambda o: (o.get("sourceId"), o.get("metadataId")),
    "subscription": lambda o: (
        o.get("destinationId"),
        o.get("actionId"),
        o.get("modelId"),
        _stem(o.get("name")),
    ),
    "reverse_etl_model": lambda o: (o.get("sourceId"), _stem(o.get("name"))),
    "computed_trait": lambda o: (o.get("spaceId"), o.get("name")),
    "audience": lambda o: (o.get("spaceId"), o.get("name")),
    "profiles_warehouse": lambda o: (o.get("spaceId"), o.get("metadataId")),
}
OWNED_KINDS = tuple(NATURAL_KEYS)


def stored(state: Mapping[str, Any], workspace: str) -> dict[str, list[dict[str, Any]]]:
    """The admin ``state`` document's objects of one workspace, by kind."""
    for entry in state["workspaces"]:
        if entry["slug"] == workspace:
            objects: dict[str, list[dict[str, Any]]] = entry["objects"]
            return objects
    raise KeyError(workspace)


def object_ids(objects: Mapping[str, Iterable[Object]]) -> set[tuple[str, str]]:
    return {(kind, str(o["id"])) for kind, items in objects.items() for o in items}


def owned_objects(
    objects: Mapping[str, Iterable[Object]], seeded: set[tuple[str, str]]
) -> dict[str, list[Object]]:
    return {
        kind: [o for o in objects.get(kind, []) if (kind, str(o["id"])) not in seeded]
        for kind in OWNED_KINDS
    }


def duplicates(owned: Mapping[str, list[Object]]) -> int:
    extra = 0
    for kind, items in owned.items():
        keys = Counter(NATURAL_KEYS[kind](o) for o in items)
        extra += sum(n - 1 for n in keys.values() if n > 1)
    return extra


def _state_ids(state: Mapping[str, Resource]) -> set[str]:
    """Every id the state names: whole Pulumi ids and each part of a composite one."""
    ids: set[str] = set()
    for resource in state.values():
        ids.add(resource.id)
        ids.update(resource.id.split("/"))
    return ids


def orphans(owned: Mapping[str, list[Object]], state: Mapping[str, Resource]) -> list[str]:
    ids = _state_ids(state)
    found: list[str] = []
    for kind, items in owned.items():
        for o in items:
            if kind == "connection":
                pair = f"{o.get('warehouseId')}/{o.get('sourceId')}"
                both_in_state = o.get("warehouseId") in ids and o.get("sourceId") in ids
                if pair not in ids and not both_in_state:
                    found.append(f"{kind} {pair}")
            elif str(o["id"]) not in ids:
                found.append(f"{kind} {o['id']}")
    return found


def missing(owned: Mapping[str, list[Object]], state: Mapping[str, Resource]) -> list[str]:
    """State entries of created (not adopted) kinds whose object Segment lacks."""
    present = {str(o["id"]) for items in owned.values() for o in items}
    present |= {f"{o.get('warehouseId')}/{o.get('sourceId')}" for o in owned.get("connection", [])}
    # Adopted kinds, and the stack identity, which lives in state only.
    adopted = (":UnifySpace::", ":ProfileApiToken::", ":Prediction::", ":StackIdentity::")
    gone = []
    for urn, resource in state.items():
        if any(kind in urn for kind in adopted):
            continue
        if resource.id not in present and resource.id.split("/")[-1] not in present:
            gone.append(urn.split("::")[-1])
    return gone
