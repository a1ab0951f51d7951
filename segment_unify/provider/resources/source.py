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
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog
from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._catalog_field import with_program_slug
from segment_unify.provider.resources._catalog_lookup import ResolvesCatalogSlugs
from segment_unify.provider.resources._catalog_settings import require_source_settings
from segment_unify.provider.resources._declare import Args, Prop, arg, out, to_segment
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources._test_connection import (
    warehouse_for_reverse_etl_source,
)

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient


class SourceArgs(Args):
    """Arguments of a ``Source``."""

    check_base: ClassVar[str] = "source.SourceChecks"

    catalog_slug: Prop[str] = fields.catalog_slug(default=None)
    """Catalog slug, e.g. ``javascript``, ``salesforce``, ``postgres-reverse-etl``."""
    metadata_id: Prop[str] = fields.metadata_id(default=None)
    """Catalog metadata id, for entries ``catalog_slug`` does not know; a change replaces the
    source."""
    slug: Prop[str] = arg(
        segment="slug", pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=100, default=None
    )
    """The source's slug, unique in the workspace; autonamed from the resource name if omitted."""
    name: Prop[str] = arg(segment="name", create=False, default=None, clearable=False)
    """Display name (set by a PATCH after the create: Segment's create takes none)."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether the source accepts data."""
    settings: Prop[Mapping[str, Any]] = fields.settings(default={}, shown=False)
    """The catalog entry's settings; may hold credentials (kept out of reprs)."""
    write_keys: Prop[list[str]] = out(segment="writeKeys", secret=True)
    """The source's write keys (secret)."""
    workspace_id: Prop[str] = out(segment="workspaceId")
    """The workspace the source is in."""


class SourceProvider(ResolvesCatalogSlugs, SegmentProvider[Any]):
    catalog_family: ClassVar[str] = "sources"
    kind = "source"
    declaration = SourceArgs
    autoname_field: ClassVar[str | None] = "slug"
    unique_key: ClassVar[bool] = True

    def extra_failures(self, inputs: Any) -> list[dyn.CheckFailure]:
        failures: list[dyn.CheckFailure] = inputs.catalog_failures()
        return failures + _salesforce_environment_failures(inputs)

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        return with_program_slug(state, props, catalog.SOURCES)

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        _test_connection(client, inputs, creating=True)
        body = to_segment(SourceArgs, inputs.model_dump(), step="create")
        # Segment would otherwise load this source into every warehouse of the workspace,
        # another stack's included; the program declares the connections it wants.
        body["disconnectAllWarehouses"] = True
        source = client.post("CreateSource", "/sources", body)["source"]
        return source["id"], self.state(source)

    def finish_create(
        self, client: SegmentClient, inputs: Any, made: tuple[str, dict[str, Any]]
    ) -> tuple[str, dict[str, Any]]:
        id_, state = made
        wanted = inputs.name
        if wanted is None or state.get("name") == wanted or not self.left_by_create("name", state):
            return made
        # CreateSourceV1Input has no name (Segment's Terraform provider does the same): the
        # source is named by a PATCH once it exists, the one a cut-off create left included.
        source = client.patch("UpdateSource", f"/sources/{id_}", {"name": wanted})["source"]
        return id_, self.state(source)

    def left_by_create(self, name: str, state: Mapping[str, Any]) -> bool:
        # Segment names a new source by its slug.
        return name == "name" and state.get("name") in (None, state.get("slug"))

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        source = client.get("GetSource", f"/sources/{id_}")["source"]
        return with_program_slug(self.state(source), prior, catalog.SOURCES)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        if "settings" in changed:
            _test_connection(client, inputs, creating=False)
        body = to_segment(SourceArgs, inputs.model_dump(), step="update", only=changed)
        source = client.patch("UpdateSource", f"/sources/{id_}", body)["source"]
        return self.state(source)

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteSource", f"/sources/{id_}")

    def segment_find(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]] | None:
        for source in client.paginate("ListSources", "/sources", "sources"):
            if source.get("slug") == inputs.slug:
                return source["id"], self.state(source)
        return None


def _salesforce_environment_failures(inputs: Any) -> list[dyn.CheckFailure]:
    """Salesforce's ``salesforce-environment`` names the Salesforce its sign-in goes to."""
    if inputs.metadata_id != catalog.SOURCES["salesforce"] or not inputs.settings:
        return []
    value = inputs.settings.get(catalog.SALESFORCE_ENVIRONMENT)
    if value is None or value in catalog.SALESFORCE_ENVIRONMENTS:
        return []
    expected = " or ".join(repr(e) for e in catalog.SALESFORCE_ENVIRONMENTS)
    return [
        dyn.CheckFailure(
            "settings",
            f"settings[{catalog.SALESFORCE_ENVIRONMENT!r}] must be {expected} (the Salesforce "
            f"the OAuth sign-in goes to), got {value!r}",
        )
    ]


def _test_connection(client: SegmentClient, inputs: Any, *, creating: bool) -> None:
    """A Reverse ETL source's settings, judged by its own catalog entry (``_catalog_settings``),
    not by its warehouse's Test Connection.

    Only settings given are checked (a source whose credentials are entered in Segment's app
    has none here)."""
    if warehouse_for_reverse_etl_source(inputs.metadata_id) is not None and inputs.settings:
        what = f"Reverse ETL source {inputs.slug!r}"
        require_source_settings(
            client, what, inputs.metadata_id, inputs.settings, creating=creating
        )


class Source(SegmentResource[SourceArgs], SourceArgs, module="segment", name="Source"):
    """A Segment source: ``Source("web", catalog_slug="javascript")``."""

    _segment_provider = SourceProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: SourceArgs,
            opts: pulumi.ResourceOptions | None = None,
            *,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        @overload
        def __init__(
            self,
            resource_name: str,
            args: None = None,
            opts: pulumi.ResourceOptions | None = None,
            *,
            catalog_slug: pulumi.Input[str] | None = None,
            metadata_id: pulumi.Input[str] | None = None,
            slug: pulumi.Input[str] | None = None,
            name: pulumi.Input[str] | None = None,
            enabled: pulumi.Input[bool] | None = True,
            settings: pulumi.Input[Mapping[str, Any]] | None = {},  # noqa: B006
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
