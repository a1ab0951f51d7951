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
they hold nothing: the client comes from ``config.public_client()``.

Importing this module imports neither pydantic nor httpx: the input model comes with the first
call that needs it (``check``, or ``read``/``diff``/``update`` in a process that never checked),
the HTTP client with the first call to Segment, which a preview never makes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import pulumi.dynamic as dyn

from segment_unify.provider import config, notices
from segment_unify.provider.errors import NotFoundError, SegmentError, SegmentResourceError
from segment_unify.provider.resources import _claims, _create
from segment_unify.provider.resources._adopt import ADOPT_ID
from segment_unify.provider.resources._declare import from_segment, names
from segment_unify.provider.resources._lazy import DeclaredModel
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAME_SEED,
    AUTONAMED,
    autoname,
)
from segment_unify.provider.resources._plain_errors import wrap_entry_points
from segment_unify.provider.resources._values import (
    UNKNOWN,
    contains_unknown,
    keep_write_only,
    same,
)
from segment_unify.provider.resources.stack_identity import STACK_IDENTITY, resource_seed

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
        props[AUTONAME_SEED] = self._seed(olds, props)
        field = self.autoname_field
        if field and props.get(field) in (None, ""):
            props[field] = self._autoname(olds, props)
            props[AUTONAMED] = True
        elif field:
            props[AUTONAMED] = False
        if olds.get(_create.SETTLE) is not None:
            props[_create.SETTLE] = olds[_create.SETTLE]
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
        else:
            failures = self.partial_failures(known)
        return dyn.CheckResult(props, failures)

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.DiffResult:
        olds, news = _strip(_olds), _strip(_news)
        _claims.hold(self.kind, _id, self.owner_label(news))
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
            changes=bool(changed) or olds.get(_create.SETTLE) is not None,
            replaces=replaces,
            stables=[n for n in self.inputs_model.model_fields if n not in changed],
            delete_before_replace=collide,
        )

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        try:
            with notices.acting_for(self.acting_for(props)):
                result = _create.create(self, _strip(props))
                if self.adopted and not props.get(ADOPT_ID):
                    # The CLI says "creating" for every create: say what happened instead.
                    notices.say(
                        f"found existing {self.kind} {result.id} in Segment (adopted: Segment's "
                        "Public API cannot create it, so the stack reads and checks it, and "
                        "`pulumi destroy` leaves it in Segment)"
                    )
                return result
        finally:
            config.drop_reads()

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
        for extra in _KEPT:
            if extra in prior:
                inputs[extra] = prior[extra]
        return dyn.ReadResult(id_, outs, inputs)

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.UpdateResult:
        olds, news = _strip(_olds), _strip(_news)
        inputs = self.inputs_of(news)
        changed = {
            name for name in self.inputs_model.model_fields if self.differs(name, olds, news)
        }
        try:
            with notices.acting_for(self.acting_for(news)):
                settle = _create.settle(self, _id, olds)
                if changed or (settle is None and olds.get(_create.SETTLE) is None):
                    state = self.segment_update(config.public_client(), _id, inputs, changed)
                else:
                    state = {k: olds.get(k) for k in self.inputs_model.model_fields}
        except SegmentError as exc:
            raise SegmentResourceError(f"updating {self.describe(news)}: {exc}") from exc
        finally:
            config.drop_reads()
        outs = self.outputs(news, state)
        outs.pop(_create.SETTLE, None)
        if settle is not None:
            outs[_create.SETTLE] = settle
        return dyn.UpdateResult(outs)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        props = _strip(_props)
        key = self.natural_key_of(props)
        if key is not None:
            _claims.release(key, self.owner_label(props))
        if self.adopted:
            log.warning(
                "%s %s: removed from the stack only; Segment was left unchanged (its Public API "
                "cannot delete it; remove it in the Segment app if that is what you want)",
                self.describe(props),
                _id,
            )
            return
        with notices.acting_for(self.acting_for(props)):
            if not _create.may_delete(self, _id, props):
                return
            try:
                self.segment_delete(config.public_client(), _id, props)
            except NotFoundError:
                log.info("%s %s was already gone from Segment", self.kind, _id)
            except SegmentError as exc:
                raise SegmentResourceError(f"deleting {self.describe(props)}: {exc}") from exc
            finally:
                config.drop_reads()
        _create.forget(self, props)

    # -- what the create protocol reads ---------------------------------------------------

    def owner_label(self, props: Mapping[str, Any]) -> str:
        """The resource in its stack, for telling two resources of one stack apart."""
        return f"resource {props.get(AUTONAME_BASE)!r} ({self.type_name()})"

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
            for name in (*self.inputs_model.model_fields, *_KEPT, _create.SETTLE)
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

    # -- helpers -------------------------------------------------------------------------

    def _key_field(self) -> str | None:
        return self.natural_key or self.autoname_field

    def _model_view(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k in self.inputs_model.model_fields}

    def _unknown_keys(self, props: Mapping[str, Any]) -> set[str]:
        return {k for k, v in props.items() if contains_unknown(v)}

    def _seed(self, olds: Mapping[str, Any], props: Mapping[str, Any]) -> Any:
        """The resource's identity in its stack: kept from its state (across ``aliases``
        renames, and for resources made before stacks had an identity), else derived from the
        stack's identity, its type and its name."""
        if olds.get(AUTONAME_SEED):
            return olds[AUTONAME_SEED]
        stack = props.get(STACK_IDENTITY, "")
        if contains_unknown(stack):
            return UNKNOWN  # the stack's first preview: its identity is made at `up`
        return resource_seed(str(stack or ""), self.type_name(), str(props.get(AUTONAME_BASE)))

    def _autoname(self, olds: Mapping[str, Any], props: Mapping[str, Any]) -> Any:
        field = self.autoname_field
        assert field is not None
        # An update keeps the name it has, across an ``aliases`` rename too (names made before
        # they were deterministic as well); the engine checks a replacement without olds, and
        # the salt changes with it.
        if olds.get(AUTONAMED) and olds.get(field):
            return olds[field]
        salt = {name: props.get(name) for name in sorted({*self.replace_on, "catalog_slug"})}
        seed = props.get(AUTONAME_SEED)
        if contains_unknown(seed) or any(contains_unknown(value) for value in salt.values()):
            return UNKNOWN  # known at `up`, once the objects it depends on exist
        base = str(props.get(AUTONAME_BASE) or self.kind)
        return autoname(base, slug=self.autoname_slug, seed=str(seed), salt=salt)

    def _claim_failures(self, props: Mapping[str, Any]) -> list[dyn.CheckFailure]:
        key = self.natural_key_of(props)
        # Objects made in Segment's app may be shared (two stacks adopt one space); autonames
        # are unique by construction.
        if key is None or props.get(AUTONAMED) or self.adopted:
            return []
        other = _claims.claim(key, self.owner_label(props))
        if other is None:
            return []
        field = self._key_field()
        assert field is not None
        return [
            dyn.CheckFailure(
                field,
                f"{self.describe(props)} is also declared by {other} of this stack; "
                f"Segment keeps one {self.kind} per {field}, so both would be one object: "
                "rename one of them",
            )
        ]


# Props the provider keeps in state beside the inputs: the resource's name, seed and stack.
_KEPT = (AUTONAME_BASE, AUTONAMED, AUTONAME_SEED, STACK_IDENTITY)


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
