"""What a create does when Segment already holds, or may hold, the object it was asked for.

- ``resendable``: whether a create with no answer may be sent again after that wait.
- ``wait_for_listing``: a lookup by natural key, repeated within a bounded wait when one empty
  listing proves nothing (Segment's lists can trail its writes): after a lost answer, or a
  conflict with an object the list does not show yet. ``SEGMENT_UNIFY_LIST_WAIT_SECONDS``
  (default 30) bounds it.
- ``taken_message``: the refusal when the object found was not made by this resource (no
  lost answer, not its autoname): it names the object and the ``adopt_id`` that brings it
  under the stack (Pulumi's ``import_`` cannot serve dynamic resources), and says nothing was
  changed.
- ``outcome_unknown_message`` / ``found_elsewhere``: the failure when Segment may have made
  the object and it cannot be found, saying what the next ``up`` will do and what to check.
- ``earlier_unknown_message``: the failure, with nothing sent, when an earlier create of the
  resource was cut off and looking for what it made fails.
- ``earlier_unchecked_message``: the warning when an autonamed create went out with no record
  of a cut-off one (another machine's may have made one) and whether one exists could not be
  told, beside the create nor after it: the new one is kept, and it says what to look for.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from segment_unify.provider import _constants as c
from segment_unify.provider import notices
from segment_unify.provider.errors import SegmentError, SegmentResourceError, ServerError
from segment_unify.provider.resources._naming import AUTONAME_BASE

T = TypeVar("T")


class Owner(Protocol):
    """What these messages read of a resource's provider (``SegmentProvider``)."""

    @property
    def kind(self) -> str: ...
    @property
    def natural_key(self) -> str | None: ...
    @property
    def autoname_field(self) -> str | None: ...
    @property
    def unique_key(self) -> bool: ...
    @property
    def import_id_form(self) -> str: ...
    def describe(self, inputs: Mapping[str, Any]) -> str: ...
    def describe_found(self, state: Mapping[str, Any]) -> str: ...


def list_wait_seconds() -> float:
    raw = os.environ.get(c.ENV_LIST_WAIT)
    if not raw:
        return c.LIST_WAIT_SECONDS
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise SegmentResourceError(
            f"{c.ENV_LIST_WAIT} must be a number of seconds, got {raw!r}"
        ) from None


def wait_for_listing(find: Callable[[], T | None], *, wait: bool) -> T | None:
    """``find()``; with ``wait``, again at growing intervals until it finds or time is up.

    A listing that fails is no answer either way, so it is asked again within the same bound
    even without ``wait``; only the last one's error is raised.
    """
    bound = list_wait_seconds()
    deadline = time.monotonic() + bound
    pause = bound / 30
    while True:
        failed: SegmentError | None = None
        try:
            found = find()
        except SegmentError as exc:
            failed, found = exc, None
        if found is not None or (failed is None and not wait):
            return found
        if deadline - time.monotonic() <= 0:
            if failed is not None:
                raise failed
            return None
        if pause == bound / 30 and bound >= c.WAIT_NOTICE_SECONDS:
            notices.say(
                "not in Segment's list yet, and Segment's lists can trail its writes: listing "
                f"again for up to {bound:.0f} s ({c.ENV_LIST_WAIT})"
            )
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, bound / 3)


def resendable(unique_key: bool, exc: SegmentError) -> bool:
    """Whether a create with no answer may be sent again once the wait found nothing.

    Where Segment refuses duplicates, always: a conflict answers. Elsewhere only after a 503,
    which Segment's front end gives for a request it did not hand on; a gateway timeout
    (502/504) or a connection cut after the request went out may hide an applied write.
    """
    return unique_key or (isinstance(exc, ServerError) and exc.status == 503)


def _field(provider: Owner) -> str:
    return provider.natural_key or provider.autoname_field or "name"


def taken_message(
    provider: Owner,
    props: Mapping[str, Any],
    found: tuple[str, Mapping[str, Any]],
    exc: SegmentError,
    *,
    held_by: str | None = None,
) -> str:
    """The refusal of an object this resource cannot prove it made. Its advice never leads to a
    deletion: ``aliases`` keeps the object as it is, and an object adopted by ``adopt_id`` that
    another resource of the stack held is only forgotten by that resource's delete."""
    id_, state = found
    field = _field(provider)
    what = provider.describe_found(state)
    name = props.get(AUTONAME_BASE)
    resource = f"resource {name!r}" if isinstance(name, str) else "this resource"
    head = f"creating {provider.describe(props)}: Segment already holds a {provider.kind} with "
    if held_by is not None:
        return (
            f"{head}this {field} ({what}; id {id_!r}) that this stack made as resource "
            f"{held_by!r}, so it was left as it is and nothing was changed. If {held_by!r} was "
            f"renamed to {name!r} in the program, add "
            f"`opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name={held_by!r})])` to "
            f"{resource}: the stack keeps the object, its id and its name. Segment said: {exc}"
        )
    declare = ""
    if props.get("autonamed"):
        declare = f"declare {field}={state.get(field)!r} and "
    return (
        f"{head}this {field} ({what}; id {id_!r}) that this stack has no record of making, so "
        f"it was left as it is and nothing was changed. If this stack made it as a resource "
        "that the program has since renamed, add "
        "`opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name='<the old name>')])` to "
        f"{resource}: that keeps the object as it is. Otherwise, to manage it with this stack, "
        f"{declare}add `adopt_id={id_!r}` to {resource} (ids: {provider.import_id_form}; "
        "Pulumi's `import_` cannot serve dynamic resources; a resource a component makes takes "
        "it through a resource transform, as the example's `adoptIds` config does); to keep it "
        f"out of the stack, give this resource another {field}. If another resource of this "
        f"stack declares the same {field}, rename one. Segment said: {exc}"
    )


def _next_step(provider: Owner, props: Mapping[str, Any], *, autonamed: bool) -> str:
    field = _field(provider)
    value = props.get(field)
    if autonamed:
        return (
            f"the next `pulumi up` looks for {field} {value!r} first and takes over the object "
            "if an earlier attempt made it"
        )
    if provider.unique_key:
        return (
            f"if the next `pulumi up` answers that {field} {value!r} exists, that is most likely "
            "this attempt's object: bring it in with `adopt_id` and the id that error names"
        )
    return (
        f"before the next `pulumi up`, look in Segment for a {provider.kind} with {field} "
        f"{value!r}: if it is there, add `adopt_id` with its id (or delete it), since another "
        "`up` would make a second one"
    )


def outcome_unknown_message(
    provider: Owner, props: Mapping[str, Any], exc: SegmentError, *, autonamed: bool
) -> str:
    return (
        f"creating {provider.describe(props)}: {str(exc).rstrip('.')}. The request may have "
        "been applied: its "
        f"answer was lost and no such {provider.kind} appeared in Segment's list within "
        f"{list_wait_seconds():g} s, so it was not sent again. Wait a minute (Segment's lists "
        f"can trail its writes); {_next_step(provider, props, autonamed=autonamed)}."
    )


def found_elsewhere(
    provider: Owner,
    props: Mapping[str, Any],
    exc: SegmentError,
    lookup: SegmentError,
    *,
    autonamed: bool,
) -> str:
    return (
        f"creating {provider.describe(props)}: {exc}; looking for it failed too ({lookup}), "
        "so whether Segment made it is unknown (the request may have been applied); "
        f"{_next_step(provider, props, autonamed=autonamed)}"
    )


def earlier_unknown_message(provider: Owner, props: Mapping[str, Any], lookup: SegmentError) -> str:
    then = _next_step(provider, props, autonamed=bool(props.get("autonamed")))
    return (
        f"creating {provider.describe(props)}: an earlier create of it was sent and cut off, "
        f"and looking for what it made failed ({str(lookup).rstrip('.')}), so whether Segment "
        f"holds it is unknown; nothing was sent, so no second one was made. {then[0].upper()}"
        f"{then[1:]}."
    )


def earlier_unchecked_message(
    provider: Owner, props: Mapping[str, Any], made: str, why: str
) -> str:
    field = _field(provider)
    value = props.get(field)
    return (
        f"kept the new {provider.kind} (id {made!r}), but whether an earlier, cut-off create "
        f"of this resource made one too could not be checked: {why}. If an earlier `pulumi up` "
        "of this stack was cut off (killed, or cancelled, on this or another machine or CI "
        f"runner), Segment may now hold two {provider.kind}s with {field} {value!r}, one of "
        f"them outside the stack: look in Segment for a {provider.kind} with {field} {value!r} "
        f"and delete any whose id is not {made!r}"
    )
