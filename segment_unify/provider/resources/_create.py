"""The one create protocol every Segment resource uses: ownership comes from the stack's state.

``create(provider, props)`` is the whole interface (``settle`` and ``may_delete`` finish it
at update and delete). What it decides:

- **Adoption** (``adopt_id``, see ``_adopt``): an object made in Segment's app comes in by id.
- **One write, and ownership.** An object found under the natural key is taken over only when
  this resource made it: it carries this resource's autoname (derived from the stack's
  identity, ``StackIdentity``, so no other stack ever shares it), or the answer to this very
  create was lost, in this process or, per the record in ``_intents``, in one that was cut off.
  Anything else is refused, naming the object and advice that can never delete it
  (``_ownership.taken_message``): ``aliases`` where the record shows another resource of this
  stack made it, else ``aliases`` or ``adopt_id``.
- **Lost answers.** The object is listed again within a bounded wait (lists can trail writes);
  not found, the write is sent again only where Segment refuses duplicates (a conflict then
  answers) or answered 503, else the create fails saying the outcome is unknown.
- **Cut-off creates.** An autonamed object Segment would take twice is looked for before it is
  made where a record of a cut-off create is held (a failed look fails the create with nothing
  sent), and beside the create otherwise, every object under the name listed (the one just made
  told apart by id) and listed again after the create when that look failed.
- **Late commits.** A create sent while an earlier create of the resource had no answer leaves
  the outputs a mark (``SETTLE``) until that earlier request can no longer land
  (``SEGMENT_UNIFY_LATE_WRITE_SECONDS``, default 900): each ``up`` until then updates the
  resource, and ``settle`` removes any second object under its own autoname. Objects under
  an explicit name carry nothing of the stack, so they are reported, never deleted.
- **Two-write creates** (a source named after its POST, a mapping's schedule) finish what they
  take over as they finish what they made (``finish_create``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pulumi.dynamic as dyn

from segment_unify.provider import _constants as c
from segment_unify.provider import _http, notices
from segment_unify.provider.errors import (
    ConflictError,
    NotFoundError,
    SegmentError,
    SegmentResourceError,
    ValidationError,
    outcome_unknown,
)
from segment_unify.provider.resources import _intents
from segment_unify.provider.resources._adopt import ADOPT_ID, adopt
from segment_unify.provider.resources._check import SETTLE
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._naming import AUTONAMED
from segment_unify.provider.resources._ownership import (
    Owner,
    earlier_unchecked_message,
    earlier_unknown_message,
    found_elsewhere,
    list_wait_seconds,
    outcome_unknown_message,
    resendable,
    taken_message,
    wait_for_listing,
)
from segment_unify.provider.runtime import ProviderRuntime

log = logging.getLogger("segment_unify.resources")


Found = tuple[str, dict[str, Any]]


class Creator(Owner, Protocol):
    """What the protocol reads of a resource's provider (``SegmentProvider``)."""

    @property
    def adopted(self) -> bool: ...
    def segment_create(self, client: Any, inputs: Any) -> Found: ...
    def segment_find(self, client: Any, inputs: Any) -> Found | None: ...
    def find_earlier(self, client: Any, inputs: Any) -> list[Found]: ...
    def finish_create(self, client: Any, inputs: Any, made: Found) -> Found: ...
    def segment_delete(self, client: Any, id_: str, props: Mapping[str, Any]) -> None: ...
    def natural_key_of(self, props: Mapping[str, Any]) -> tuple[Any, ...] | None: ...
    def owner_label(self, props: Mapping[str, Any]) -> str: ...
    def as_sent(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> bool: ...
    def inputs_of(self, props: Mapping[str, Any]) -> Any: ...
    def outputs(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]: ...


def late_write_seconds() -> float:
    raw = os.environ.get(c.ENV_LATE_WRITE)
    try:
        return c.LATE_WRITE_SECONDS if not raw else max(0.0, float(raw))
    except ValueError:
        raise SegmentResourceError(
            f"{c.ENV_LATE_WRITE} must be a number of seconds, got {raw!r}"
        ) from None


def create(provider: Creator, props: dict[str, Any], runtime: ProviderRuntime) -> dyn.CreateResult:
    if props.get(ADOPT_ID) and not provider.adopted:
        result = adopt(provider, props, runtime)  # type: ignore[arg-type]
    else:
        result = _Create(provider, props, runtime).run()
    runtime.claims.hold(provider.kind, str(result.id), provider.owner_label(props))
    mine = _intents.identity(props, provider.natural_key_of(props))
    if mine is not None and props.get(ADOPT_ID):
        _intents.made(mine, str(result.id))
    return result


def may_delete(
    provider: Creator, id_: str, props: Mapping[str, Any], runtime: ProviderRuntime
) -> bool:
    """Whether the resource's delete may remove the object: not when another resource of the
    stack holds it by now (brought back by ``adopt_id`` after a rename)."""
    label = provider.owner_label(props)
    other = runtime.claims.holder(provider.kind, id_)
    if other is not None and other != label:
        notices.say(
            f"{id_} is held by {other} of this stack now, so it was left in Segment and only "
            "dropped from this resource",
            warn=True,
        )
        return False
    runtime.claims.let_go(provider.kind, id_, label)
    return True


def forget(provider: Creator, props: Mapping[str, Any]) -> None:
    mine = _intents.identity(props, provider.natural_key_of(props))
    if mine is not None:
        _intents.forget(mine)


def settle(provider: Creator, id_: str, olds: Mapping[str, Any], runtime: ProviderRuntime) -> Any:
    """Remove what an earlier create of this resource made late (its request reached Segment
    after this resource made its object); the mark for outputs until it can no longer land."""
    until = olds.get(SETTLE)
    if until is None:
        return None
    inputs = provider.inputs_of(olds)
    try:
        listed = provider.find_earlier(runtime.public_client(), inputs)
    except SegmentError as exc:
        notices.say(f"could not look for a second {provider.kind} made late: {exc}", warn=True)
        return until
    for other, state in listed:
        if other == id_:
            continue
        if not olds.get(AUTONAMED):
            notices.say(
                f"Segment also holds {provider.describe_found(state)} (id {other!r}), which may "
                "be an earlier create of this resource that reached Segment late; its name is "
                "not the stack's own, so it was left: delete it in Segment if it is not wanted",
                warn=True,
            )
            continue
        try:
            provider.segment_delete(runtime.public_client(), other, state)
        except NotFoundError:
            continue
        except SegmentError as exc:
            notices.say(f"could not remove {other}, made late: {exc}", warn=True)
            return until
        notices.say(
            f"removed {other}: a second {provider.kind} under this resource's own name, made "
            "by an earlier create of it that reached Segment late",
            warn=True,
        )
    return until if time.time() < float(until) else None


class _Create:
    """One create of one resource: its inputs, client, record and what earlier ones left."""

    def __init__(self, provider: Creator, props: dict[str, Any], runtime: ProviderRuntime) -> None:
        self.provider = provider
        self.props = props
        self.inputs = provider.inputs_of(props)
        self.client = runtime.public_client()
        self.mine = _intents.identity(props, provider.natural_key_of(props))
        # Read before this create writes its own record.
        self.earlier = _intents.Earlier(self.mine) if self.mine is not None else None
        # Whether an attempt went unanswered in a way that does not prove it unhandled (a 503
        # does: Segment's front end answers it for a request it did not hand on).
        self.maybe_applied = False

    def run(self) -> dyn.CreateResult:
        p = self.provider
        if not self.props.get(AUTONAMED) or p.unique_key:
            return self._send()
        if self.earlier is not None and self.earlier.exists:
            # Segment would take this name twice, and a create of this resource was sent that
            # the engine never recorded: what it made is known before another is sent, since a
            # look that fails beside the create would leave both.
            return self._after_cut_off()
        # Looked for beside the create rather than before it, which would be one more round
        # trip on every stack's critical path; one found is kept, as the object this resource
        # made first, and the one just made is removed.
        answers = concurrently(self._send, self._look)
        created: dyn.CreateResult = answers[0]
        looked: list[Found] | SegmentError = answers[1]
        if isinstance(looked, SegmentError):
            looked = self._look_after(str(created.id), looked)
        others = [found for found in looked if found[0] != created.id]
        if not others:
            return created
        earlier = others[0]
        try:
            earlier = p.finish_create(self.client, self.inputs, earlier)
        except (SegmentError, SegmentResourceError) as exc:
            # Keep the whole one rather than fail and leave both with neither in the state.
            self._remove_earlier(earlier, exc)
            return created
        try:
            p.segment_delete(self.client, str(created.id), created.outs or {})
        except SegmentError as exc:
            log.warning(
                "%s: %s, made by an earlier, cut-off create, is left in Segment (removing the "
                "second one failed: %s); remove it in Segment",
                p.describe(self.props),
                earlier[0],
                exc,
            )
            return created
        if self.mine is not None:
            _intents.made(self.mine, earlier[0])
        log.warning("%s: adopting %s, made by an earlier, cut-off create", p.kind, earlier[0])
        return dyn.CreateResult(earlier[0], p.outputs(self.props, earlier[1]))

    def _after_cut_off(self) -> dyn.CreateResult:
        p = self.provider
        try:
            listed = wait_for_listing(
                lambda: p.find_earlier(self.client, self.inputs) or None, wait=True
            )
        except SegmentError as exc:
            raise SegmentResourceError(earlier_unknown_message(p, self.props, exc)) from exc
        if not listed:
            return self._send()
        earlier = listed[0]
        try:
            finished = p.finish_create(self.client, self.inputs, earlier)
        except (SegmentError, SegmentResourceError) as exc:
            created = self._send()
            self._remove_earlier(earlier, exc)
            return created
        if self.mine is not None:
            _intents.made(self.mine, finished[0])
        log.warning("%s: adopting %s, made by an earlier, cut-off create", p.kind, finished[0])
        return dyn.CreateResult(finished[0], p.outputs(self.props, finished[1]))

    def _remove_earlier(self, earlier: Found, why: Exception) -> None:
        id_, state = earlier
        try:
            self.provider.segment_delete(self.client, id_, state)
        except NotFoundError:
            return
        except SegmentError as exc:
            log.warning(
                "%s: %s, made by an earlier, cut-off create, could not be finished (%s) nor "
                "removed (%s); remove it in Segment",
                self.provider.describe(self.props),
                id_,
                why,
                exc,
            )
            return
        log.warning(
            "%s: removed %s, made by an earlier, cut-off create that could not be finished (%s)",
            self.provider.describe(self.props),
            id_,
            why,
        )

    def _look(self) -> list[Found] | SegmentError:
        """The objects under this name as listed beside the create, or why they could not be."""
        try:
            return (
                wait_for_listing(
                    lambda: self.provider.find_earlier(self.client, self.inputs), wait=False
                )
                or []
            )
        except SegmentError as exc:
            log.info(
                "%s: could not look for an earlier, cut-off create: %s", self.provider.kind, exc
            )
            return exc

    def _look_after(self, made: str, failed: SegmentError) -> list[Found]:
        """Listed again once the create answered, after the look beside it failed; where that
        cannot be told, the new one is kept and a warning says which duplicate to look for."""
        p = self.provider
        try:
            listed = wait_for_listing(
                lambda: p.find_earlier(self.client, self.inputs) or None, wait=True
            )
        except SegmentError as exc:
            why = f"listing failed beside the create ({failed}) and after it ({exc})"
            notices.say(earlier_unchecked_message(p, self.props, made, why), warn=True)
            return []
        if not listed:
            why = (
                f"listing failed beside the create ({failed}), and after it the list did not "
                f"show this {p.kind} within {list_wait_seconds():g} s"
            )
            notices.say(earlier_unchecked_message(p, self.props, made, why), warn=True)
            return []
        return listed

    def _send(self) -> dyn.CreateResult:
        p, mine, earlier = self.provider, self.mine, self.earlier
        if mine is not None:
            _intents.sent(mine, p.describe(self.props))
        try:
            id_, state = self._send_once()
        except SegmentResourceError as exc:
            if mine is not None and not (_outcome_unknown_failure(exc) and self.maybe_applied):
                _intents.forget(mine)
            raise
        if mine is not None:
            _intents.made(mine, str(id_))
        try:
            id_, state = p.finish_create(self.client, self.inputs, (id_, state))
        except SegmentError as exc:
            raise SegmentResourceError(
                f"{p.describe(self.props)} was created in Segment (id {id_!r}) but the write that "
                f"completes it failed: {str(exc).rstrip('.')}; run `pulumi up` again: it takes "
                "this object over and completes it"
            ) from exc
        outs = p.outputs(self.props, state)
        if (
            earlier is not None
            and earlier.exists
            and earlier.id is None
            and earlier.sent_at is not None
            and not p.unique_key
        ):
            # The earlier request was never answered and nothing it made was found: it may yet
            # reach Segment. Until it no longer can, each `up` looks for what it made.
            until = float(earlier.sent_at) + late_write_seconds()
            if until > time.time():
                outs[SETTLE] = until
        return dyn.CreateResult(id_, outs)

    def _send_once(self) -> Found:
        """The create's first write, or the object it (or a cut-off create of this resource)
        made: what ``finish_create`` then completes."""
        p, props = self.provider, self.props
        claimed: Callable[[str], bool | None] = (
            self.earlier.claims if self.earlier is not None else (lambda _id: False)
        )
        lost: SegmentError | None = None
        for attempt in range(1, c.MAX_ATTEMPTS + 1):
            try:
                return p.segment_create(self.client, self.inputs)
            except (ConflictError, ValidationError) as exc:
                exists = isinstance(exc, ConflictError) or "exist" in str(exc).lower()
                found = self._lookup(exc, wait=exists or lost is not None)
                if found is None and lost is not None:
                    raise SegmentResourceError(self._unknown(lost)) from exc
                if found is None:
                    raise SegmentResourceError(f"creating {p.describe(props)}: {exc}") from exc
                claim = claimed(found[0])
                if (
                    not self._made_here(found[1])
                    and claim is not True
                    and not ((lost is not None or claim is None) and p.as_sent(props, found[1]))
                ):
                    raise SegmentResourceError(self._taken(found, exc)) from exc
                return found
            except SegmentError as exc:
                if not outcome_unknown(exc):
                    raise SegmentResourceError(f"creating {p.describe(props)}: {exc}") from exc
                lost = exc
                self.maybe_applied |= not resendable(False, exc)
                found = self._lookup(exc, wait=True)
                if found is None and resendable(p.unique_key, exc) and attempt < c.MAX_ATTEMPTS:
                    # Either Segment refuses a second object with this key (if the lost attempt
                    # was applied after all, the next one meets a conflict and adopts it), or
                    # the answer says it was not handled and the lists agree for the whole wait.
                    log.info("%s: %s; not listed after waiting, sending it again", p.kind, exc)
                    time.sleep(_http.backoff(attempt, c.BACKOFF_INITIAL, c.BACKOFF_MAX))
                    continue
                if found is None:
                    raise SegmentResourceError(self._unknown(exc)) from exc
                if not self._made_here(found[1]) and not p.as_sent(props, found[1]):
                    # Not what this create sent: it was there before, the lost answer a conflict.
                    raise SegmentResourceError(self._taken(found, exc)) from exc
                log.warning("%s: adopting the object Segment made before the error", p.kind)
                return found
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _taken(self, found: Found, exc: SegmentError) -> str:
        held_by = self.earlier.held_by(found[0]) if self.earlier is not None else None
        return taken_message(self.provider, self.props, found, exc, held_by=held_by)

    def _made_here(self, state: Mapping[str, Any]) -> bool:
        """Whether an object found under the natural key carries this resource's own autoname
        (which the stack's identity is part of)."""
        p = self.provider
        field = p.natural_key or p.autoname_field
        return (
            bool(self.props.get(AUTONAMED))
            and field is not None
            and state.get(field) == self.props.get(field)
        )

    def _unknown(self, exc: SegmentError) -> str:
        return outcome_unknown_message(
            self.provider, self.props, exc, autonamed=bool(self.props.get(AUTONAMED))
        )

    def _lookup(self, exc: SegmentError, *, wait: bool) -> Found | None:
        """The object with our natural key; with ``wait``, listed again for a while, since
        Segment's lists can trail its writes."""
        p = self.provider
        try:
            return wait_for_listing(lambda: p.segment_find(self.client, self.inputs), wait=wait)
        except SegmentError as lookup:
            raise SegmentResourceError(
                found_elsewhere(
                    p, self.props, exc, lookup, autonamed=bool(self.props.get(AUTONAMED))
                )
            ) from exc


def _outcome_unknown_failure(exc: SegmentResourceError) -> bool:
    """A failed create that may still have made the object (its record must stay)."""
    return isinstance(exc.__cause__, SegmentError) and outcome_unknown(exc.__cause__)
