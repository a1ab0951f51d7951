"""Bringing an object made in Segment's app under a stack: the ``adopt_id`` argument.

Pulumi's ``import_`` option and ``pulumi import`` cannot serve Python dynamic providers (the
engine's import step reads with neither inputs nor state, and ``python -m pulumi.dynamic`` cannot
tell which provider to call without them). So a resource takes the id of the object to adopt as
an argument instead: its create reads that object, changes in place what the program declares
differently, and answers with what Segment then holds. From then on the stack manages it, and
``pulumi destroy`` deletes it, as after an import. Fields that decide which object this is
(``replace_on``) cannot be changed in place: a difference there fails, naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pulumi.dynamic as dyn

from segment_unify.provider import notices
from segment_unify.provider.errors import NotFoundError, SegmentError, SegmentResourceError
from segment_unify.provider.runtime import ProviderRuntime

ADOPT_ID = "adopt_id"


class Adopter(Protocol):
    """What adoption reads of a resource's provider (``SegmentProvider``)."""

    @property
    def kind(self) -> str: ...
    @property
    def replace_on(self) -> frozenset[str]: ...
    @property
    def inputs_model(self) -> Any: ...
    def describe(self, inputs: Mapping[str, Any]) -> str: ...
    def owner_label(self, props: Mapping[str, Any]) -> str: ...
    def segment_read(self, client: Any, id_: str, prior: Mapping[str, Any]) -> Any: ...
    def segment_update(self, client: Any, id_: str, inputs: Any, changed: set[str]) -> Any: ...
    def inputs_of(self, props: Mapping[str, Any]) -> Any: ...
    def differs(self, name: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool: ...
    def outputs(self, props: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]: ...


def adopt(provider: Adopter, props: dict[str, Any], runtime: ProviderRuntime) -> dyn.CreateResult:
    id_ = str(props[ADOPT_ID])
    what = f"adopting {provider.describe(props)} (adopt_id {id_!r})"
    other = runtime.claims.holder(provider.kind, id_)
    if other is not None and other != provider.owner_label(props):
        # Two resources of one stack would manage one object, and either's delete remove it.
        raise SegmentResourceError(
            f"{what}: {other} of this stack holds that object already, so nothing was changed; "
            f"if {other} was renamed in the program, give this resource "
            f"`opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name=...)])` with its old name "
            "instead of `adopt_id`, else remove `adopt_id`"
        )
    client = runtime.public_client()
    try:
        state = provider.segment_read(client, id_, props)
    except NotFoundError:
        state = None
    except SegmentError as exc:
        raise SegmentResourceError(f"{what}: {exc}; nothing was changed") from exc
    if state is None:
        raise SegmentResourceError(
            f"{what}: Segment has no such object; check the id (a nested object's is "
            "<parent id>/<its id>); nothing was changed"
        )
    inputs = provider.inputs_of(props)
    changed = {
        name for name in provider.inputs_model.model_fields if provider.differs(name, state, props)
    }
    fixed = sorted(changed & provider.replace_on)
    if fixed:
        shown = ", ".join(
            f"{n} (Segment: {state.get(n)!r}, program: {props.get(n)!r})" for n in fixed
        )
        raise SegmentResourceError(
            f"{what}: {shown} cannot be changed in place; make the program declare what Segment "
            "holds, then change it in a later `pulumi up` (a replacement); nothing was changed"
        )
    if changed:
        try:
            state = provider.segment_update(client, id_, inputs, changed)
        except SegmentError as exc:
            raise SegmentResourceError(
                f"{what}: updating {', '.join(sorted(changed))}: {exc}; the object is not in the "
                "stack, and the update may have been applied: run `pulumi up` again"
            ) from exc
    changes = f"; changed in place: {', '.join(sorted(changed))}" if changed else ""
    notices.say(
        f"found existing {provider.kind} {id_} in Segment (adopted by adopt_id: the stack manages "
        f"it from now on, `pulumi destroy` included){changes}"
    )
    return dyn.CreateResult(id_, provider.outputs(props, state))


class ImportOptionError(ValueError):
    """``opts=ResourceOptions(import_=...)`` on one of this package's resources."""

    def __init__(self, type_name: str, resource_name: str, import_id: object) -> None:
        super().__init__(
            f"{type_name} {resource_name!r}: Pulumi's import_ option (and `pulumi import`) cannot "
            "serve dynamic resources: the engine's import stops with KeyError: '__provider' "
            "before this package runs. Bring the object under the stack with this package's "
            f"argument instead: {type_name}({resource_name!r}, ..., adopt_id={import_id!r}), "
            "without import_."
        )
