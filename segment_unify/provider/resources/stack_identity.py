"""``StackIdentity``: who a stack is, born in its state, from which all ownership derives.

Project and stack names do not tell stacks apart: two developers' local backends, a laptop and
CI, or two Pulumi organizations can each hold a ``unify/dev`` stack on one Segment workspace.
So the first ``up`` of a stack makes this resource, which holds a random identity in the
stack's state (as Pulumi's ``random`` provider keeps its values there) and nothing in Segment.
Every Segment resource of the program takes it as an input: autonames, the records of creates
in flight and the sweep of half-made objects are derived from it, so two stacks whose state
differs never share a name or a record, whatever their names, and a machine that shares the
stack's state (a CI runner with the same backend) derives the same ones.

A program needs to do nothing: the first Segment resource it declares makes the stack's one
``StackIdentity`` (``segment-unify-stack``, at the top of the stack), and every other resource
of the program uses it. Stacks made by earlier versions keep every name they have: a resource
in state keeps its autoname and its seed; only what is created from then on derives from the
identity.
"""

from __future__ import annotations

import hashlib
import secrets
import weakref
from typing import Any

import pulumi
import pulumi.dynamic as dyn

IDENTITY = "identity"
STACK_IDENTITY = "stack_identity"
RESOURCE_NAME = "segment-unify-stack"


def resource_seed(identity: str, type_name: str, resource_name: str) -> str:
    """A resource's identity in its stack: the stack's identity, its type and its name."""
    joined = "\0".join((identity, type_name, resource_name))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


class StackIdentityProvider(dyn.ResourceProvider):
    """Makes the identity once; nothing in Segment, no API call, no configuration."""

    serialize_as_secret_always = False

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.CheckResult:
        return dyn.CheckResult({k: v for k, v in news.items() if k != IDENTITY}, [])

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> dyn.DiffResult:
        return dyn.DiffResult(changes=False, replaces=[], stables=[IDENTITY])

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        identity = secrets.token_hex(8)
        return dyn.CreateResult(identity, {IDENTITY: identity})

    def read(self, id_: str, props: dict[str, Any]) -> dyn.ReadResult:
        return dyn.ReadResult(id_, {IDENTITY: id_})

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        """Forgotten with the stack: it holds nothing in Segment."""


class StackIdentity(dyn.Resource, module="segment", name="StackIdentity"):
    """The stack's identity (``identity``): made once, kept in state, never in Segment."""

    identity: pulumi.Output[str]

    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(StackIdentityProvider(), resource_name, {IDENTITY: None}, opts)


# One per program run, keyed by the run's resource monitor (tests run programs one after
# another in one process, each with its own monitor).
_PER_RUN: weakref.WeakKeyDictionary[Any, StackIdentity] = weakref.WeakKeyDictionary()


def stack_identity() -> pulumi.Output[str]:
    """The identity of the stack the program runs in, made with its first Segment resource."""
    monitor = pulumi.runtime.settings.get_monitor()
    made = _PER_RUN.get(monitor) if monitor is not None else None
    if made is None:
        made = StackIdentity(RESOURCE_NAME)
        if monitor is not None:
            _PER_RUN[monitor] = made
    return made.identity
