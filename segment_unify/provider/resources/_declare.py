"""One declaration per resource: each field written once, everything else derived from it.

A resource's ``…Args`` class declares every field, arguments and outputs alike::

    class SourceArgs(Args):
        slug: Prop[str] = arg(segment="slug", pattern=r"^[a-z0-9][a-z0-9_-]*$", default=None)
        \"""The source's slug, unique in the workspace.\"""
        write_keys: Prop[list[str]] = out(segment="writeKeys", secret=True)
        \"""The keys a library sends events with.\"""

``arg()`` and ``out()`` (``_spec``, with the fields several resources share in ``_fields``)
record a ``Spec``: the Python name, Segment's name, the default (none: the program must give
it), whether a change replaces the object, whether it is secret or write-only, whether Segment
fills it in (``out``), and the checks ``check`` makes. A field's doc is the docstring written
under it, where editors show it (pyright and Pylance, on hovering a keyword argument or an
attribute); ``Spec.doc`` reads it from the declaring class's source when first asked
(``_docs``). From them come:

- the ``…Args`` dataclass (keyword-only; ``out`` fields are not arguments), typed through
  ``typing.dataclass_transform``, and the typed constructors of the resource (which inherits
  its Args), one overload per form (``tools/typed_constructors.py`` writes them into its
  class): a misspelled, mistyped or missing argument is an error for mypy and pyright;
- ``Prop[T]`` reads as ``pulumi.Output[T]`` on a resource and as what was given on an Args;
- ``help()`` and ``inspect.signature``: the declared types and real defaults (``_signature``),
  and a resource's docstring listing its arguments and outputs (``_resource``);
- the provider's replace, secret and lenient fields, the outputs it registers, the input model
  ``check`` validates (``_inputs.derive``, which imports pydantic on first use), and, through
  ``to_segment``/``from_segment``, the bodies it sends and the state it reads.

Importing this module imports neither pydantic nor the query language, and reads no source.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import pulumi

from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources._signature import signature
from segment_unify.provider.resources._spec import (
    REQUIRED,
    Prop,
    Spec,
    Value,
    arg,
    out,
)
from segment_unify.provider.resources._specs import declared_annotation, declared_type, names, specs

__all__ = [
    "REQUIRED",
    "Args",
    "Prop",
    "Spec",
    "Value",
    "arg",
    "check_values",
    "declared_annotation",
    "declared_type",
    "from_segment",
    "names",
    "out",
    "specs",
    "state_key",
    "to_segment",
    "to_state",
]

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10
    from typing_extensions import dataclass_transform


class _SignatureOf:
    def __get__(self, obj: object, owner: type[Any]) -> Any:
        return signature(owner)


@dataclass_transform(
    kw_only_default=True,
    field_specifiers=(
        arg,
        out,
        dataclasses.field,
        fields.space_id,
        fields.catalog_slug,
        fields.metadata_id,
        fields.autonamed,
        fields.enabled,
        fields.settings,
    ),
)
class Args:
    """Base of every ``…Args`` (and declared nested object): a keyword-only dataclass of the
    declared fields, which type checkers read as one. ``frozen=True`` as a class keyword makes
    it immutable (``class TraitOptions(Args, frozen=True)``)."""

    if not TYPE_CHECKING:
        # What inspect.signature shows: the declared types and real defaults (``_signature``).
        __signature__ = _SignatureOf()

    def __init_subclass__(cls, *, frozen: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # A resource inherits its Args (for its typed constructor and outputs) but stays a
        # Pulumi resource, not a dataclass.
        if not issubclass(cls, pulumi.Resource):
            dataclasses.dataclass(kw_only=True, frozen=frozen)(cls)


# -- Segment's names -------------------------------------------------------------------------


def state_key(spec: Spec) -> str:
    return spec.state or spec.name


def to_state(obj: Any) -> dict[str, Any]:
    """A declared object (options, say) as its props: every argument under its state key."""
    return {
        state_key(spec): getattr(obj, spec.name) for spec in specs(type(obj)) if not spec.output
    }


def to_segment(
    cls: type[Any],
    values: Mapping[str, Any],
    *,
    step: Literal["create", "update"] | None = None,
    only: Iterable[str] | None = None,
) -> dict[str, Any]:
    """``values`` (keyed as in state) as Segment's body: the declared fields with a Segment
    name that ``step`` sends, of those in ``only`` when given. None is never sent: Segment's
    models take no null in the bodies we send (a field left out keeps Segment's value, and
    ``check`` refuses removing one Segment cannot clear); a create also leaves out what is
    empty."""
    wanted = None if only is None else set(only)
    body: dict[str, Any] = {}
    for spec in specs(cls):
        if spec.segment is None or (step is not None and not getattr(spec, step)):
            continue
        if wanted is not None and spec.name not in wanted:
            continue
        value = values.get(state_key(spec))
        if spec.nested is not None and isinstance(value, Mapping):
            value = to_segment(spec.nested, value, step=step)
        if value is None:
            continue
        if value == {} and spec.nested is not None and step == "create":
            continue
        body[spec.segment] = value
    return body


def from_segment(
    cls: type[Any], answer: Mapping[str, Any], *, nested: bool = False
) -> dict[str, Any]:
    """Segment's answer keyed as in state: every declared field Segment's answers hold (a
    ``bool``, ``dict`` or ``list`` it leaves out as False or empty). Nested objects (``nested``)
    keep only what Segment set, whole floats as ints (Segment's numbers are float32)."""
    state: dict[str, Any] = {}
    for spec in specs(cls):
        where = spec.answer or spec.segment
        if where is None:
            continue
        value: Any = answer
        for part in where.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if spec.nested is not None:
            value = {
                key: int(item) if isinstance(item, float) and item.is_integer() else item
                for key, item in from_segment(spec.nested, value or {}, nested=True).items()
                if item is not None
            }
        elif value is None and not nested:
            value = _EMPTY.get(_origin(declared_type(cls, spec.name)))
        state[state_key(spec)] = value
    return state


_EMPTY: dict[Any, Any] = {bool: False, dict: {}, Mapping: {}, list: []}


def _origin(kind: Any) -> Any:
    return typing.get_origin(kind) or kind


def check_values(obj: Any) -> None:
    """Refuse a plain declared object's (options') ``bool`` or ``int`` field holding anything
    else, or an ``int`` below its ``ge``, when it is made, as ``check`` would at preview."""
    for spec in specs(type(obj)):
        value = getattr(obj, spec.name)
        kind = declared_type(type(obj), spec.name)
        if value is None or kind not in (bool, int):
            continue
        if kind is bool and not isinstance(value, bool):
            raise TypeError(f"{spec.name} must be a bool or None, not {value!r}")
        least = spec.checks.get("ge")
        whole = isinstance(value, int) and not isinstance(value, bool)
        if kind is int and (not whole or (least is not None and value < least)):
            bound = "" if least is None else f" >= {least}"
            raise ValueError(f"{spec.name} must be a whole number{bound}, not {value!r}")
