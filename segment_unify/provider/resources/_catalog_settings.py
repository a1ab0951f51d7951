"""A Reverse ETL source's settings, checked against its own catalog entry before it is made.

A Reverse ETL source (``snowflake-reverse-etl``, ``postgres-reverse-etl``...) is a source with a
catalog entry of its own, ``GET /catalog/sources/{metadataId}`` (GetSourceMetadata), whose
``options`` are the settings it takes (Snowflake's: account, database, username, warehouse);
they are not its warehouse's, and Segment's Test Connection (``POST /warehouses/validation``)
takes a warehouse's entry, so it cannot judge them. Before a create (and an update that
changes the settings) the entry is read, once per session (endpoint and workspace), and settings
missing an option the entry requires (with no default) fail naming it, nothing made.

Not checked: whether Segment can log in with them (the Public API has no Test Connection for
sources), and keys the entry does not list (Segment's answers carry keys of their own).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from segment_unify.provider.errors import SegmentResourceError

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

OPERATION: Final = "GetSourceMetadata"


def source_options(client: SegmentClient, metadata_id: str) -> list[dict[str, Any]]:
    """The options of a source's catalog entry (read once per session)."""

    def read() -> list[dict[str, Any]]:
        entry = client.get(OPERATION, f"/catalog/sources/{metadata_id}")["sourceMetadata"]
        return [dict(option) for option in entry.get("options") or []]

    return client.session.remembered("source options", metadata_id, read)


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
