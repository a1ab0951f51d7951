"""``Destination``: a Segment destination on a source, such as Segment Profiles.

Segment: ``POST /destinations`` (200), ``GET|PATCH|DELETE /destinations/{id}``. The natural
key is name + source + catalog entry; a lost create is resolved by finding all three in
``GET /destinations``. Changing the source or the catalog entry replaces the destination;
name, enabled and settings are updated. Keys Segment adds to ``settings`` and values it masks
do not count as differences. Not handled: destination filters and device-mode options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._catalog_field import with_program_slug
from segment_unify.provider.resources._catalog_lookup import ResolvesCatalogSlugs
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.destination import DestinationInputs

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "DestinationInputs")


@dataclass
class DestinationArgs:
    """Arguments of a ``Destination``."""

    source_id: pulumi.Input[str] | None = None
    catalog_slug: pulumi.Input[str] | None = None
    """Catalog slug, e.g. ``actions-segment-profiles``."""
    metadata_id: pulumi.Input[str] | None = None
    """Catalog metadata id, for entries ``catalog_slug`` does not know."""
    name: pulumi.Input[str] | None = None
    """Autonamed from the resource name if omitted."""
    enabled: pulumi.Input[bool] = True
    """Enabled unless said otherwise (Segment's own default is disabled)."""
    settings: pulumi.Input[Mapping[str, Any]] | None = None


def destination_state(destination: Mapping[str, Any]) -> dict[str, Any]:
    metadata = destination.get("metadata") or {}
    return {
        "source_id": destination.get("sourceId"),
        "name": destination.get("name"),
        "enabled": bool(destination.get("enabled")),
        "settings": dict(destination.get("settings") or {}),
        "metadata_id": metadata.get("id"),
        "catalog_slug": metadata.get("slug"),
    }


class DestinationProvider(ResolvesCatalogSlugs, SegmentProvider["DestinationInputs"]):
    catalog_family: ClassVar[str] = "destinations"
    kind = "destination"
    inputs_model = LazyModel("DestinationInputs")
    replace_on = frozenset({"source_id", "metadata_id"})
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("source_id", "metadata_id")

    def extra_failures(self, inputs: DestinationInputs) -> list[dyn.CheckFailure]:
        return inputs.catalog_failures()

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        return with_program_slug(state, props, catalog.DESTINATIONS)

    def segment_create(
        self, client: SegmentClient, inputs: DestinationInputs
    ) -> tuple[str, dict[str, Any]]:
        body = {
            "sourceId": inputs.source_id,
            "metadataId": inputs.metadata_id,
            "name": inputs.name,
            "enabled": inputs.enabled,
            "settings": inputs.settings,
        }
        destination = client.post("CreateDestination", "/destinations", body)["destination"]
        return destination["id"], destination_state(destination)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        destination = client.get("GetDestination", f"/destinations/{id_}")["destination"]
        return with_program_slug(destination_state(destination), prior, catalog.DESTINATIONS)

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: DestinationInputs, changed: set[str]
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            key: getattr(inputs, key) for key in ("name", "enabled", "settings") if key in changed
        }
        destination = client.patch("UpdateDestination", f"/destinations/{id_}", body)
        return destination_state(destination["destination"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        client.delete("DeleteDestination", f"/destinations/{id_}")

    def segment_find(
        self, client: SegmentClient, inputs: DestinationInputs
    ) -> tuple[str, dict[str, Any]] | None:
        for destination in client.paginate("ListDestinations", "/destinations", "destinations"):
            state = destination_state(destination)
            if (state["name"], state["source_id"], state["metadata_id"]) == (
                inputs.name,
                inputs.source_id,
                inputs.metadata_id,
            ):
                return destination["id"], state
        return None


class Destination(SegmentResource, module="segment", name="Destination"):
    """A destination on a source.

    ``Destination("profiles", source_id=..., catalog_slug="actions-segment-profiles")``.
    """

    _segment_provider = DestinationProvider()
    _args_type = DestinationArgs

    source_id: pulumi.Output[str]
    catalog_slug: pulumi.Output[str]
    metadata_id: pulumi.Output[str]
    name: pulumi.Output[str]
    enabled: pulumi.Output[bool]
    settings: pulumi.Output[dict[str, Any]]

    def __init__(
        self,
        resource_name: str,
        args: DestinationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
