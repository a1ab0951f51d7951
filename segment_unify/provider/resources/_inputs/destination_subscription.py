"""What ``check`` validates of a ``DestinationSubscription`` beyond its declared fields.

Defaults filled in before validation: the action from its slug (or Send Identify), the trigger
(new and updated rows for Reverse ETL, else the action's event type), and ``settings`` compiled
from a Send Identify ``mapping``. ``failures`` are the checks made once every input is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pulumi.dynamic as dyn
from pydantic import ValidationError as PydanticValidationError
from pydantic import field_validator, model_validator

from segment_unify.provider import catalog
from segment_unify.provider.resources._inputs.base import Inputs
from segment_unify.provider.resources._inputs.send_identify import (
    SendIdentifyChecks,
    SendIdentifyMappingInputs,
)
from segment_unify.provider.resources.schedule import validate_schedule
from segment_unify.provider.resources.send_identify import compile_mapping

RETL_TRIGGER = 'event = "new" or event = "updated"'
EVENT_TRIGGER = 'type = "identify"'
_DEFAULT_TRIGGERS = {catalog.SEGMENT_PROFILES_ACTIONS["sendGroup"]: 'type = "group"'}
_SLUG_BY_ACTION = {action: slug for slug, action in catalog.SEGMENT_PROFILES_ACTIONS.items()}


class DestinationSubscriptionChecks(Inputs):
    """A subscription's defaults and checks across fields (its fields are declared in
    ``destination_subscription.DestinationSubscriptionArgs``)."""

    if TYPE_CHECKING:  # the declared fields the checks below read
        action_id: str | None
        action_slug: str | None
        model_id: str | None
        settings: dict[str, Any]
        mapping: SendIdentifyChecks | None
        schedule: dict[str, Any] | None

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        """Action from its slug (or Send Identify), the trigger, and settings from ``mapping``."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        action, slug = data.get("action_id"), data.get("action_slug")
        if action is None and slug is None:
            action = catalog.SEND_IDENTIFY_ACTION
        elif action is None and isinstance(slug, str):
            action = catalog.SEGMENT_PROFILES_ACTIONS.get(slug)
        if slug is None and isinstance(action, str):
            slug = _SLUG_BY_ACTION.get(action)
        data["action_id"], data["action_slug"] = action, slug
        reverse_etl = data.get("model_id") is not None
        if data.get("trigger") is None:
            default = _DEFAULT_TRIGGERS.get(str(action), EVENT_TRIGGER)
            data["trigger"] = RETL_TRIGGER if reverse_etl else default
        if data.get("mapping") is not None and not data.get("settings"):
            try:
                mapping = SendIdentifyMappingInputs.model_validate(data["mapping"])
            except PydanticValidationError:
                return data  # reported on mapping.<field> by the field's own validation
            data["settings"] = compile_mapping(mapping, reverse_etl=reverse_etl)
        return data

    @field_validator("schedule", mode="before", check_fields=False)
    @classmethod
    def _schedule(cls, value: Any) -> Any:
        return None if value is None else validate_schedule(value)

    def failures(self) -> list[dyn.CheckFailure]:
        """Checks across fields, made once every input is known."""
        out: list[dyn.CheckFailure] = []
        if self.action_id is None:
            known = ", ".join(catalog.SEGMENT_PROFILES_ACTIONS)
            out.append(
                dyn.CheckFailure(
                    "action_slug",
                    f"unknown action slug {self.action_slug!r}; expected one of {known}, "
                    "or pass action_id",
                )
            )
        elif self.action_slug in catalog.SEGMENT_PROFILES_ACTIONS and (
            catalog.SEGMENT_PROFILES_ACTIONS[self.action_slug] != self.action_id
        ):
            out.append(
                dyn.CheckFailure(
                    "action_id",
                    f"action_id {self.action_id!r} is not the id of action {self.action_slug!r}; "
                    "give one of them",
                )
            )
        out += self._mapping_failures()
        if self.model_id is not None and self.schedule is None:
            out.append(
                dyn.CheckFailure(
                    "schedule",
                    "a Reverse ETL subscription (model_id) needs a schedule: "
                    "ReverseEtlSchedule.periodic('1h'), .specific_days(...), .cron(...) "
                    "or .manual()",
                )
            )
        if self.model_id is None and self.schedule is not None:
            out.append(
                dyn.CheckFailure(
                    "schedule", "only a Reverse ETL subscription has a schedule; set model_id"
                )
            )
        return out

    def _mapping_failures(self) -> list[dyn.CheckFailure]:
        if self.mapping is None:
            if self.action_id == catalog.SEND_IDENTIFY_ACTION and not self.settings:
                return [
                    dyn.CheckFailure(
                        "mapping",
                        "Send Identify needs mapping=SendIdentifyMapping(...) or settings",
                    )
                ]
            return []
        if self.action_id != catalog.SEND_IDENTIFY_ACTION:
            return [
                dyn.CheckFailure(
                    "mapping",
                    "mapping is a Send Identify mapping, but the action is "
                    f"{self.action_slug or self.action_id!r}; use settings for other actions",
                )
            ]
        compiled = compile_mapping(self.mapping, reverse_etl=self.model_id is not None)
        if self.settings != compiled:
            return [dyn.CheckFailure("mapping", "give mapping or settings, not both")]
        return []
