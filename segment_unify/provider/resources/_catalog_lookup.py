"""Catalog slugs the provider's table does not know, resolved through Segment's catalog.

``provider.catalog`` holds the entries this project uses (``javascript``, ``salesforce``, the
warehouses...), so ``check`` resolves them with no API call. Any other entry (``zendesk``,
``hubspot``) is named by its slug alone: ``check`` lets it through, and ``create`` (and an
``update`` that lacks the id) reads Segment's catalog, ``GET /catalog/sources``,
``/catalog/destinations`` or ``/catalog/warehouses`` (every page), for the entry with that
slug. A slug Segment does not list fails naming the closest slugs it does. A preview never
calls the API: until the first create, ``metadata_id`` is not known for such an entry, and an
unchanged slug is the entry the last create found (``check`` and ``diff`` carry its id).

A catalog is listed once per session (endpoint and workspace: ``Session.remembered``; it changes
with Segment's releases, not within an ``up``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Final

import pulumi.dynamic as dyn

from segment_unify.provider import _constants as c
from segment_unify.provider import runtime
from segment_unify.provider.errors import SegmentError, SegmentResourceError

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

# family -> (operation, path, data key)
FAMILIES: Final[dict[str, tuple[str, str, str]]] = {
    "sources": ("GetSourcesCatalog", "/catalog/sources", "sourcesCatalog"),
    "destinations": ("GetDestinationsCatalog", "/catalog/destinations", "destinationsCatalog"),
    "warehouses": ("GetWarehousesCatalog", "/catalog/warehouses", "warehousesCatalog"),
}


def catalog_slugs(client: SegmentClient, family: str) -> dict[str, str]:
    """Slug -> metadata id of every entry in Segment's ``family`` catalog (listed once)."""

    def listing() -> dict[str, str]:
        operation, path, data_key = FAMILIES[family]
        entries = client.paginate(operation, path, data_key, count=c.MAX_PAGE_SIZE)
        return {str(entry["slug"]): str(entry["id"]) for entry in entries if entry.get("slug")}

    return client.session.remembered("catalog", family, listing)


def resolve_slug(client: SegmentClient, family: str, slug: str, what: str) -> str:
    """The metadata id of ``slug`` in Segment's catalog, or a failure naming the closest."""
    try:
        slugs = catalog_slugs(client, family)
    except SegmentError as exc:
        raise SegmentResourceError(
            f"{what}: looking up catalog slug {slug!r} in Segment's {family} catalog failed "
            f"({exc}); nothing was created. Give metadata_id, or run `pulumi up` again."
        ) from exc
    found = slugs.get(slug)
    if found is not None:
        return found
    close = difflib.get_close_matches(slug, list(slugs), n=5, cutoff=0.6)
    hint = f"closest: {', '.join(close)}" if close else f"{len(slugs)} entries listed"
    raise SegmentResourceError(
        f"{what}: catalog slug {slug!r} is not in Segment's {family} catalog "
        f"({FAMILIES[family][1]}; {hint}); nothing was created. Use one of the slugs "
        "Segment lists, or give metadata_id."
    )


def _with_metadata_id(family: str, props: dict[str, Any], what: str) -> dict[str, Any]:
    slug = props.get("catalog_slug")
    if props.get("metadata_id") or not isinstance(slug, str) or not slug:
        return props
    found = resolve_slug(runtime.current().public_client(), family, slug, what)
    return {**props, "metadata_id": found}


class ResolvesCatalogSlugs(dyn.ResourceProvider):
    """Mixin (before ``SegmentProvider``): ``catalog_slug`` entries the table lacks are found
    in Segment's ``catalog_family`` catalog at create and update, never at check."""

    catalog_family: ClassVar[str]

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        result = super().check(_olds, news)
        props = result.inputs
        slug = props.get("catalog_slug") if isinstance(props, dict) else None
        carried = _olds.get("metadata_id")
        if slug and not props.get("metadata_id") and _olds.get("catalog_slug") == slug and carried:
            # The same entry as when it was made: the id Segment's catalog gave then.
            props["metadata_id"] = carried
        return result

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.DiffResult:
        # The engine checks against the old inputs, which never held the id Segment's catalog
        # gave; the old outputs do: the same slug is the same entry.
        slug = _news.get("catalog_slug")
        if slug and not _news.get("metadata_id") and _olds.get("catalog_slug") == slug:
            _news = {**_news, "metadata_id": _olds.get("metadata_id")}
        return super().diff(_id, _olds, _news)

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        what = f"creating {self._what(props)}"
        return super().create(_with_metadata_id(self.catalog_family, props, what))

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.UpdateResult:
        what = f"updating {self._what(_news)}"
        return super().update(_id, _olds, _with_metadata_id(self.catalog_family, _news, what))

    def _what(self, props: Mapping[str, Any]) -> str:
        describe = getattr(self, "describe", None)
        return str(describe(props)) if callable(describe) else "the object"
