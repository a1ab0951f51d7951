"""What ``export`` and ``diff`` read of a workspace: one paginated list per kind, GETs only.

The Public API lists every field the resources declare, so nothing is read object by object,
except where Segment has no workspace-wide list: a warehouse's connected sources and a
destination's subscriptions (one list per warehouse and per destination).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from segment_unify.provider._constants import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from segment_unify.provider.client import SegmentClient

Obj = dict[str, Any]
Progress = Callable[[str], None]

# Segment makes one source per space (catalog "personas-compute"): it is the space's own.
SPACE_SOURCE_SLUG = "personas-compute"


def catalog_slug(obj: Obj) -> str:
    """The slug of the catalog entry (integration) ``obj`` is an instance of."""
    return str((obj.get("metadata") or {}).get("slug") or "")


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class SpaceContents:
    space: Obj
    profiles_warehouses: list[Obj] = field(default_factory=list)
    computed_traits: list[Obj] = field(default_factory=list)
    audiences: list[Obj] = field(default_factory=list)
    predictions: list[Obj] = field(default_factory=list)
    """The space's traits that a prediction writes (``GET /spaces/{id}/traits``)."""


@dataclass
class Workspace:
    sources: list[Obj] = field(default_factory=list)
    space_sources: list[Obj] = field(default_factory=list)
    """The sources Segment made for the spaces (not the program's to declare)."""
    warehouses: list[Obj] = field(default_factory=list)
    connections: list[tuple[str, str]] = field(default_factory=list)
    """(warehouse id, source id)."""
    models: list[Obj] = field(default_factory=list)
    destinations: list[Obj] = field(default_factory=list)
    subscriptions: list[Obj] = field(default_factory=list)
    spaces: list[SpaceContents] = field(default_factory=list)


class SpaceNotFoundError(Exception):
    """A ``--space`` slug the workspace does not have."""


def read_workspace(
    client: SegmentClient, space_slugs: Sequence[str], progress: Progress = stderr_progress
) -> Workspace:
    """The workspace's objects and the named spaces' (in the order given)."""
    spaces = _listed(client, progress, "ListSpaces", "/spaces", "spaces")
    by_slug = {str(space.get("slug")): space for space in spaces}
    missing = [slug for slug in space_slugs if slug not in by_slug]
    if missing:
        raise SpaceNotFoundError(
            f"the workspace at {client.base_url} has no Unify space {', '.join(map(repr, missing))}"
            f" (it has: {', '.join(sorted(by_slug)) or 'none'}); give --space a slug of "
            "Segment's Unify > Spaces"
        )
    found = Workspace()
    for source in _listed(client, progress, "ListSources", "/sources", "sources"):
        own = catalog_slug(source) == SPACE_SOURCE_SLUG
        (found.space_sources if own else found.sources).append(source)
    found.warehouses = _listed(client, progress, "ListWarehouses", "/warehouses", "warehouses")
    for warehouse in found.warehouses:
        path = f"/warehouses/{warehouse['id']}/connected-sources"
        for source in _listed(client, None, "ListConnectedSourcesFromWarehouse", path, "sources"):
            found.connections.append((str(warehouse["id"]), str(source["id"])))
    found.models = _listed(
        client, progress, "ListReverseEtlModels", "/reverse-etl-models", "models"
    )
    found.destinations = _listed(
        client, progress, "ListDestinations", "/destinations", "destinations"
    )
    for destination in found.destinations:
        path = f"/destinations/{destination['id']}/subscriptions"
        found.subscriptions += _listed(
            client, None, "ListSubscriptionsFromDestination", path, "subscriptions"
        )
    for slug in space_slugs:
        found.spaces.append(_read_space(client, by_slug[slug], progress))
    return found


def _read_space(client: SegmentClient, space: Obj, progress: Progress) -> SpaceContents:
    base = f"/spaces/{space['id']}"
    progress(f"space {space['slug']!r}:")
    contents = SpaceContents(space)
    contents.profiles_warehouses = _listed(
        client,
        progress,
        "ListProfilesWarehouseInSpace",
        f"{base}/profiles-warehouses",
        "profilesWarehouses",
    )
    contents.computed_traits = _listed(
        client,
        progress,
        "ListComputedTraits",
        f"{base}/computed-traits",
        "computedTraits",
        MAX_PAGE_SIZE,
    )
    contents.audiences = _listed(
        client, progress, "ListAudiences", f"{base}/audiences", "audiences", MAX_PAGE_SIZE
    )
    from segment_unify.provider.resources.prediction import is_predicted

    computed = {str(trait.get("key")) for trait in contents.computed_traits}
    traits = _listed(client, None, "ListTraits", f"{base}/traits", "traits")
    contents.predictions = [
        trait for trait in traits if is_predicted(trait) and trait.get("trait") not in computed
    ]
    progress(f"  {len(contents.predictions)} predictions")
    return contents


def _listed(
    client: SegmentClient,
    progress: Progress | None,
    operation: str,
    path: str,
    key: str,
    count: int = DEFAULT_PAGE_SIZE,
) -> list[Obj]:
    items = list(client.paginate(operation, path, key, count=count))
    if progress is not None:
        progress(f"  {len(items)} {key} ({operation})")
    return items
