"""The program side of every resource: ``…Args`` and keyword arguments become registered props.

A resource class inherits its ``…Args`` declaration (``_declare``): type checkers read its
attributes as ``pulumi.Output`` and its constructor from the two overloads written into its
class from the declared fields (a keyword form and an ``args=`` form, by
``tools/typed_constructors.py``); at run time this base builds the props, the outputs it
registers and the secret outputs from the same declaration, and gives the class the docstring
``help()`` shows (its signature is the declaration's, ``_signature``).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Mapping
from dataclasses import InitVar
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider.resources._adopt import ADOPT_ID, ImportOptionError
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._declare import Args, Spec, arg, names, specs
from segment_unify.provider.resources._naming import AUTONAME_BASE, AUTONAMED
from segment_unify.provider.resources.stack_identity import STACK_IDENTITY, stack_identity

A = TypeVar("A", bound=Args)


class SegmentResource(dyn.Resource, Args, Generic[A]):
    """Program-side base: turns an ``…Args`` dataclass and keyword arguments into props.

    ``class Source(SegmentResource[SourceArgs], SourceArgs, module="segment", name="Source")``.
    """

    _segment_provider: ClassVar[SegmentProvider[Any]]
    _args_type: ClassVar[type[Any]]
    _computed: ClassVar[tuple[str, ...]] = ()
    _secret_outputs: ClassVar[tuple[str, ...]] = ()
    summary: ClassVar[str] = ""
    """What the resource's own docstring says, before ``help()``'s argument and output lists."""

    if TYPE_CHECKING:
        # The constructor type checkers would synthesize around the Args' fields; each resource
        # declares its own typed overloads instead (``tools/typed_constructors.py``), which win.
        resource_name: InitVar[str] = arg(kw_only=False)
        """The resource's name in the stack."""
        args: InitVar[A | None] = arg(default=None, kw_only=False)
        """The arguments as one object (the resource's ``…Args``), instead of keywords."""
        opts: InitVar[pulumi.ResourceOptions | None] = arg(default=None, kw_only=False)
        """Pulumi's options (``protect``, ``depends_on``...)."""
        adopt_id: InitVar[pulumi.Input[str] | None] = arg(default=None)
        """An object made in Segment's app to bring under the stack (its Pulumi id) instead of
        making one."""

    # A resource inherits its Args for the types, not the dataclass's equality and repr: it is
    # one object of the stack, compared and hashed by identity.
    __eq__ = object.__eq__
    __hash__ = object.__hash__
    __repr__ = object.__repr__

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = next(
            (base for base in cls.__mro__[1:] if base.__dict__.get("__dataclass_fields__")),
            None,
        )
        if declared is None:
            return
        cls._args_type = declared
        cls._computed = names(declared, output=True)
        cls._secret_outputs = names(declared, secret=True)
        cls.summary = inspect.cleandoc(cls.__doc__ or "")
        cls.__doc__ = Described(declared, cls.summary)  # type: ignore[assignment]

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
        if opts is not None and opts.import_ is not None:
            raise ImportOptionError(type(self).__name__, resource_name, opts.import_)
        props = self.build_props(resource_name, args, **kwargs)
        if adopt_id is not None:
            props[ADOPT_ID] = adopt_id
        # Ownership comes from the stack's state, not from its project and stack names.
        props[STACK_IDENTITY] = stack_identity()
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
            f.name: _prop(getattr(args, f.name)) for f in dataclasses.fields(args) if f.init
        }
        props.update(cls._extra_props(resource_name, args))
        for name in cls._computed:
            props.setdefault(name, None)
        # The provider's check is not told the URN: the resource name, with the stack's
        # identity (added by the constructor), stands in for it.
        props[AUTONAME_BASE] = resource_name
        if cls._segment_provider.autoname_field:
            props.setdefault(AUTONAMED, None)
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


# -- help(): the docstring from the declaration ------------------------------------------


class Described:
    """A class's ``__doc__`` made by ``describe`` when first read (by ``help()``, say), so that
    importing a resource reads no source: ``type.__doc__`` calls a descriptor it finds there."""

    def __init__(self, declared: type[Any], summary: str) -> None:
        self.declared = declared
        self.summary = summary
        self.text: str | None = None

    def __get__(self, obj: object, owner: type[Any] | None = None) -> str:
        if self.text is None:
            self.text = describe(self.declared, self.summary)
        return self.text


def describe(cls: type[Any], summary: str) -> str:
    """A resource's docstring: ``summary``, then its arguments and outputs from the declaration."""
    arguments = [spec for spec in specs(cls) if not spec.output]
    lines = [summary.strip(), "", "Arguments (keywords, or one ``args=`` object):"]
    lines += [_entry(spec, argument=True) for spec in arguments]
    lines += [
        "    adopt_id: an object made in Segment's app to bring under the stack (its Pulumi id)",
        "    opts: pulumi.ResourceOptions",
        "",
        "Outputs (pulumi.Output): every argument, as Segment holds it, and",
    ]
    lines += [_entry(spec, argument=False) for spec in specs(cls) if spec.output]
    return "\n".join(lines)


def _entry(spec: Spec, *, argument: bool) -> str:
    marks = []
    if argument and spec.required:
        marks.append("required")
    elif argument and spec.default is not None:
        marks.append(f"default {spec.default!r}")
    if spec.replaces:
        marks.append("replaces on change")
    if spec.secret:
        marks.append("secret")
    if spec.output:
        marks.append("set by Segment")
    suffix = f" [{', '.join(marks)}]" if marks else ""
    return f"    {spec.name}: {' '.join(spec.doc.split())}{suffix}"
