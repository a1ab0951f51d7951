"""The words a declaration is written in: ``arg()``, ``out()``, the ``Spec`` they record, and
the types ``Prop[T]`` and ``Value[T]`` (``_declare`` tells the whole story).

``arg()`` without ``default=`` is an argument the program must give: type checkers read it as
required (in the ``…Args`` and in a resource's keyword form, whose typed constructors
``tools/typed_constructors.py`` writes from the declaration), and at run time a missing one is a
``CheckFailure`` at preview naming the resource and the field. ``default=...`` is one the
resource must be given too, but which an ``…Args`` may leave out for whoever makes the resource
to fill in (the space, which ``UnifiedProfilesStack`` and ``replace(args, space_id=...)`` fill
in): type checkers read it as optional in the Args, required in the keyword form.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

import pulumi

from segment_unify.provider.resources._docs import attribute_docs

T = TypeVar("T")
SPEC = "segment_unify.spec"


# No ``default=`` (or ``default=...``): the program must give it (Python's "no default here", as
# in stubs). Type checkers read a field specifier's default from its call alone (PEP 681).
REQUIRED: Any = ...


@dataclasses.dataclass(frozen=True)
class Spec:
    """What a resource declares about one field."""

    segment: str | None = None
    """Segment's key for it in bodies and answers; None: not under one key (derived)."""
    output: bool = False
    """Segment fills it in: not an argument."""
    default: Any = None
    replaces: bool = False
    """A change makes it another object: the resource is replaced."""
    secret: bool = False
    """A secret output, never quoted in check failures."""
    write_only: bool = False
    """Segment never returns it (or masks it): state keeps what was written."""
    repr: bool = True
    """Shown in reprs (False for values that may hold credentials)."""
    lenient: bool = False
    """Segment adds keys to it and masks values: those are no differences."""
    create: bool = True
    """Sent when the object is made."""
    update: bool = True
    """Sent when it changes (False: Segment's update cannot change it)."""
    clearable: bool = True
    """False: Segment's update model types it as a plain value, not nullable (its SDK), and
    Segment documents no way to clear it, so ``check`` refuses removing it once it is set."""
    checks: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    """Constraints ``check`` applies: pattern, min_length, max_length, ge."""
    check_as: Any = None
    """What ``check`` validates it as, where that is not the declared type: a type, or a model
    of ``_inputs`` by ``"module.Model"`` (a typed mapping whose own checks live there)."""
    answer: str | None = None
    """Where Segment's answers hold it, when not under ``segment`` (a dotted path:
    ``metadata.id``)."""
    state: str | None = None
    """Its key in Pulumi state where that differs from the Python name (stacks made before the
    name changed hold it so)."""
    nested: type[Any] | None = None
    """A declared class (options, a definition) this field holds: its own fields give the
    nested model ``check`` validates, Segment's names inside, and the state kept."""
    name: str = ""
    owner: type[Any] | None = dataclasses.field(default=None, compare=False, repr=False)
    """The class that declares it, whose source holds its docstring."""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    @property
    def doc(self) -> str:
        """The docstring written under the field ("" where the source cannot be read)."""
        return attribute_docs(self.owner).get(self.name, "") if self.owner else ""


class Prop(Generic[T]):
    """A declared field's type: ``Output[T]`` on a resource, ``Input[T] | None`` on its Args.

    Only type checkers see it (as a descriptor); at run time the attribute is the plain value
    (Args) or the ``pulumi.Output`` Pulumi sets (resource).
    """

    if TYPE_CHECKING:

        @overload
        def __get__(self, obj: None, owner: Any) -> Prop[T]: ...
        @overload
        def __get__(self, obj: pulumi.Resource, owner: Any) -> pulumi.Output[T]: ...
        @overload
        def __get__(self, obj: object, owner: Any) -> pulumi.Input[T] | None: ...
        def __get__(self, obj: object, owner: Any) -> Any: ...
        def __set__(self, obj: object, value: pulumi.Input[T] | None) -> None: ...


class Value(Generic[T]):
    """A declared field of a plain object (options): ``T | None``, never a ``pulumi.Output``."""

    if TYPE_CHECKING:

        @overload
        def __get__(self, obj: None, owner: Any) -> Value[T]: ...
        @overload
        def __get__(self, obj: object, owner: Any) -> T | None: ...
        def __get__(self, obj: object, owner: Any) -> Any: ...
        def __set__(self, obj: object, value: T | None) -> None: ...


def arg(
    *,
    segment: str | None = None,
    default: Any = REQUIRED,
    replaces: bool = False,
    secret: bool = False,
    write_only: bool = False,
    repr: bool = True,
    lenient: bool = False,
    create: bool = True,
    update: bool = True,
    clearable: bool = True,
    nested: type[Any] | None = None,
    check_as: Any = None,
    answer: str | None = None,
    state: str | None = None,
    pattern: str | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    ge: int | None = None,
    init: Literal[True] = True,
    kw_only: bool = True,
) -> Any:
    """An argument (and output) of a resource; without ``default=``, one it must be given."""
    checks = {
        key: value
        for key, value in (
            ("pattern", pattern),
            ("min_length", min_length),
            ("max_length", max_length),
            ("ge", ge),
        )
        if value is not None
    }
    spec = Spec(
        segment=segment,
        default=default,
        replaces=replaces,
        secret=secret,
        write_only=write_only,
        repr=repr and not secret,
        lenient=lenient,
        create=create,
        update=update,
        clearable=clearable,
        checks=checks,
        nested=nested,
        check_as=check_as,
        answer=answer,
        state=state,
    )
    # Every argument is optional at run time (a missing one is a CheckFailure at preview).
    value = None if default is REQUIRED else default
    if isinstance(value, dict | list):
        return dataclasses.field(
            default_factory=lambda: type(value)(value),
            repr=spec.repr,
            metadata={SPEC: spec},
            kw_only=kw_only,
        )
    return dataclasses.field(default=value, repr=spec.repr, metadata={SPEC: spec}, kw_only=kw_only)


def out(
    *,
    segment: str | None = None,
    answer: str | None = None,
    secret: bool = False,
    init: Literal[False] = False,
) -> Any:
    """An output Segment fills in (an id, a status): not an argument."""
    spec = Spec(
        segment=segment,
        answer=answer,
        output=True,
        secret=secret,
        create=False,
        update=False,
    )
    return dataclasses.field(default=None, init=False, repr=False, metadata={SPEC: spec})
