"""``Destination``: a Segment destination on a source, such as Segment Profiles.

Segment: ``POST /destinations`` (200), ``GET|PATCH|DELETE /destinations/{id}``. The natural
key is name + source + catalog entry; a lost create is resolved by finding all three in
``GET /destinations``. Changing the source or the catalog entry replaces the destination;
name, enabled and settings are updated. Keys Segment adds to ``settings`` and values it masks
do not count as differences. Not handled: destination filters and device-mode options.
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
from segment_unify.provider.resources._declare import Args, Prop, arg, to_segment
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient


class DestinationArgs(Args):
    """Arguments of a ``Destination``."""

    check_base: ClassVar[str] = "destination.DestinationChecks"

    source_id: Prop[str] = arg(segment="sourceId", replaces=True, update=False, min_length=1)
    """The source it receives from (``Source.id``); a change replaces the destination."""
    catalog_slug: Prop[str] = fields.catalog_slug(default=None)
    """Catalog slug, e.g. ``actions-segment-profiles``."""
    metadata_id: Prop[str] = fields.metadata_id(default=None)
    """Catalog metadata id, for entries ``catalog_slug`` does not know; a change replaces the
    destination."""
    name: Prop[str] = fields.autonamed(default=None)
    """Autonamed from the resource name if omitted."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Enabled unless said otherwise (Segment's own default is disabled)."""
    settings: Prop[Mapping[str, Any]] = fields.settings(default={})
    """The catalog entry's settings."""


class DestinationProvider(ResolvesCatalogSlugs, SegmentProvider[Any]):
    catalog_family: ClassVar[str] = "destinations"
    kind = "destination"
    declaration = DestinationArgs
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("source_id", "metadata_id")

    def extra_failures(self, inputs: Any) -> list[dyn.CheckFailure]:
        failures: list[dyn.CheckFailure] = inputs.catalog_failures()
        return failures

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        return with_program_slug(state, props, catalog.DESTINATIONS)

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        body = to_segment(DestinationArgs, inputs.model_dump(), step="create")
        destination = client.post("CreateDestination", "/destinations", body)["destination"]
        return destination["id"], self.state(destination)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        destination = client.get("GetDestination", f"/destinations/{id_}")["destination"]
        return with_program_slug(self.state(destination), prior, catalog.DESTINATIONS)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: Any, changed: set[str]
    ) -> dict[str, Any]:
        body = to_segment(DestinationArgs, inputs.model_dump(), step="update", only=changed)
        destination = client.patch("UpdateDestination", f"/destinations/{id_}", body)
        return self.state(destination["destination"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteDestination", f"/destinations/{id_}")

    def segment_matches(
        self, client: SegmentClient, inputs: Any
    ) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for destination in client.paginate("ListDestinations", "/destinations", "destinations"):
            state = self.state(destination)
            if (state["name"], state["source_id"], state["metadata_id"]) == (
                inputs.name,
                inputs.source_id,
                inputs.metadata_id,
            ):
                found.append((destination["id"], state))
        return found


class Destination(
    SegmentResource[DestinationArgs], DestinationArgs, module="segment", name="Destination"
):
    """A destination on a source.

    ``Destination("profiles", source_id=..., catalog_slug="actions-segment-profiles")``.
    """

    _segment_provider = DestinationProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: DestinationArgs,
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
            source_id: pulumi.Input[str],
            catalog_slug: pulumi.Input[str] | None = None,
            metadata_id: pulumi.Input[str] | None = None,
            name: pulumi.Input[str] | None = None,
            enabled: pulumi.Input[bool] | None = True,
            settings: pulumi.Input[Mapping[str, Any]] | None = {},  # noqa: B006
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
