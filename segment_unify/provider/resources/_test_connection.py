"""Segment's "Test Connection": warehouse credentials validated before an object is made.

``POST /warehouses/validation`` (CreateValidationInWarehouse) takes a warehouse catalog entry
and its settings and answers ``{status: CONNECTED|FAILED}`` (CreateValidationInWarehouseV1Output
at API 73.2.0), or refuses settings it cannot use with a 422 naming the field. A warehouse and
a Profiles Sync warehouse are validated this way before they are created, and again before an
update that changes their settings, so bad credentials fail with Segment's word and nothing
made. A Reverse ETL source is not: it has a catalog entry and settings of its own, which a
warehouse's Test Connection cannot judge (``_catalog_settings``).

Settings that passed are remembered for the life of the session (``Session.remembered``), by a
digest of the catalog entry and the settings (never the settings themselves): a stack's
Profiles Sync usually logs in with the warehouse's own credentials, and asking Segment again
would put one more round trip on the stack's critical path for the same answer.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from segment_unify.provider import _constants as c
from segment_unify.provider import _http, catalog
from segment_unify.provider.errors import (
    SegmentConnectionError,
    SegmentError,
    SegmentResourceError,
    ServerError,
)

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

OPERATION: Final = "CreateValidationInWarehouse"
PATH: Final = "/warehouses/validation"
# What the session remembers passed settings as.
PASSED: Final = "passed Test Connection"

# A Reverse ETL source's catalog entry -> the warehouse entry of the same kind (which tells
# a Reverse ETL source from other sources).
_WAREHOUSE_OF_RETL_SOURCE: Final[dict[str, str]] = {
    catalog.SOURCES[source_slug]: catalog.WAREHOUSES[warehouse_slug]
    for warehouse_slug, source_slug in catalog.REVERSE_ETL_SOURCE_FOR_WAREHOUSE.items()
}


def warehouse_for_reverse_etl_source(source_metadata_id: str | None) -> str | None:
    """The warehouse catalog id whose credentials a Reverse ETL source takes, if it is one."""
    return _WAREHOUSE_OF_RETL_SOURCE.get(source_metadata_id or "")


def _validate(client: SegmentClient, body: Mapping[str, Any]) -> dict[str, Any]:
    """The validation, sent again after a 5xx or a dropped connection: unlike other POSTs it
    makes nothing, so sending it twice is as safe as a read."""
    for attempt in range(1, c.MAX_ATTEMPTS + 1):
        try:
            return client.post(OPERATION, PATH, body)
        except (ServerError, SegmentConnectionError):
            if attempt == c.MAX_ATTEMPTS:
                raise
            time.sleep(_http.backoff(attempt, c.BACKOFF_INITIAL, c.BACKOFF_MAX))
    raise AssertionError("unreachable: the last attempt returns or raises")


def _digest(metadata_id: str, settings: Mapping[str, Any]) -> tuple[str, str]:
    text = json.dumps(settings, sort_keys=True, default=str)
    return metadata_id, hashlib.sha256(text.encode()).hexdigest()


def require_connection(
    client: SegmentClient,
    what: str,
    metadata_id: str,
    settings: Mapping[str, Any],
    *,
    creating: bool = True,
) -> None:
    """Fail, with Segment's answer, unless Segment can connect with ``settings``.

    ``what`` names the object (``warehouse 'dw'``); the message says nothing was changed.
    """
    step = "nothing was created" if creating else "nothing was changed"

    def validate() -> bool:
        try:
            answer = _validate(client, {"metadataId": metadata_id, "settings": settings})
        except SegmentError as exc:
            raise SegmentResourceError(
                f"Segment's Test Connection refused the settings of {what} ({exc}); {step}. "
                "Correct the settings the message names and run `pulumi up` again."
            ) from exc
        status = answer.get("status")
        if status != "CONNECTED":
            raise SegmentResourceError(
                f"Segment's Test Connection of {what} answered status {status!r} "
                f"({OPERATION} POST {PATH}): Segment could not connect to the warehouse (catalog "
                f"entry {metadata_id!r}) with these settings; {step}. Check the host, port, "
                "database, user and password (and that the warehouse lets Segment's IP "
                "addresses in), then run `pulumi up` again."
            )
        return True

    # Passed settings are remembered for the session; a refusal is not (the next call asks).
    client.session.remembered(PASSED, _digest(metadata_id, settings), validate)
