"""Input models loaded on first use: importing a resource module builds no pydantic model.

The dynamic provider process imports a resource's module when it unpickles the resource's
provider, and a program imports it to declare resources; neither needs the ``check`` models
until a ``check`` (or another engine call) asks for them. So the models of resource ``x`` live in
``_inputs/x.py``, and:

- ``LazyModel("XInputs")``, a provider's ``inputs_model``, imports that module on first access;
- ``moved_names(__name__, ...)`` is a resource module's ``__getattr__``, so the models stay
  importable from the module they were declared in (``from ….audience import
  AudienceDefinition``).

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


class LazyModel:
    """A provider's ``inputs_model``: the model ``name`` of its resource's ``_inputs`` module,
    imported when first read (from the class or an instance)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.module = ""
        self._model: type[BaseModel] | None = None

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.module = inputs_module(owner.__module__)

    def __get__(self, instance: object, owner: type | None = None) -> type[BaseModel]:
        # Two threads may both import: the import system serializes it, the class is the same.
        if self._model is None:
            self._model = getattr(importlib.import_module(self.module), self.name)
        return self._model


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
