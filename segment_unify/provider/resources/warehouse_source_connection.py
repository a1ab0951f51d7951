"""``WarehouseSourceConnection``: a source's data loaded into a warehouse.

Segment: ``POST|DELETE /warehouses/{warehouseId}/connected-sources/{sourceId}`` and
``GET /warehouses/{warehouseId}/connected-sources``; there is no object of its own, so the
Pulumi id is ``<warehouseId>/<sourceId>`` and a read lists the warehouse's connected sources
(a missing warehouse, or the source absent from the list, means gone). Connecting an already
connected pair is fine: Segment may have made the connection by itself when the warehouse or
the source was created. Both ids force a replacement; nothing is updated in place. Not
handled: selective sync and sync schedules of the connection.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi

from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._declare import Args, Prop, arg, from_segment, out
from segment_unify.provider.resources._naming import join_id, split_id
from segment_unify.provider.resources._resource import SegmentResource

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

ID_PARTS = ("warehouseId", "sourceId")


class WarehouseSourceConnectionArgs(Args):
    """Arguments of a ``WarehouseSourceConnection``; Segment's answers are the source's."""

    warehouse_id: Prop[str] = arg(replaces=True, min_length=1)
    """The warehouse (``Warehouse.id``); a change replaces the connection."""
    source_id: Prop[str] = arg(answer="id", replaces=True, min_length=1)
    """The source to load into it (``Source.id``); a change replaces the connection."""
    source_slug: Prop[str] = out(answer="slug")
    """The source's slug."""


def connection_state(warehouse_id: str, source: Mapping[str, Any]) -> dict[str, Any]:
    """The connection's state from the connected source Segment lists."""
    return {**from_segment(WarehouseSourceConnectionArgs, source), "warehouse_id": warehouse_id}


class WarehouseSourceConnectionProvider(SegmentProvider[Any]):
    # Connecting an already connected pair changes nothing: sending it again is always safe.
    unique_key: ClassVar[bool] = True
    kind = "warehouse connection"
    declaration = WarehouseSourceConnectionArgs

    def describe(self, inputs: Mapping[str, Any]) -> str:
        return (
            f"connection of source {inputs.get('source_id')!r} "
            f"to warehouse {inputs.get('warehouse_id')!r}"
        )

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        # The POST answers only a status; the source's slug comes from reading the source,
        # which does not depend on the connection, so both are sent at once.
        _, source = concurrently(
            lambda: client.post(
                "AddConnectionFromSourceToWarehouse",
                f"/warehouses/{inputs.warehouse_id}/connected-sources/{inputs.source_id}",
            ),
            lambda: client.get("GetSource", f"/sources/{inputs.source_id}")["source"],
        )
        return join_id(inputs.warehouse_id, inputs.source_id), connection_state(
            inputs.warehouse_id, source
        )

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        warehouse_id, source_id = split_id(id_, ID_PARTS)
        return self._connected(client, warehouse_id, source_id)

    def segment_update(
        self,
        client: SegmentClient,
        id_: str,
        inputs: Any,
        changed: set[str],
    ) -> dict[str, Any]:
        # Every input forces a replacement, so an update only refreshes what is computed.
        return self._connected(client, inputs.warehouse_id, inputs.source_id) or {}

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        warehouse_id, source_id = split_id(id_, ID_PARTS)
        client.delete(
            "RemoveSourceConnectionFromWarehouse",
            f"/warehouses/{warehouse_id}/connected-sources/{source_id}",
        )

    def segment_find(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]] | None:
        found = self._connected(client, inputs.warehouse_id, inputs.source_id)
        if found is None:
            return None
        return join_id(inputs.warehouse_id, inputs.source_id), found

    @staticmethod
    def _connected(
        client: SegmentClient, warehouse_id: str, source_id: str
    ) -> dict[str, Any] | None:
        sources = client.paginate(
            "ListConnectedSourcesFromWarehouse",
            f"/warehouses/{warehouse_id}/connected-sources",
            "sources",
        )
        for source in sources:
            if source.get("id") == source_id:
                return connection_state(warehouse_id, source)
        return None


class WarehouseSourceConnection(
    SegmentResource[WarehouseSourceConnectionArgs],
    WarehouseSourceConnectionArgs,
    module="segment",
    name="WarehouseSourceConnection",
):
    """Loads a source into a warehouse: ``WarehouseSourceConnection("sf-to-dw", ...)``."""

    _segment_provider = WarehouseSourceConnectionProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: WarehouseSourceConnectionArgs,
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
            warehouse_id: pulumi.Input[str],
            source_id: pulumi.Input[str],
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
