"""Provider failures as the Pulumi CLI shows them: the message, not a page of frames.

Pulumi's dynamic provider host answers every exception with ``traceback.format_exc()``, and
the CLI prints all of it. A create that lost its answer and then met a 429 while looking for
the object showed some seventy lines (the thread pool, tenacity, the client, the chained
connection error) with the message, which says what to do, at the very end. Failures this
package words for people (``SegmentResourceError``, ``SegmentError``, a malformed setting's
``ConfigurationError``) leave the provider's
entry points without their inner frames or their chain, so the CLI shows a few lines ending
with the message; the chain could also quote a third-party error that carries a request
header. Anything else (a bug) keeps its whole traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from segment_unify.provider.config import ConfigurationError
from segment_unify.provider.errors import SegmentError, SegmentResourceError

F = TypeVar("F", bound=Callable[..., Any])

# What Pulumi's dynamic provider host calls.
ENTRY_POINTS = ("check", "diff", "create", "read", "update", "delete")
_MARK = "_segment_plain_errors"


def plain_errors(method: F) -> F:
    """``method``, raising this package's failures without their inner frames and chain."""
    if getattr(method, _MARK, False):
        return method

    @functools.wraps(method)
    def entry(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except (SegmentResourceError, SegmentError, ConfigurationError) as exc:
            raise exc.with_traceback(None) from None

    setattr(entry, _MARK, True)
    return entry  # type: ignore[return-value]


def wrap_entry_points(cls: type[Any]) -> None:
    """Wrap what the host calls on ``cls``, inherited methods included (a mixin's ``create``
    comes before the base's in a provider's MRO)."""
    for name in ENTRY_POINTS:
        method = getattr(cls, name, None)
        if method is not None:
            setattr(cls, name, plain_errors(method))
