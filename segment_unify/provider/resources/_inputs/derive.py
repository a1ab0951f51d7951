"""The pydantic model ``check`` validates, derived from a resource's declaration (``_declare``).

Each argument becomes a model field of its declared type, default and constraints (``pattern``,
``min_length``, ``max_length``, ``ge``); a nested declared object (options, a definition)
becomes a nested model. What no declaration can say (a key derived from the name, a catalog slug
resolved to its id) lives in the base model named by the declared class' ``check_base``, in
``_inputs.base``. Models are built once per declared class, at the first check that needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

from pydantic import BaseModel, Field, create_model

from segment_unify.provider.resources._declare import Spec, declared_type, specs, state_key
from segment_unify.provider.resources._inputs import base

_MODELS: dict[type[Any], type[BaseModel]] = {}


def model_of(declared: type[Any]) -> type[BaseModel]:
    """The input model of ``declared``: its arguments, under their names in Pulumi state."""
    # Two threads may both build it: the models are equal, either may be kept.
    model = _MODELS.get(declared)
    if model is None:
        model = _MODELS.setdefault(declared, _build(declared))
    return model


def _build(declared: type[Any]) -> type[BaseModel]:
    parent = _base_model(getattr(declared, "check_base", "Inputs"))
    fields: dict[str, Any] = {
        state_key(spec): _field(declared, spec) for spec in specs(declared) if not spec.output
    }
    name = declared.__name__.removesuffix("Args") + "Inputs"
    return create_model(name, __base__=parent, __module__=declared.__module__, **fields)


def _base_model(name: str) -> type[BaseModel]:
    """``Inputs`` from ``_inputs.base``, or ``source.SourceChecks`` from ``_inputs.source``."""
    module_name, _, model = name.rpartition(".")
    module = importlib.import_module(f"{base.__package__}.{module_name}") if module_name else base
    found: type[BaseModel] = getattr(module, model)
    return found


def _field(declared: type[Any], spec: Spec) -> tuple[Any, Any]:
    extra: dict[str, Any] = dict(spec.checks)
    if not spec.repr:
        extra["repr"] = False
    if spec.nested is not None:
        nested = model_of(spec.nested)
        if spec.required:
            return nested, Field(**extra)
        return nested, Field(default_factory=nested, **extra)
    kind = declared_type(declared, spec.name) if spec.check_as is None else spec.check_as
    if isinstance(kind, str):
        kind = _base_model(kind)
    if spec.required:
        return kind, Field(**extra)
    if isinstance(spec.default, dict | list):
        factory = spec.default
        return kind, Field(default_factory=lambda: type(factory)(factory), **extra)
    return (kind | None if spec.default is None else kind), Field(default=spec.default, **extra)
