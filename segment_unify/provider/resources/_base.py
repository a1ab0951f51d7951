"""The CRUD scaffold every Segment resource shares.

A resource module declares two things: its fields, once, in an ``…Args`` class (``_declare``:
the Args, the typed constructor, the outputs, the input model ``check`` validates, the replace,
secret and lenient fields, the bodies and the state all come from it), and a ``…Provider``
with the few Segment calls that differ (create, read, update, delete, and the natural-key
lookup; ``_hooks`` lists them). Rules no declaration can say live in a base model in
``_inputs/`` (loaded on first use). Everything else lives here once:

- ``check`` (``_check``): validation, the resource's seed and autoname, claims on natural keys.
- ``diff``: local, no API call; keys Segment adds to settings-like objects and masked values
  (``•••``) are not differences; declared fields force a replacement.
- ``create``: the one create protocol (``_create``): adoption, ownership from the stack's
  identity, lost answers, cut-off and late creates.
- ``read``: from the id alone (import, refresh); 404 means gone.
- ``update``: only changed fields are sent; every output is returned.
- ``delete``: 404 means already gone. Adopted objects (``adopted``: made in Segment's app, which
  the Public API cannot create or delete) are only dropped from the stack, with a warning.

State keys are the Python argument names (snake_case); the declaration maps them to Segment's
camelCase bodies (``to_segment``) and reads its answers back (``from_segment``, ``state``).
The program side (``SegmentResource``) is in ``_resource``, value comparison in ``_values``,
ids and autonaming in ``_naming``. Provider objects are pickled into state by reference, so
they hold nothing: each engine call takes the process's runtime (``runtime.current()``: the
client, the sessions, the stack's claims) and passes it down.

Importing this module imports neither pydantic nor httpx: the input model comes with the first
call that needs it (``check``, or ``read``/``diff``/``update`` in a process that never checked),
the HTTP client with the first call to Segment, which a preview never makes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pulumi.dynamic as dyn

from segment_unify.provider import notices, runtime
from segment_unify.provider.errors import NotFoundError, SegmentError, SegmentResourceError
from segment_unify.provider.resources import _create
from segment_unify.provider.resources._adopt import ADOPT_ID
from segment_unify.provider.resources._check import DECLARED, SETTLE, Checking
from segment_unify.provider.resources._hooks import M, strip_provider
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAME_SEED,
    AUTONAMED,
)
from segment_unify.provider.resources._values import (
    contains_unknown,
    keep_write_only,
    same,
)
from segment_unify.provider.resources.stack_identity import STACK_IDENTITY

log = logging.getLogger("segment_unify.resources")


class SegmentProvider(Checking[M]):
    """Scaffold of a Segment resource's provider; subclasses fill in the ``segment_*`` calls."""

    # -- the engine's calls ---------------------------------------------------------------

    def configure(self, req: dyn.ConfigureRequest) -> None:
        runtime.configure(
            {
                key: req.config.get(key)
                for key in ("segment:token", "segment:endpoint", "segment:profileEndpoint")
                if req.config.get(key) is not None
            }
        )

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.DiffResult:
        olds, news = strip_provider(_olds), strip_provider(_news)
        runtime.current().claims.hold(self.kind, _id, self.owner_label(news))
        changed = [
            name
            for name in self.inputs_model.model_fields
            if contains_unknown(news.get(name)) or self.differs(name, olds, news)
        ]
        replaces = [name for name in changed if name in self.replace_on]
        field = self._key_field()
        # An explicit natural key that stays the same would collide with itself in Segment.
        collide = bool(
            replaces and field and not news.get(AUTONAMED) and olds.get(field) == news.get(field)
        )
        return dyn.DiffResult(
            # A create that may still land late is looked for at each `up` until it cannot.
            changes=bool(changed) or olds.get(SETTLE) is not None,
            replaces=replaces,
            stables=[n for n in self.inputs_model.model_fields if n not in changed],
            delete_before_replace=collide,
        )

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        rt = runtime.current()
        try:
            with notices.acting_for(self.acting_for(props)):
                result = _create.create(self, strip_provider(props), rt)
                if self.adopted and not props.get(ADOPT_ID):
                    # The CLI says "creating" for every create: say what happened instead.
                    notices.say(
                        f"found existing {self.kind} {result.id} in Segment (adopted: Segment's "
                        "Public API cannot create it, so the stack reads and checks it, and "
                        "`pulumi destroy` leaves it in Segment)"
                    )
                return result
        finally:
            rt.drop_reads()

    def read(self, id_: str, props: dict[str, Any]) -> dyn.ReadResult:
        prior = strip_provider(props)
        try:
            with notices.acting_for(self.acting_for(prior)):
                state = self.segment_read(runtime.current().public_client(), id_, prior)
        except NotFoundError:
            state = None
        if state is None:
            log.info("%s %s is gone from Segment; dropping it from state", self.kind, id_)
            return dyn.ReadResult("", {})
        fresh = {
            k: keep_write_only(v, prior.get(k), keep_omitted=k in self.lenient_fields)
            for k, v in state.items()
        }
        outs = {**prior, **fresh}
        inputs = {k: outs[k] for k in self.inputs_model.model_fields if k in outs}
        for extra in _KEPT:
            if extra in prior:
                inputs[extra] = prior[extra]
        return dyn.ReadResult(id_, outs, inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.UpdateResult:
        olds, news = strip_provider(_olds), strip_provider(_news)
        inputs = self.inputs_of(news)
        changed = {
            name for name in self.inputs_model.model_fields if self.differs(name, olds, news)
        }
        rt = runtime.current()
        try:
            with notices.acting_for(self.acting_for(news)):
                settle = _create.settle(self, _id, olds, rt)
                if changed or (settle is None and olds.get(SETTLE) is None):
                    state = self.segment_update(rt.public_client(), _id, inputs, changed)
                else:
                    state = {k: olds.get(k) for k in self.inputs_model.model_fields}
        except SegmentError as exc:
            raise SegmentResourceError(f"updating {self.describe(news)}: {exc}") from exc
        finally:
            rt.drop_reads()
        outs = self.outputs(news, state)
        outs.pop(SETTLE, None)
        if settle is not None:
            outs[SETTLE] = settle
        return dyn.UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        props = strip_provider(_props)
        rt = runtime.current()
        key = self.natural_key_of(props)
        if key is not None:
            rt.claims.release(key, self.owner_label(props))
        if self.adopted:
            log.warning(
                "%s %s: removed from the stack only; Segment was left unchanged (its Public API "
                "cannot delete it; remove it in the Segment app if that is what you want)",
                self.describe(props),
                _id,
            )
            return
        with notices.acting_for(self.acting_for(props)):
            if not _create.may_delete(self, _id, props, rt):
                return
            try:
                self.segment_delete(rt.public_client(), _id, props)
            except NotFoundError:
                log.info("%s %s was already gone from Segment", self.kind, _id)
            except SegmentError as exc:
                raise SegmentResourceError(f"deleting {self.describe(props)}: {exc}") from exc
            finally:
                rt.drop_reads()
        _create.forget(self, props)

    # -- what the create protocol reads ---------------------------------------------------

    def inputs_of(self, props: Mapping[str, Any]) -> M:
        return self.inputs_model.model_validate(self._model_view(props))  # type: ignore[return-value]

    def differs(self, name: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        new = news.get(name)
        # An optional input left out takes Segment's value (a default name, say): not a change,
        # unless the field decides which object this is.
        if new is None and name not in self.replace_on:
            return False
        return not same(olds.get(name), new, lenient=name in self.lenient_fields)

    def outputs(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
        """What Segment holds after the write; inputs only where Segment shows nothing (a value
        it never returns, a masked secret), so a difference shows at the next preview."""
        outs = {
            name: props[name]
            for name in (*self.inputs_model.model_fields, *_KEPT, SETTLE)
            if name in props
        }
        for name, value in self.program_view(dict(state), props).items():
            if value is None and outs.get(name) is not None:
                continue
            # Segment leaves write-only settings (a warehouse's password) out of its answers.
            omitted = name in self.lenient_fields
            outs[name] = keep_write_only(value, props.get(name), keep_omitted=omitted)
        return outs

    def as_sent(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        """Whether an object found after a lost answer holds what this create sent: a lost
        answer is evidence only for an object that could be its result."""
        held = self.program_view(dict(state), props)
        return not any(
            name in held and held[name] is not None and self.differs(name, held, props)
            for name in self.inputs_model.model_fields
            if not self.left_by_create(name, held)
        )


# Props the provider keeps in state beside the inputs: the resource's name, seed and stack.
_KEPT = (AUTONAME_BASE, AUTONAMED, AUTONAME_SEED, STACK_IDENTITY, DECLARED)
