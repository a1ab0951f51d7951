"""What the person running ``pulumi up`` is told while the provider waits or adopts.

A dynamic provider's process has no engine connection of its own: ``pulumi.log`` there writes
``info: …`` / ``warning: …`` to stderr, which the CLI shows among the stack's messages as the
update runs (and in its Diagnostics). The engine does not tell a dynamic provider which resource
a call is for, so the scaffold says it with ``acting_for`` and every notice starts with it
(``computed trait 'Inbound calls': …``). Notices also go to the ``segment_unify`` logger.

Pulumi is imported on the first notice, not with this module: the clients are usable without it.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from segment_unify.provider import _constants as c

log = logging.getLogger("segment_unify.notices")

_acting_for: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "segment_unify_acting_for", default=None
)


@contextmanager
def acting_for(what: str) -> Iterator[None]:
    """Name the object the calls made inside are for (``computed trait 'Inbound calls'``)."""
    token = _acting_for.set(what)
    try:
        yield
    finally:
        _acting_for.reset(token)


def current() -> str | None:
    """The object named by the innermost ``acting_for``, if any."""
    return _acting_for.get()


def say(message: str, *, warn: bool = False, about: str | None = None) -> None:
    """Tell the person running Pulumi, prefixed with the object being worked on (``about``
    where no ``acting_for`` names it)."""
    import pulumi

    who = _acting_for.get() or about
    text = f"{who}: {message}" if who else message
    log.log(logging.WARNING if warn else logging.INFO, "%s", text)
    (pulumi.log.warn if warn else pulumi.log.info)(text)


def rate_limit_wait(operation: str, limit: int, window: float, seconds: float) -> None:
    """A call held back by the client's pacing, when the wait is long enough to notice."""
    if seconds < c.WAIT_NOTICE_SECONDS:
        return
    per = "per minute" if window == c.RATE_LIMIT_WINDOW else f"per {window:g} s"
    say(
        f"waiting {seconds:.0f} s for Segment's rate limit on {operation} ({limit} calls {per} "
        "per workspace) before sending it"
    )


def server_wait(operation: str, seconds: float) -> None:
    """A 429 whose wait Segment set, when long enough to notice."""
    if seconds < c.WAIT_NOTICE_SECONDS:
        return
    say(
        f"Segment answered 429 (rate limited) to {operation}; waiting {seconds:.0f} s as it "
        "asked, then sending it again"
    )
