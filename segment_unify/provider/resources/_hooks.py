"""What a Segment resource's provider declares and provides, read by the scaffold (``_base``).

Class attributes say what kind of object it is (its natural key, what replaces it, whether
Segment's app alone makes it); the ``segment_*`` methods are the few Segment calls that differ
per resource; the rest have defaults a resource overrides where Segment differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import pulumi.dynamic as dyn

from segment_unify.provider.resources._declare import from_segment, names
from segment_unify.provider.resources._lazy import DeclaredModel
from segment_unify.provider.resources._naming import AUTONAME_BASE
from segment_unify.provider.resources._plain_errors import wrap_entry_points
from segment_unify.provider.resources._values import contains_unknown

if TYPE_CHECKING:
    from pydantic import BaseModel

    from segment_unify.provider.client import SegmentClient

M = TypeVar("M", bound="BaseModel")

PROVIDER_KEY = "__provider"


def strip_provider(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


class ResourceHooks(dyn.ResourceProvider, Generic[M]):
    """What a resource module declares and provides; ``SegmentProvider`` calls it."""

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

    def owner_label(self, props: Mapping[str, Any]) -> str:
        """The resource in its stack, for telling two resources of one stack apart."""
        return f"resource {props.get(AUTONAME_BASE)!r} ({self.type_name()})"

    def _key_field(self) -> str | None:
        return self.natural_key or self.autoname_field

    def _model_view(self, props: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in props.items() if k in self.inputs_model.model_fields}
