"""Updating a computed trait or an audience that Segment has locked: wait until it is not.

Segment's SDK, on UpdateComputedTraitForSpace and UpdateAudienceForSpace: after an update the
object "will be locked from future edits until the changes have been incorporated". A second
change made soon after (a quick second ``pulumi up``, an update after an out-of-band edit) is
refused meanwhile; it goes through once Segment has caught up, so the update waits and sends it
again, for up to ``MAX_EDIT_LOCK_WAIT`` seconds, then fails saying what to do.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from segment_unify.provider import _constants as c
from segment_unify.provider import _http, notices
from segment_unify.provider.errors import SegmentApiError, SegmentResourceError

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

log = logging.getLogger(__name__)


def _is_edit_lock(exc: SegmentApiError) -> bool:
    return exc.status in (400, 409, 422) and "locked" in exc.detail.lower()


def patch_when_unlocked(
    client: SegmentClient, operation: str, path: str, body: dict[str, Any], what: str
) -> dict[str, Any]:
    """``client.patch``, sent again while Segment refuses it because ``what`` is locked."""
    deadline = time.monotonic() + c.MAX_EDIT_LOCK_WAIT
    attempt = 0
    while True:
        try:
            return client.patch(operation, path, body)
        except SegmentApiError as exc:
            if not _is_edit_lock(exc):
                raise
            attempt += 1
            wait = _http.backoff(attempt, c.EDIT_LOCK_WAIT_INITIAL, c.EDIT_LOCK_WAIT_MAX)
            if time.monotonic() + wait > deadline:
                raise SegmentResourceError(
                    f"{what} is still locked by Segment after {c.MAX_EDIT_LOCK_WAIT:.0f} s: it "
                    "is incorporating an earlier change; run `pulumi up` again once it has"
                ) from exc
            if attempt == 1:
                notices.say(
                    "locked by Segment until it has incorporated the last change; "
                    f"{operation} is sent again once it is (waiting up to "
                    f"{c.MAX_EDIT_LOCK_WAIT:.0f} s)",
                    about=what,
                )
            log.debug("%s is locked; waiting %.1f s", what, wait)
            time.sleep(wait)
