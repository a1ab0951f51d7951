"""Input models loaded on first use: importing a resource module builds no pydantic model.

The dynamic provider process imports a resource's module when it unpickles the resource's
provider, and a program imports it to declare resources; neither needs the ``check`` models
until a ``check`` (or another engine call) asks for them. So:

- ``DeclaredModel()``, a provider's ``inputs_model``, derives the model from the resource's
  declaration (``_inputs.derive``) on first access;
- ``moved_names(__name__, ...)`` is a module ``__getattr__`` that keeps a model of ``_inputs/x.py``
  importable from ``resources.x`` (``send_identify.SendIdentifyMappingInputs``).

A process builds only the models of the resource types it serves, and pydantic itself is
imported by the first such access. Not handled: models of a module outside ``resources``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

_RESOURCES = __name__.rsplit(".", 1)[0]


def inputs_module(resource_module: str) -> str:
    """Where the input models of ``resources.x`` live: ``resources._inputs.x``."""
    package, _, name = resource_module.rpartition(".")
    if package != _RESOURCES:
        raise ValueError(f"{resource_module!r} is not a module of {_RESOURCES}")
    return f"{_RESOURCES}._inputs.{name}"


class DeclaredModel:
    """A provider's ``inputs_model`` derived from its ``declaration`` (``_declare``), built by
    ``_inputs.derive`` when first read."""

    def __get__(self, instance: object, owner: type | None = None) -> type[BaseModel]:
        from segment_unify.provider.resources._inputs.derive import model_of

        return model_of(getattr(owner or type(instance), "declaration"))  # noqa: B009


def moved_names(resource_module: str, *names: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` that finds ``names`` in the resource's ``_inputs`` module."""
    moved = frozenset(names)

    def attribute(name: str) -> Any:
        if name not in moved:
            raise AttributeError(f"module {resource_module!r} has no attribute {name!r}")
        return getattr(importlib.import_module(inputs_module(resource_module)), name)

    return attribute
