"""The program side of every resource: ``…Args`` and keyword arguments become registered props."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider.resources._adopt import ADOPT_ID
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAME_SEED,
    AUTONAMED,
    autoname_seed,
)


class SegmentResource(dyn.Resource):
    """Program-side base: turns an ``…Args`` dataclass and keyword arguments into props."""

    _segment_provider: ClassVar[SegmentProvider[Any]]
    _args_type: ClassVar[type[Any]]
    _computed: ClassVar[tuple[str, ...]] = ()
    _secret_outputs: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        resource_name: str,
        args: Any = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        adopt_id: pulumi.Input[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``adopt_id``: an object made in Segment's app to bring under the stack instead of
        making one (its Pulumi id; see ``_adopt``): Pulumi's ``import_`` cannot serve dynamic
        resources."""
        props = self.build_props(resource_name, args, **kwargs)
        if adopt_id is not None:
            props[ADOPT_ID] = adopt_id
        secret = pulumi.ResourceOptions(additional_secret_outputs=list(self._secret_outputs))
        super().__init__(
            self._segment_provider, resource_name, props, pulumi.ResourceOptions.merge(opts, secret)
        )

    @classmethod
    def build_props(cls, resource_name: str, args: Any = None, /, **kwargs: Any) -> dict[str, Any]:
        """The props this resource registers (without ``__provider``)."""
        if args is None:
            args = cls._args_type(**kwargs)
        elif kwargs:
            args = dataclasses.replace(args, **kwargs)
        if not isinstance(args, cls._args_type):
            raise TypeError(f"args must be a {cls._args_type.__name__}")
        props: dict[str, Any] = {
            f.name: _prop(getattr(args, f.name)) for f in dataclasses.fields(args)
        }
        props.update(cls._extra_props(resource_name, args))
        for name in cls._computed:
            props.setdefault(name, None)
        if cls._segment_provider.autoname_field:
            props[AUTONAME_BASE] = resource_name
            props.setdefault(AUTONAMED, None)
        if cls._segment_provider._key_field():
            props[AUTONAME_BASE] = resource_name
            # The provider's check is not told the URN: this stands in for it, for autonames
            # that are the same at every `up` and for telling two resources of a stack apart.
            props[AUTONAME_SEED] = autoname_seed(
                pulumi.get_project() or "",
                pulumi.get_stack() or "",
                cls.type_token(),
                resource_name,
            )
        return props

    @classmethod
    def type_token(cls) -> str:
        return f"pulumi-python:{cls._resource_type_name}"

    @classmethod
    def _extra_props(cls, resource_name: str, args: Any) -> dict[str, Any]:
        """Props derived from the args that are not args themselves."""
        return {}


def _prop(value: Any) -> Any:
    """Program values as props: builders become their Segment definition, dataclasses dicts."""
    if isinstance(value, pulumi.Output):
        # Resolved later by Pulumi; an attribute lookup on it would only build another Output.
        return value
    to_prop = getattr(value, "to_prop", None)
    if callable(to_prop):
        return to_prop()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _prop(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {k: _prop(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_prop(v) for v in value]
    return value
