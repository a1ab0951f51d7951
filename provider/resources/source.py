"""``Source``: a Segment source (cloud app, ``javascript`` library, Salesforce, Reverse ETL).

Segment: ``POST /sources`` (201), ``GET|PATCH|DELETE /sources/{id}``. The natural key is the
slug, unique in a workspace; a lost create is resolved by finding the slug in ``GET /sources``.
Segment's create takes no name: a PATCH names the source after it, and names one a lost or
cut-off create left when it is taken over.
Changing the catalog entry replaces the source; slug, name, enabled and settings are updated.
A new source is connected to no warehouse (``disconnectAllWarehouses``), whatever else the
workspace holds: ``WarehouseSourceConnection`` declares the connections.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._catalog_field import with_program_slug
from segment_unify.provider.resources._catalog_lookup import ResolvesCatalogSlugs
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._test_connection import (
    require_connection,
    warehouse_for_reverse_etl_source,
)

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.source import SourceInputs

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "SourceInputs")


@dataclass
class SourceArgs:
    """Arguments of a ``Source``."""

    catalog_slug: pulumi.Input[str] | None = None
    """Catalog slug, e.g. ``javascript``, ``salesforce``, ``postgres-reverse-etl``."""
    metadata_id: pulumi.Input[str] | None = None
    """Catalog metadata id, for entries ``catalog_slug`` does not know."""
    slug: pulumi.Input[str] | None = None
    """The source's slug, unique in the workspace; autonamed from the resource name if omitted."""
    name: pulumi.Input[str] | None = None
    enabled: pulumi.Input[bool] = True
    settings: pulumi.Input[Mapping[str, Any]] | None = field(default=None, repr=False)


def source_state(source: Mapping[str, Any]) -> dict[str, Any]:
    metadata = source.get("metadata") or {}
    return {
        "slug": source.get("slug"),
        "name": source.get("name"),
        "enabled": bool(source.get("enabled")),
        "settings": dict(source.get("settings") or {}),
        "metadata_id": metadata.get("id"),
        "catalog_slug": metadata.get("slug"),
        "write_keys": list(source.get("writeKeys") or []),
        "workspace_id": source.get("workspaceId"),
    }


class SourceProvider(ResolvesCatalogSlugs, SegmentProvider["SourceInputs"]):
    catalog_family: ClassVar[str] = "sources"
    kind = "source"
    inputs_model = LazyModel("SourceInputs")
    replace_on = frozenset({"metadata_id"})
    autoname_field: ClassVar[str | None] = "slug"
    unique_key: ClassVar[bool] = True

    def extra_failures(self, inputs: SourceInputs) -> list[dyn.CheckFailure]:
        return inputs.catalog_failures()

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        return with_program_slug(state, props, catalog.SOURCES)

    def segment_create(
        self, client: SegmentClient, inputs: SourceInputs
    ) -> tuple[str, dict[str, Any]]:
        _test_connection(client, inputs, creating=True)
        body: dict[str, Any] = {
            "slug": inputs.slug,
            "enabled": inputs.enabled,
            "metadataId": inputs.metadata_id,
            "settings": inputs.settings,
            # Segment would otherwise load this source into every warehouse of the workspace,
            # another stack's included; the program declares the connections it wants.
            "disconnectAllWarehouses": True,
        }
        source = client.post("CreateSource", "/sources", body)["source"]
        return source["id"], source_state(source)

    def finish_create(
        self, client: SegmentClient, inputs: SourceInputs, made: tuple[str, dict[str, Any]]
    ) -> tuple[str, dict[str, Any]]:
        id_, state = made
        wanted = inputs.name
        if wanted is None or state.get("name") == wanted or not self.left_by_create("name", state):
            return made
        # CreateSourceV1Input has no name (Segment's Terraform provider does the same): the
        # source is named by a PATCH once it exists, the one a cut-off create left included.
        source = client.patch("UpdateSource", f"/sources/{id_}", {"name": wanted})["source"]
        return id_, source_state(source)

    def left_by_create(self, name: str, state: Mapping[str, Any]) -> bool:
        # Segment names a new source by its slug.
        return name == "name" and state.get("name") in (None, state.get("slug"))

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        source = client.get("GetSource", f"/sources/{id_}")["source"]
        return with_program_slug(source_state(source), prior, catalog.SOURCES)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: SourceInputs, changed: set[str]
    ) -> dict[str, Any]:
        if "settings" in changed:
            _test_connection(client, inputs, creating=False)
        body = {
            key: getattr(inputs, field)
            for field, key in (
                ("slug", "slug"),
                ("name", "name"),
                ("enabled", "enabled"),
                ("settings", "settings"),
            )
            if field in changed
        }
        source = client.patch("UpdateSource", f"/sources/{id_}", body)["source"]
        return source_state(source)

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteSource", f"/sources/{id_}")

    def segment_find(
        self, client: SegmentClient, inputs: SourceInputs
    ) -> tuple[str, dict[str, Any]] | None:
        for source in client.paginate("ListSources", "/sources", "sources"):
            if source.get("slug") == inputs.slug:
                return source["id"], source_state(source)
        return None


def _test_connection(client: SegmentClient, inputs: SourceInputs, *, creating: bool) -> None:
    """A Reverse ETL source logs in to its warehouse: Segment tests its credentials first.

    Only settings given are tested (a source whose credentials are entered in Segment's app
    has none here)."""
    warehouse = warehouse_for_reverse_etl_source(inputs.metadata_id)
    if warehouse is not None and inputs.settings:
        what = f"Reverse ETL source {inputs.slug!r}"
        require_connection(client, what, warehouse, inputs.settings, creating=creating)


class Source(SegmentResource, module="segment", name="Source"):
    """A Segment source. ``Source("web", catalog_slug="javascript")``."""

    _segment_provider = SourceProvider()
    _args_type = SourceArgs
    _computed = ("write_keys", "workspace_id")
    _secret_outputs = ("write_keys",)

    catalog_slug: pulumi.Output[str]
    metadata_id: pulumi.Output[str]
    slug: pulumi.Output[str]
    name: pulumi.Output[str | None]
    enabled: pulumi.Output[bool]
    settings: pulumi.Output[dict[str, Any]]
    write_keys: pulumi.Output[list[str]]
    workspace_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: SourceArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
