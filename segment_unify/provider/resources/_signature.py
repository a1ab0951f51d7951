"""What ``inspect.signature`` (``help()``, IPython, editors that run code) shows of a declared
class: the declared types as a program writes them and the real defaults.

An ``…Args`` shows its keyword arguments; a resource, its name, ``args``, ``opts`` and
``adopt_id`` before them. A required argument has no default; an optional one shows the value
it gets. Made when first asked for, not at import.
"""

from __future__ import annotations

import inspect
import re
import typing
from typing import Any

import pulumi

from segment_unify.provider.resources._spec import Prop, Spec
from segment_unify.provider.resources._specs import declared_annotation, specs

KEYWORD = inspect.Parameter.KEYWORD_ONLY
POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD

_MADE: dict[type[Any], inspect.Signature] = {}


class Shown:
    """An annotation shown as a program writes it (``pulumi.Input[str] | None``), not as the
    union ``pulumi.Input`` expands to."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def signature(cls: type[Any]) -> inspect.Signature:
    """``cls``'s constructor: an ``…Args``'s, or a resource's (which inherits its Args)."""
    made = _MADE.get(cls)
    if made is None:
        arguments = [_parameter(cls, spec) for spec in specs(cls) if not spec.output]
        if issubclass(cls, pulumi.Resource):
            arguments = _resource_parameters(cls) + arguments
        made = _MADE[cls] = inspect.Signature(arguments)
    return made


def _resource_parameters(cls: type[Any]) -> list[inspect.Parameter]:
    args_type = getattr(cls, "_args_type", cls)
    return [
        inspect.Parameter("resource_name", POSITIONAL, annotation=Shown("str")),
        inspect.Parameter(
            "args", POSITIONAL, default=None, annotation=Shown(f"{args_type.__name__} | None")
        ),
        inspect.Parameter(
            "opts", POSITIONAL, default=None, annotation=Shown("pulumi.ResourceOptions | None")
        ),
        inspect.Parameter(
            "adopt_id", KEYWORD, default=None, annotation=Shown("pulumi.Input[str] | None")
        ),
    ]


def _parameter(cls: type[Any], spec: Spec) -> inspect.Parameter:
    annotation = declared_annotation(cls, spec.name)
    (kind,) = typing.get_args(annotation)
    text = _written(kind)
    if typing.get_origin(annotation) is Prop:
        text = f"pulumi.Input[{text}]"
    if spec.required:
        return inspect.Parameter(spec.name, KEYWORD, annotation=Shown(text))
    return inspect.Parameter(
        spec.name, KEYWORD, default=spec.default, annotation=Shown(f"{text} | None")
    )


def _written(kind: Any) -> str:
    """``kind`` by its names alone (``Mapping[str, Any]``, not ``typing.Mapping[...]``)."""
    return re.sub(r"\b(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_])", "", inspect.formatannotation(kind))
