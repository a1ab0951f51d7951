"""The CRUD scaffold every Segment resource shares.

A resource module declares two things: its fields, once, in an ``…Args`` class (``_declare``:
the Args, the typed constructor, the outputs, the input model ``check`` validates, the replace,
secret and lenient fields, the bodies and the state all come from it), and a ``…Provider``
with the few Segment calls that differ (create, read, update, delete, and the natural-key
lookup). Rules no declaration can say live in a base model in ``_inputs/`` (loaded on first
use). Everything else lives here once:

- ``check``: pydantic validation, one ``CheckFailure`` per bad field with what was expected;
  autonaming (resource name + a suffix deterministic for the stack, the resource and its
  replace-forcing inputs, kept through ``olds``; see ``_naming``); two resources of the stack
  declaring one natural key are refused (``_claims``); values still unknown at preview are
  not judged.
- ``diff``: local, no API call; keys Segment adds to settings-like objects and masked values
  (``•••``) are not differences; declared fields force a replacement.
- ``create``: one write, and ownership (``_ownership``): an object found under the natural key
  is adopted only when this resource made it (it carries this resource's autoname, or the
  answer to this very create was lost, in this process or, per ``_intents``, in one that was
  cut off), else the create fails naming it and the ``adopt_id`` that brings it in
  (``_adopt``). After a lost answer the object is listed again within a bounded wait (lists
  can trail writes); not found, the write is sent again only where Segment refuses duplicates (a
  conflict then answers) or answered 503, else the create fails saying the outcome is
  unknown. An autonamed object Segment would take twice is looked for before it is made, so
  the ``up`` after a cut-off create adopts what that create made; where ``_intents`` holds a
  record of such a create, nothing is sent until that look has answered (a failed look fails
  the create with nothing sent), so a look that fails never leaves two. Without a record (the
  ``up`` after the cut-off one runs on another machine) the look goes beside the create, every
  object under the name is listed (the one just made is told apart by id), and a look that
  failed is made again once the create answered; if that fails too, the new object is kept
  and a warning says which possible duplicate to look for in Segment. A create that is two
  writes in Segment (a source named after its POST, a mapping's schedule) finishes what it
  takes over as it finishes what it made (``finish_create``), so nothing is left for the
  next ``up``. Outputs are Segment's values after the write.
- ``read``: from the id alone (import, refresh); 404 means gone.
- ``update``: only changed fields are sent; every output is returned.
- ``delete``: 404 means already gone. Adopted objects (``adopted``: made in Segment's app, which
  the Public API cannot create or delete) are only dropped from the stack, with a warning.

State keys are the Python argument names (snake_case); the declaration maps them to Segment's
camelCase bodies (``to_segment``) and reads its answers back (``from_segment``, ``state``).
The program side (``SegmentResource``) is in ``_resource``, value comparison in ``_values``,
ids and autonaming in ``_naming``. Provider objects are pickled into state by reference, so
they hold nothing: the client comes from ``config.public_client()``.

Importing this module imports neither pydantic nor httpx: the input model comes with the first
call that needs it (``check``, or ``read``/``diff``/``update`` in a process that never checked),
the HTTP client with the first call to Segment, which a preview never makes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import pulumi.dynamic as dyn

from segment_unify.provider import _constants as c
from segment_unify.provider import _http, config, notices
from segment_unify.provider.errors import (
    ConflictError,
    NotFoundError,
    SegmentError,
    SegmentResourceError,
    ValidationError,
    outcome_unknown,
)
from segment_unify.provider.resources import _claims, _intents
from segment_unify.provider.resources._adopt import ADOPT_ID, adopt
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._declare import from_segment, names
from segment_unify.provider.resources._lazy import DeclaredModel
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAME_SEED,
    AUTONAMED,
    autoname,
)
from segment_unify.provider.resources._ownership import (
    earlier_unchecked_message,
    earlier_unknown_message,
    found_elsewhere,
    list_wait_seconds,
    outcome_unknown_message,
    resendable,
    taken_message,
    wait_for_listing,
)
from segment_unify.provider.resources._plain_errors import wrap_entry_points
from segment_unify.provider.resources._values import (
    UNKNOWN,
    contains_unknown,
    keep_write_only,
    same,
)

if TYPE_CHECKING:
    from pydantic import BaseModel

    from segment_unify.provider.client import SegmentClient

log = logging.getLogger("segment_unify.resources")

PROVIDER_KEY = "__provider"

M = TypeVar("M", bound="BaseModel")

# -- the provider ----------------------------------------------------------------------------


class SegmentProvider(dyn.ResourceProvider, Generic[M]):
    """Scaffold of a Segment resource's provider; subclasses fill in the ``segment_*`` calls."""

    # Holds no secrets (no attributes at all), so its pickle need not be a secret in state.
    serialize_as_secret_always = False

    kind: ClassVar[str] = "object"
    # Read as the model class, derived from ``declaration`` on first use.
    inputs_model: ClassVar[DeclaredModel]
    # Inputs whose change makes it another object. A friendly alias (a catalog slug) is not
    # listed: the id it resolves to is, so naming the same entry either way changes nothing.
    replace_on: ClassVar[frozenset[str]] = frozenset()
    # Dict-valued inputs where Segment adds keys and masks secrets.
    lenient_fields: ClassVar[frozenset[str]] = frozenset({"settings"})
    # The natural-key field filled in by autonaming when the program leaves it out.
    autoname_field: ClassVar[str | None] = None
    autoname_slug: ClassVar[bool] = True
    # The field Segment keeps unique in its scope (default: ``autoname_field``). A replacement
    # that keeps its value deletes the old object first, and messages name the object by it.
    natural_key: ClassVar[str | None] = None
    # Fields that, with the natural key, single out one object (the space it lives in...).
    key_scope: ClassVar[tuple[str, ...]] = ()
    # Segment refuses a second object with the same natural key (a source slug, a trait's
    # key), so sending a create again can never make a duplicate: a conflict answers instead.
    unique_key: ClassVar[bool] = False
    # Made in Segment's app only: create finds and verifies it, delete forgets it.
    adopted: ClassVar[bool] = False
    # How an import id looks, for the refusal that tells people to import.
    import_id_form: ClassVar[str] = "the object's id"
    # Input fields whose values never appear in check failures (tokens, passwords).
    secret_fields: ClassVar[frozenset[str]] = frozenset()
    # Input fields that, once set, cannot be removed (``Spec.clearable``).
    unclearable: ClassVar[frozenset[str]] = frozenset()
    # The resource's ``…Args`` (``_declare``): where one is given, the input model, the replace,
    # lenient and secret fields come from it.
    declaration: ClassVar[type[Any] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        wrap_entry_points(cls)
        declared = cls.__dict__.get("declaration")
        if declared is None:
            return
        cls.inputs_model = DeclaredModel()
        cls.replace_on = frozenset(names(declared, output=False, replaces=True))
        cls.lenient_fields = frozenset(names(declared, output=False, lenient=True))
        cls.secret_fields = frozenset(names(declared, output=False, secret=True))
        cls.unclearable = frozenset(names(declared, output=False, clearable=False))

    # -- what a resource module provides --------------------------------------------------

    def state(self, answer: Mapping[str, Any]) -> dict[str, Any]:
        """Segment's answer as this resource's state, read by its declaration."""
        if self.declaration is None:
            raise NotImplementedError(f"{type(self).__name__} declares no fields")
        return from_segment(self.declaration, answer)

    def segment_create(self, client: SegmentClient, inputs: M) -> tuple[str, dict[str, Any]]:
        """One write; returns the Pulumi id and the state it produced."""
        raise NotImplementedError

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """State read from Segment, or None when the object is gone (404)."""
        raise NotImplementedError

    def segment_update(
        self, client: SegmentClient, id_: str, inputs: M, changed: set[str]
    ) -> dict[str, Any]:
        raise NotImplementedError

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        raise NotImplementedError

    def segment_find(self, client: SegmentClient, inputs: M) -> tuple[str, dict[str, Any]] | None:
        """The object matching ``inputs``' natural key, if Segment has one (by default the
        first of ``segment_matches``)."""
        matches = self.segment_matches(client, inputs)
        return matches[0] if matches else None

    def segment_matches(self, client: SegmentClient, inputs: M) -> list[tuple[str, dict[str, Any]]]:
        """Every object matching ``inputs``' natural key, where Segment takes one twice (every
        autonamed resource that is not ``unique_key`` lists them all: its earlier, cut-off
        create is told from the one just made by id)."""
        return []

    def find_earlier(self, client: SegmentClient, inputs: M) -> list[tuple[str, dict[str, Any]]]:
        """``segment_matches`` without writes: it runs beside the create it may find."""
        return self.segment_matches(client, inputs)

    def finish_create(
        self, client: SegmentClient, inputs: M, made: tuple[str, dict[str, Any]]
    ) -> tuple[str, dict[str, Any]]:
        """The writes a create needs after its first, for the object that write made or one a
        lost or cut-off create of this resource left: only what the first write left unset
        (``left_by_create``), so a value changed in Segment's app since shows at the next
        preview. Raises ``SegmentError`` (the scaffold then says what was made)."""
        return made

    def left_by_create(self, name: str, state: Mapping[str, Any]) -> bool:
        """Whether ``state`` holds for input ``name`` what the create's first write leaves
        there (Segment's default, before ``finish_create`` sets it): no evidence either way of
        which create made the object."""
        return False

    def extra_failures(self, inputs: M) -> list[dyn.CheckFailure]:
        """Checks beyond the model's (for example, parsing a query)."""
        return []

    def partial_failures(self, known: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        """The checks of ``extra_failures`` that the known inputs allow, at a preview where
        others are still unknown (say, an id another resource has yet to create)."""
        return []

    def natural_key_of(self, props: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """What makes the object one of a kind in Segment, once every part of it is known."""
        field = self._key_field()
        if field is None:
            return None
        values = [props.get(name) for name in (*self.key_scope, field)]
        if any(v is None or contains_unknown(v) for v in values):
            return None
        return (self.kind, *values)

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        """Segment's state as the program would write the same values (an alias it used for a
        catalog entry, say), so that what Segment holds after a write diffs clean."""
        return state

    def describe_found(self, state: Mapping[str, Any]) -> str:
        """How a refusal names an object Segment already holds (beyond its id)."""
        parts = [f"{name} {state[name]!r}" for name in ("slug", "key", "name") if state.get(name)]
        return ", ".join(dict.fromkeys(parts))

    def describe(self, inputs: Mapping[str, Any]) -> str:
        """How errors name the object: its natural key, or its kind."""
        field = self._key_field()
        key = field and inputs.get(field)
        return f"{self.kind} {key!r}" if key else self.kind

    def type_name(self) -> str:
        """The resource's class name (``ComputedTrait``), as a program writes it."""
        return type(self).__name__.removesuffix("Provider")

    def resource_label(self, props: Mapping[str, Any]) -> str:
        """The program's resource, as far as its props tell: ``ComputedTrait 'inbound'``."""
        name = props.get(AUTONAME_BASE)
        return f"{self.type_name()} {name!r}" if isinstance(name, str) else self.type_name()

    def acting_for(self, props: Mapping[str, Any]) -> str:
        """Who notices speak for: the object, and the program's resource where props name it."""
        described, name = self.describe(props), props.get(AUTONAME_BASE)
        return f"{described} (resource {name!r})" if isinstance(name, str) else described

    # -- the engine's calls ---------------------------------------------------------------

    def configure(self, req: dyn.ConfigureRequest) -> None:
        config.configure_process(
            {
                key: req.config.get(key)
                for key in ("segment:token", "segment:endpoint", "segment:profileEndpoint")
                if req.config.get(key) is not None
            }
        )

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        result = self._check(_olds, news)
        # The CLI names the resource beside a failure; localrun, automation and logs do not.
        label = self.resource_label(_strip(news))
        result.failures = [
            dyn.CheckFailure(f.property, f"{label}: {f.reason}") for f in result.failures or []
        ]
        return result

    def _check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        from pydantic import ValidationError as PydanticValidationError

        olds = _strip(_olds)
        props = _strip(news)
        field = self.autoname_field
        if field and props.get(field) in (None, ""):
            props[field] = self._autoname(olds, props)
            props[AUTONAMED] = True
        elif field:
            props[AUTONAMED] = False
        known = {k: v for k, v in self._model_view(props).items() if not contains_unknown(v)}
        failures: list[dyn.CheckFailure] = []
        try:
            model = self.inputs_model.model_validate(known)
        except PydanticValidationError as exc:
            failures = [
                _failure(err, secret=self.secret_fields)
                for err in exc.errors()
                if not (err["type"] == "missing" and _path(err["loc"]) in self._unknown_keys(props))
            ]
            return dyn.CheckResult(news, failures or self.partial_failures(known))
        if len(known) == len(self._model_view(props)):
            failures = self.extra_failures(model)  # type: ignore[arg-type]
            props.update(model.model_dump(mode="json"))
            failures += self._claim_failures(props)
            failures += self._removal_failures(olds, props)
        else:
            failures = self.partial_failures(known)
        return dyn.CheckResult(props, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.DiffResult:
        olds, news = _strip(_olds), _strip(_news)
        changed = [
            name
            for name in self.inputs_model.model_fields
            if contains_unknown(news.get(name)) or self._differs(name, olds, news)
        ]
        replaces = [name for name in changed if name in self.replace_on]
        field = self._key_field()
        # An explicit natural key that stays the same would collide with itself in Segment.
        collide = bool(
            replaces and field and not news.get(AUTONAMED) and olds.get(field) == news.get(field)
        )
        return dyn.DiffResult(
            changes=bool(changed),
            replaces=replaces,
            stables=[n for n in self.inputs_model.model_fields if n not in changed],
            delete_before_replace=collide,
        )

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        try:
            with notices.acting_for(self.acting_for(props)):
                if props.get(ADOPT_ID) and not self.adopted:
                    return adopt(self, _strip(props))
                result = self._create(props)
                if self.adopted:
                    # The CLI says "creating" for every create: say what happened instead.
                    notices.say(
                        f"found existing {self.kind} {result.id} in Segment (adopted: Segment's "
                        "Public API cannot create it, so the stack reads and checks it, and "
                        "`pulumi destroy` leaves it in Segment)"
                    )
                return result
        finally:
            config.drop_reads()

    def _create(self, props: dict[str, Any]) -> dyn.CreateResult:
        inputs = self._inputs(props)
        client = config.public_client()
        if not props.get(AUTONAMED) or self.unique_key:
            return self._send(client, inputs, props)
        mine = _intents.identity(props, self.natural_key_of(props))
        if mine is not None and _intents.Earlier(*mine).exists:
            # Segment would take this name twice, and a create of this resource was sent that
            # the engine never recorded: what it made is known before another is sent, since
            # a look that fails beside the create would leave both (removing the new one
            # afterwards can fail just the same).
            return self._after_cut_off(client, inputs, props, mine)
        # Segment would take this name twice. What a cut-off create of this very resource left
        # (the name is its own) is looked for beside this create rather than before it, which
        # would be one more round trip on every stack's critical path; one found is kept, as
        # the object this resource made first, and the one just made is removed.
        answers = concurrently(
            lambda: self._send(client, inputs, props),
            lambda: self._earlier(client, inputs, props),
        )
        created: dyn.CreateResult = answers[0]
        looked: list[tuple[str, dict[str, Any]]] | SegmentError = answers[1]
        if isinstance(looked, SegmentError):
            looked = self._earlier_after(client, inputs, props, str(created.id), looked)
        # Both may be listed by now: the earlier one is any other under this very name.
        others = [found for found in looked if found[0] != created.id]
        if not others:
            return created
        earlier = others[0]
        try:
            earlier = self.finish_create(client, inputs, earlier)
        except (SegmentError, SegmentResourceError) as exc:
            # The one just made is whole and the earlier one cannot be finished: keep the
            # whole one, rather than fail and leave both with neither in the state.
            self._remove_earlier(client, earlier, props, exc)
            return created
        try:
            self.segment_delete(client, str(created.id), created.outs or {})
        except SegmentError as exc:
            log.warning(
                "%s: %s, made by an earlier, cut-off create, is left in Segment (removing the "
                "second one failed: %s); remove it in Segment",
                self.describe(props),
                earlier[0],
                exc,
            )
            return created
        if mine is not None:
            _intents.made(*mine, earlier[0])
        log.warning("%s: adopting %s, made by an earlier, cut-off create", self.kind, earlier[0])
        return dyn.CreateResult(earlier[0], self._outputs(props, earlier[1]))

    def _after_cut_off(
        self,
        client: SegmentClient,
        inputs: M,
        props: dict[str, Any],
        mine: tuple[str, tuple[Any, ...]],
    ) -> dyn.CreateResult:
        try:
            # Listed again for a while: the earlier object may not be in Segment's lists yet.
            listed = wait_for_listing(lambda: self.find_earlier(client, inputs) or None, wait=True)
        except SegmentError as exc:
            raise SegmentResourceError(earlier_unknown_message(self, props, exc)) from exc
        if not listed:
            return self._send(client, inputs, props)
        earlier = listed[0]
        try:
            finished = self.finish_create(client, inputs, earlier)
        except (SegmentError, SegmentResourceError) as exc:
            # Known but not finishable: as beside a create, a whole one is made and the
            # half-made one removed, rather than fail with it half-made and out of the state.
            created = self._send(client, inputs, props)
            self._remove_earlier(client, earlier, props, exc)
            return created
        _intents.made(*mine, finished[0])
        log.warning("%s: adopting %s, made by an earlier, cut-off create", self.kind, finished[0])
        return dyn.CreateResult(finished[0], self._outputs(props, finished[1]))

    def _remove_earlier(
        self,
        client: SegmentClient,
        earlier: tuple[str, dict[str, Any]],
        props: Mapping[str, Any],
        why: Exception,
    ) -> None:
        id_, state = earlier
        try:
            self.segment_delete(client, id_, state)
        except NotFoundError:
            return
        except SegmentError as exc:
            log.warning(
                "%s: %s, made by an earlier, cut-off create, could not be finished (%s) nor "
                "removed (%s); remove it in Segment",
                self.describe(props),
                id_,
                why,
                exc,
            )
            return
        log.warning(
            "%s: removed %s, made by an earlier, cut-off create that could not be finished (%s)",
            self.describe(props),
            id_,
            why,
        )

    def _earlier(
        self, client: SegmentClient, inputs: M, props: Mapping[str, Any]
    ) -> list[tuple[str, dict[str, Any]]] | SegmentError:
        """The objects under this name as listed beside the create, or why they could not be."""
        try:
            return wait_for_listing(lambda: self.find_earlier(client, inputs), wait=False) or []
        except SegmentError as exc:
            log.info("%s: could not look for an earlier, cut-off create: %s", self.kind, exc)
            return exc

    def _earlier_after(
        self,
        client: SegmentClient,
        inputs: M,
        props: Mapping[str, Any],
        made: str,
        failed: SegmentError,
    ) -> list[tuple[str, dict[str, Any]]]:
        """The objects under this name, listed again once the create answered, after the look
        beside it failed: until the list shows one (this create's own, at least), within the
        list wait. Where that cannot be told, the new one is kept and the warning says which
        duplicate to look for (no record of a cut-off create here does not mean there was none:
        it may have run on another machine)."""
        try:
            listed = wait_for_listing(lambda: self.find_earlier(client, inputs) or None, wait=True)
        except SegmentError as exc:
            why = f"listing failed beside the create ({failed}) and after it ({exc})"
            notices.say(earlier_unchecked_message(self, props, made, why), warn=True)
            return []
        if not listed:
            why = (
                f"listing failed beside the create ({failed}), and after it the list did not "
                f"show this {self.kind} within {list_wait_seconds():g} s"
            )
            notices.say(earlier_unchecked_message(self, props, made, why), warn=True)
            return []
        return listed

    def _send(self, client: SegmentClient, inputs: M, props: dict[str, Any]) -> dyn.CreateResult:
        mine = _intents.identity(props, self.natural_key_of(props))
        # What an earlier, cut-off process of this resource recorded, read before this create
        # writes its own record.
        earlier = {} if mine is None else {"claimed": _intents.Earlier(*mine).claims}
        if mine is not None:
            _intents.sent(*mine, self.describe(props))
        try:
            id_, state = self._send_once(client, inputs, props, **earlier)
        except SegmentResourceError as exc:
            if mine is not None and not _outcome_unknown_failure(exc):
                _intents.forget(*mine)
            raise
        if mine is not None:
            _intents.made(*mine, str(id_))
        try:
            id_, state = self.finish_create(client, inputs, (id_, state))
        except SegmentError as exc:
            raise SegmentResourceError(
                f"{self.describe(props)} was created in Segment (id {id_!r}) but the write that "
                f"completes it failed: {str(exc).rstrip('.')}; run `pulumi up` again: it takes "
                "this object over and completes it"
            ) from exc
        return dyn.CreateResult(id_, self._outputs(props, state))

    def _send_once(
        self,
        client: SegmentClient,
        inputs: M,
        props: dict[str, Any],
        *,
        claimed: Callable[[str], bool | None] = lambda _id: False,
    ) -> tuple[str, dict[str, Any]]:
        """The create's first write, or the object it (or a cut-off create of this resource)
        made: what ``finish_create`` then completes."""
        # The error of an attempt whose outcome is unknown: it may have made the object.
        lost: SegmentError | None = None
        for attempt in range(1, c.MAX_ATTEMPTS + 1):
            try:
                return self.segment_create(client, inputs)
            except (ConflictError, ValidationError) as exc:
                exists = isinstance(exc, ConflictError) or "exist" in str(exc).lower()
                found = self._lookup(client, inputs, props, exc, wait=exists or lost is not None)
                if found is None and lost is not None:
                    raise SegmentResourceError(self._unknown(props, lost)) from exc
                if found is None:
                    raise SegmentResourceError(f"creating {self.describe(props)}: {exc}") from exc
                claim = claimed(found[0])
                if (
                    not self._made_here(props, found[1])
                    and claim is not True
                    and not ((lost is not None or claim is None) and self._as_sent(props, found[1]))
                ):
                    raise SegmentResourceError(taken_message(self, props, found, exc)) from exc
                return found
            except SegmentError as exc:
                if not outcome_unknown(exc):
                    raise SegmentResourceError(f"creating {self.describe(props)}: {exc}") from exc
                lost = exc
                found = self._lookup(client, inputs, props, exc, wait=True)
                if found is None and resendable(self.unique_key, exc) and attempt < c.MAX_ATTEMPTS:
                    # Either Segment refuses a second object with this key (if the lost attempt
                    # was applied after all, the next one meets a conflict and adopts it), or
                    # the answer says it was not handled and the lists agree for the whole wait.
                    log.info("%s: %s; not listed after waiting, sending it again", self.kind, exc)
                    time.sleep(_http.backoff(attempt, c.BACKOFF_INITIAL, c.BACKOFF_MAX))
                    continue
                if found is None:
                    raise SegmentResourceError(self._unknown(props, exc)) from exc
                if not self._made_here(props, found[1]) and not self._as_sent(props, found[1]):
                    # Not what this create sent: it was there before, the lost answer a conflict.
                    raise SegmentResourceError(taken_message(self, props, found, exc)) from exc
                log.warning("%s: adopting the object Segment made before the error", self.kind)
                return found
        raise AssertionError("unreachable: the last attempt returns or raises")

    def read(self, id_: str, props: dict[str, Any]) -> dyn.ReadResult:
        prior = _strip(props)
        try:
            with notices.acting_for(self.acting_for(prior)):
                state = self.segment_read(config.public_client(), id_, prior)
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
        for extra in (AUTONAME_BASE, AUTONAMED, AUTONAME_SEED):
            if extra in prior:
                inputs[extra] = prior[extra]
        return dyn.ReadResult(id_, outs, inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.UpdateResult:
        olds, news = _strip(_olds), _strip(_news)
        inputs = self._inputs(news)
        changed = {
            name for name in self.inputs_model.model_fields if self._differs(name, olds, news)
        }
        try:
            with notices.acting_for(self.acting_for(news)):
                state = self.segment_update(config.public_client(), _id, inputs, changed)
        except SegmentError as exc:
            raise SegmentResourceError(f"updating {self.describe(news)}: {exc}") from exc
        finally:
            config.drop_reads()
        return dyn.UpdateResult(self._outputs(news, state))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        props = _strip(_props)
        key = self.natural_key_of(props)
        if key is not None and props.get(AUTONAME_SEED):
            _claims.release(key, str(props[AUTONAME_SEED]))
        if self.adopted:
            log.warning(
                "%s %s: removed from the stack only; Segment was left unchanged (its Public API "
                "cannot delete it; remove it in the Segment app if that is what you want)",
                self.describe(props),
                _id,
            )
            return
        try:
            with notices.acting_for(self.acting_for(props)):
                self.segment_delete(config.public_client(), _id, props)
        except NotFoundError:
            log.info("%s %s was already gone from Segment", self.kind, _id)
        except SegmentError as exc:
            raise SegmentResourceError(f"deleting {self.describe(props)}: {exc}") from exc
        finally:
            config.drop_reads()
        mine = _intents.identity(props, key)
        if mine is not None:
            _intents.forget(*mine)

    # -- helpers -------------------------------------------------------------------------

    def _removal_failures(
        self, olds: Mapping[str, Any], props: Mapping[str, Any]
    ) -> list[dyn.CheckFailure]:
        """A field Segment cannot clear, set before and left out now: refused, not ignored
        (the program would say it has none while Segment keeps it)."""
        return [
            dyn.CheckFailure(
                name,
                f"{name} was {olds[name]!r} and cannot be removed: Segment's update takes it as "
                "a string, not null, and has no way to clear it. Keep a value (it is what Segment "
                "shows), or give the one you want.",
            )
            for name in sorted(self.unclearable)
            if olds.get(name) not in (None, "") and props.get(name) is None
        ]

    def _key_field(self) -> str | None:
        return self.natural_key or self.autoname_field

    def _differs(self, name: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
        new = news.get(name)
        # An optional input left out takes Segment's value (a default name, say): not a change,
        # unless the field decides which object this is.
        if new is None and name not in self.replace_on:
            return False
        return not same(olds.get(name), new, lenient=name in self.lenient_fields)

    def _model_view(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k in self.inputs_model.model_fields}

    def _unknown_keys(self, props: Mapping[str, Any]) -> set[str]:
        return {k for k, v in props.items() if contains_unknown(v)}

    def _inputs(self, props: Mapping[str, Any]) -> M:
        return self.inputs_model.model_validate(self._model_view(props))  # type: ignore[return-value]

    def _outputs(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
        """What Segment holds after the write; inputs only where Segment shows nothing (a value
        it never returns, a masked secret), so a difference shows at the next preview."""
        outs = {
            name: props[name]
            for name in (*self.inputs_model.model_fields, AUTONAME_BASE, AUTONAMED, AUTONAME_SEED)
            if name in props
        }
        for name, value in self.program_view(dict(state), props).items():
            if value is None and outs.get(name) is not None:
                continue
            # Segment leaves write-only settings (a warehouse's password) out of its answers.
            omitted = name in self.lenient_fields
            outs[name] = keep_write_only(value, props.get(name), keep_omitted=omitted)
        return outs

    def _autoname(self, olds: Mapping[str, Any], props: Mapping[str, Any]) -> Any:
        field = self.autoname_field
        assert field is not None
        base = str(props.get(AUTONAME_BASE) or self.kind)
        # An update keeps the name it has (names made before they were deterministic too); the
        # engine checks a replacement without olds, and the salt changes with it.
        same_base = olds.get(AUTONAME_BASE) == props.get(AUTONAME_BASE)
        if olds.get(AUTONAMED) and same_base and olds.get(field):
            return olds[field]
        salt = {name: props.get(name) for name in sorted({*self.replace_on, "catalog_slug"})}
        if any(contains_unknown(value) for value in salt.values()):
            return UNKNOWN  # known at `up`, once the objects it depends on exist
        seed = str(props.get(AUTONAME_SEED) or base)
        return autoname(base, slug=self.autoname_slug, seed=seed, salt=salt)

    def _claim_failures(self, props: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        key = self.natural_key_of(props)
        seed = props.get(AUTONAME_SEED)
        # Objects made in Segment's app may be shared (two stacks adopt one space); autonames
        # are unique by construction.
        if key is None or not seed or props.get(AUTONAMED) or self.adopted:
            return []
        name = str(props.get(AUTONAME_BASE) or "?")
        other = _claims.claim(key, str(seed), name)
        if other is None:
            return []
        field = self._key_field()
        assert field is not None
        return [
            dyn.CheckFailure(
                field,
                f"{self.describe(props)} is also declared by resource {other!r} of this stack; "
                f"Segment keeps one {self.kind} per {field}, so both would be one object: "
                "rename one of them",
            )
        ]

    def _made_here(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        """Whether an object found under our natural key carries this resource's own autoname."""
        field = self._key_field()
        return (
            bool(props.get(AUTONAMED))
            and field is not None
            and state.get(field) == props.get(field)
        )

    def _as_sent(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> bool:
        """Whether an object found after a lost answer holds what this create sent: a lost
        answer is evidence only for an object that could be its result."""
        held = self.program_view(dict(state), props)
        return not any(
            name in held and held[name] is not None and self._differs(name, held, props)
            for name in self.inputs_model.model_fields
            if not self.left_by_create(name, held)
        )

    def _unknown(self, props: Mapping[str, Any], exc: SegmentError) -> str:
        return outcome_unknown_message(self, props, exc, autonamed=bool(props.get(AUTONAMED)))

    def _lookup(
        self,
        client: SegmentClient,
        inputs: M,
        props: Mapping[str, Any],
        exc: SegmentError,
        *,
        wait: bool,
    ) -> tuple[str, dict[str, Any]] | None:
        """The object with our natural key; with ``wait``, listed again for a while, since
        Segment's lists can trail its writes."""
        try:
            return wait_for_listing(lambda: self.segment_find(client, inputs), wait=wait)
        except SegmentError as lookup:
            raise SegmentResourceError(
                found_elsewhere(self, props, exc, lookup, autonamed=bool(props.get(AUTONAMED)))
            ) from exc


def _strip(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


def _path(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def _failure(err: Mapping[str, Any], *, secret: frozenset[str]) -> dyn.CheckFailure:
    path = _path(err["loc"])
    if err["type"] == "missing":
        return dyn.CheckFailure(path, f"{path} is required")
    if err["type"] == "extra_forbidden":
        return dyn.CheckFailure(path, f"{path} is not an argument of this resource")
    reason = str(err["msg"])
    given = err.get("input")
    quotable = not err["loc"] or str(err["loc"][0]) not in secret
    if quotable and isinstance(given, str | int | float | bool) and len(repr(given)) < 80:
        reason += f" (got {given!r})"
    return dyn.CheckFailure(path, reason)


def _outcome_unknown_failure(exc: SegmentResourceError) -> bool:
    """A failed create that may still have made the object (its record must stay)."""
    return isinstance(exc.__cause__, SegmentError) and outcome_unknown(exc.__cause__)
