"""A Reverse ETL source's settings, checked against its own catalog entry before it is made.

A Reverse ETL source (``snowflake-reverse-etl``, ``postgres-reverse-etl``...) is a source with a
catalog entry of its own, ``GET /catalog/sources/{metadataId}`` (GetSourceMetadata), whose
``options`` are the settings it takes (Snowflake's: account, database, username, warehouse);
they are not its warehouse's, and Segment's Test Connection (``POST /warehouses/validation``)
takes a warehouse's entry, so it cannot judge them. Before a create (and an update that
changes the settings) the entry is read, once per session (endpoint and workspace), and settings
missing an option the entry requires (with no default) fail naming it, nothing made.

A stack's Reverse ETL source is made just after its warehouse, so the warehouse's create reads
the entry of the Reverse ETL source of its kind beside its own Test Connection
(``read_reverse_etl_options``): in a fresh provider process (every ``pulumi up``), the
source's create then finds it remembered instead of a round trip on the stack's critical path.

Not checked: whether Segment can log in with them (the Public API has no Test Connection for
sources), and keys the entry does not list (Segment's answers carry keys of their own).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from segment_unify.provider import catalog
from segment_unify.provider.errors import SegmentResourceError

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

OPERATION: Final = "GetSourceMetadata"

# A warehouse's catalog entry -> the entry of the Reverse ETL source that reads from its kind.
_REVERSE_ETL_SOURCE_OF_WAREHOUSE: Final[dict[str, str]] = {
    catalog.WAREHOUSES[warehouse_slug]: catalog.SOURCES[source_slug]
    for warehouse_slug, source_slug in catalog.REVERSE_ETL_SOURCE_FOR_WAREHOUSE.items()
}


def source_options(client: SegmentClient, metadata_id: str) -> list[dict[str, Any]]:
    """The options of a source's catalog entry (read once per session)."""

    def read() -> list[dict[str, Any]]:
        entry = client.get(OPERATION, f"/catalog/sources/{metadata_id}")["sourceMetadata"]
        return [dict(option) for option in entry.get("options") or []]

    return client.session.remembered("source options", metadata_id, read)


def read_reverse_etl_options(client: SegmentClient, warehouse_metadata_id: str) -> None:
    """Read, to remember, the options of the Reverse ETL source entry of a warehouse's kind.

    A failure is left to the source's own create, which reads again and reports it."""
    source_metadata_id = _REVERSE_ETL_SOURCE_OF_WAREHOUSE.get(warehouse_metadata_id)
    if source_metadata_id is None:
        return
    try:
        source_options(client, source_metadata_id)
    except Exception:  # a head start only: the source's create reads again and reports errors
        return


def require_source_settings(
    client: SegmentClient,
    what: str,
    metadata_id: str,
    settings: Mapping[str, Any],
    *,
    creating: bool = True,
) -> None:
    """Fail, naming them, when ``settings`` lack options the source's catalog entry requires."""
    missing = [
        str(option["name"])
        for option in source_options(client, metadata_id)
        if option.get("required")
        and "defaultValue" not in option
        and settings.get(str(option["name"])) in (None, "")
    ]
    if missing:
        step = "nothing was created" if creating else "nothing was changed"
        names = ", ".join(repr(name) for name in missing)
        raise SegmentResourceError(
            f"{what}: settings lack {names}, which its catalog entry ({metadata_id!r}, "
            f"{OPERATION} GET /catalog/sources/{metadata_id}) requires; {step}. Add them to "
            "the source's settings and run `pulumi up` again."
        )
