"""``SendIdentifyMapping``: the Segment Profiles "Send Identify" mapping, typed.

It compiles to the subscription ``settings`` Segment stores (mapping-kit directives), e.g. for a
Reverse ETL model::

    SendIdentifyMapping(
        engage_space=space.engage_space,            # the space's personas-compute write key
        user_id="user_id",                           # a column of the model's rows
        traits={"email": "context_traits_email", "performed_order_completed": literal("yes")},
        timestamp="timestamp",
    )
    # {"engage_space": "<write key>", "user_id": {"@path": "$.properties.user_id"},
    #  "traits": {"email": {"@path": "$.properties.context_traits_email"},
    #             "performed_order_completed": "yes"},
    #  "timestamp": {"@path": "$.properties.timestamp"},
    #  "message_id": {"@path": "$.messageId"}, "consent": {"@path": "$.context.consent"}}

A value is one of: a plain name (a column of a Reverse ETL row, found under ``$.properties``;
for an event subscription, a field of the event, found under ``$``), a JSON path starting with
``$``, a directive such as ``{"@path": ...}`` or ``{"@template": ...}`` passed through as is,
``literal(value)`` for a constant string, or a number or boolean (a constant). The hidden
``message_id`` and ``consent`` fields get the defaults Segment's UI fills in. The values are
checked at ``check`` by the model derived from ``SendIdentifyMapping``'s declaration with the
checks of ``_inputs.send_identify.SendIdentifyChecks`` (``SendIdentifyMappingInputs``, loaded
then, and importable from here). Not checked: that a column exists in the model's query (only the
warehouse knows).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

from segment_unify.provider.resources._declare import Args, Prop, arg
from segment_unify.provider.resources._lazy import moved_names

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "SendIdentifyMappingInputs")

LITERAL = "@literal"
DEFAULT_TIMESTAMP: dict[str, str] = {"@path": "$.timestamp"}
HIDDEN_DEFAULTS: dict[str, dict[str, str]] = {
    "message_id": {"@path": "$.messageId"},
    "consent": {"@path": "$.context.consent"},
}
IDENTIFIERS = ("user_id", "anonymous_id", "group_id")

FieldValue = str | int | float | bool | Mapping[str, Any]


def literal(value: Any) -> dict[str, Any]:
    """A constant value (a plain string would be read as a column name)."""
    return {LITERAL: value}


def path(json_path: str) -> dict[str, str]:
    """A JSON path into the message, e.g. ``path("$.context.traits.email")``."""
    return {"@path": json_path}


class SendIdentifyMapping(Args):
    """The fields of Segment Profiles' Send Identify action (``DestinationSubscription``'s
    ``mapping``)."""

    check_base: ClassVar[str] = "send_identify.SendIdentifyChecks"

    engage_space: Prop[str] = arg(min_length=1)
    """The write key of the space's ``personas-compute`` source (``UnifySpace.engage_space``)."""
    user_id: Prop[FieldValue] = arg(default=None)
    """The value that is the profile's ``userId``: a column, path, directive or ``literal``."""
    anonymous_id: Prop[FieldValue] = arg(default=None)
    """The value that is the profile's ``anonymousId``, for rows without a user id."""
    group_id: Prop[FieldValue] = arg(default=None)
    """The value that is the group's id, where the profile belongs to one."""
    traits: Prop[Mapping[str, Any]] = arg(default=None)
    """Trait name -> value (column, path, directive or ``literal``)."""
    timestamp: Prop[FieldValue] = arg(default=None)
    """Defaults to the event's timestamp, ``{"@path": "$.timestamp"}``."""


def compile_value(value: Any, *, reverse_etl: bool) -> Any:
    """One mapping value as Segment's mapping-kit takes it."""
    if isinstance(value, Mapping):
        if set(value) == {LITERAL}:
            return value[LITERAL]
        return dict(value)
    if isinstance(value, str):
        if value.startswith("$"):
            return {"@path": value}
        return {"@path": f"$.properties.{value}" if reverse_etl else f"$.{value}"}
    return value


class CheckedMapping(Protocol):
    """What ``compile_mapping`` reads of a checked mapping (``SendIdentifyMappingInputs``, which
    imports this module to derive itself from ``SendIdentifyMapping``)."""

    @property
    def engage_space(self) -> str: ...
    @property
    def user_id(self) -> Any: ...
    @property
    def anonymous_id(self) -> Any: ...
    @property
    def group_id(self) -> Any: ...
    @property
    def traits(self) -> dict[str, Any] | None: ...
    @property
    def timestamp(self) -> Any: ...


def compile_mapping(mapping: CheckedMapping, *, reverse_etl: bool) -> dict[str, Any]:
    """The subscription ``settings`` for a Send Identify mapping."""
    settings: dict[str, Any] = {"engage_space": mapping.engage_space}
    for key in IDENTIFIERS:
        value = getattr(mapping, key)
        if value is not None:
            settings[key] = compile_value(value, reverse_etl=reverse_etl)
    if mapping.traits:
        settings["traits"] = {
            name: compile_value(value, reverse_etl=reverse_etl)
            for name, value in mapping.traits.items()
        }
    settings["timestamp"] = (
        dict(DEFAULT_TIMESTAMP)
        if mapping.timestamp is None
        else compile_value(mapping.timestamp, reverse_etl=reverse_etl)
    )
    settings.update({key: dict(value) for key, value in HIDDEN_DEFAULTS.items()})
    return settings
