"""What a declared class declares: its fields' ``Spec``s in order, and their declared types.

Apart from ``_declare`` so that what reads a declaration (``_signature``, the input models) does
not import the ``Args`` base that uses it.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
import typing
from typing import Any

from segment_unify.provider.resources._spec import SPEC, Spec

__all__ = ["declared_annotation", "declared_type", "names", "specs"]


_SPECS: dict[type[Any], tuple[Spec, ...]] = {}


def specs(cls: type[Any]) -> tuple[Spec, ...]:
    """The declared fields of a declared class (or of the Args a resource inherits), in order."""
    found = _SPECS.get(cls)
    if found is None:
        fields = getattr(cls, "__dataclass_fields__", {})
        found = _SPECS[cls] = tuple(
            dataclasses.replace(field.metadata[SPEC], name=name, owner=_declaring(cls, name))
            for name, field in fields.items()
            if SPEC in field.metadata
        )
    return found


def _declaring(cls: type[Any], name: str) -> type[Any]:
    return next((c for c in cls.__mro__ if name in inspect.get_annotations(c)), cls)


def names(cls: type[Any], *, output: bool | None = None, **flags: bool) -> tuple[str, ...]:
    """The names of the declared fields whose ``Spec`` has the given flags."""
    return tuple(
        spec.name
        for spec in specs(cls)
        if (output is None or spec.output == output)
        and all(getattr(spec, flag) == value for flag, value in flags.items())
    )


_TYPES: dict[tuple[type[Any], str], Any] = {}


def declared_type(cls: type[Any], name: str) -> Any:
    """``T`` of a field's ``Prop[T]`` annotation, evaluated in the declaring module."""
    if (cls, name) not in _TYPES:
        _TYPES[cls, name] = _evaluate(cls, name)
    return _TYPES[cls, name]


def _evaluate(cls: type[Any], name: str) -> Any:
    (kind,) = typing.get_args(declared_annotation(cls, name))
    return kind


def declared_annotation(cls: type[Any], name: str) -> Any:
    """A field's ``Prop[T]`` or ``Value[T]``, evaluated in the declaring module."""
    for owner in cls.__mro__:
        annotation = inspect.get_annotations(owner).get(name)
        if annotation is not None:
            module = sys.modules[owner.__module__]
            return eval(annotation, vars(module)) if isinstance(annotation, str) else annotation
    raise TypeError(f"{cls.__name__}.{name} has no annotation")
