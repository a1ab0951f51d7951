"""``DestinationSubscription``: an Actions mapping, such as Segment Profiles' Send Identify.

Segment: ``POST /destinations/{destinationId}/subscriptions`` (200, ``destinationSubscription``),
``GET|PATCH|DELETE /destinations/{destinationId}/subscriptions/{id}`` (``subscription``; PATCH
takes ``{"input": {...}}``); create, update and delete are limited to 5 a minute, which the
client paces. The Pulumi id is ``<destinationId>/<subscriptionId>``.

A Reverse ETL subscription (``model_id``) needs a ``schedule``, which Segment's create body
has no room for: create is a POST, then a PATCH of ``reverseETLModelId`` and
``reverseETLSchedule``, as Segment's Terraform provider does. When that PATCH fails the error
says so, and the next ``up`` finds the half-made subscription (same destination, model and
action, no schedule, and the same name or an autoname from the same resource name) and
finishes it instead of making another. A lost create is resolved by listing the destination's
subscriptions and matching model, action and name. Changing the destination, action or model
replaces the subscription; the rest is updated, one PATCH with only what changed. The
``settings`` output is secret: Send Identify's ``engage_space`` is the space's write key.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import pulumi
import pulumi.dynamic as dyn
from pydantic import Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from segment_unify.provider import catalog, config
from segment_unify.provider.client import SegmentClient
from segment_unify.provider.errors import SegmentError, SegmentResourceError
from segment_unify.provider.resources._base import Inputs, SegmentProvider
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAMED,
    is_autoname_of,
    join_id,
    split_id,
)
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources.schedule import ReverseEtlSchedule, validate_schedule
from segment_unify.provider.resources.send_identify import (
    SendIdentifyMapping,
    SendIdentifyMappingInputs,
    compile_mapping,
)

log = logging.getLogger("segment_unify.resources")

ID_PARTS = ("destinationId", "subscriptionId")
RETL_TRIGGER = 'event = "new" or event = "updated"'
EVENT_TRIGGER = 'type = "identify"'
_DEFAULT_TRIGGERS = {catalog.SEGMENT_PROFILES_ACTIONS["sendGroup"]: 'type = "group"'}
_SLUG_BY_ACTION = {action: slug for slug, action in catalog.SEGMENT_PROFILES_ACTIONS.items()}


@dataclass
class DestinationSubscriptionArgs:
    """Arguments of a ``DestinationSubscription``."""

    destination_id: pulumi.Input[str] | None = None
    action_id: pulumi.Input[str] | None = None
    """Defaults to Segment Profiles' Send Identify."""
    action_slug: pulumi.Input[str] | None = None
    """A Segment Profiles action by slug: sendIdentify, sendGroup, sendSubscription, sendTrack."""
    model_id: pulumi.Input[str] | None = None
    """A ``ReverseEtlModel`` id: makes this a Reverse ETL subscription (needs ``schedule``)."""
    name: pulumi.Input[str] | None = None
    """Autonamed from the resource name if omitted."""
    enabled: pulumi.Input[bool] = True
    trigger: pulumi.Input[str] | None = None
    """FQL; defaults to new and updated rows for Reverse ETL, else the action's event type."""
    mapping: SendIdentifyMapping | None = None
    """A typed Send Identify mapping; exclusive with ``settings``."""
    settings: pulumi.Input[Mapping[str, Any]] | None = None
    """The action's fields as Segment stores them; exclusive with ``mapping``."""
    schedule: ReverseEtlSchedule | pulumi.Input[Mapping[str, Any]] | None = None
    """When a Reverse ETL subscription runs."""


class DestinationSubscriptionInputs(Inputs):
    destination_id: str = Field(min_length=1)
    action_id: str | None = None
    action_slug: str | None = None
    model_id: str | None = Field(default=None, min_length=1)
    name: str = Field(min_length=1, max_length=200)
    enabled: bool = True
    trigger: str = Field(min_length=1, pattern=r"\S")
    settings: dict[str, Any] = Field(default_factory=dict)
    mapping: SendIdentifyMappingInputs | None = None
    schedule: dict[str, Any] | None = None

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

    @field_validator("schedule", mode="before")
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


def subscription_state(subscription: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "destination_id": subscription.get("destinationId"),
        "subscription_id": subscription.get("id"),
        "action_id": subscription.get("actionId"),
        "action_slug": subscription.get("actionSlug"),
        "model_id": subscription.get("modelId"),
        "name": subscription.get("name"),
        "enabled": bool(subscription.get("enabled")),
        "trigger": subscription.get("trigger"),
        "settings": dict(subscription.get("settings") or {}),
        "schedule": subscription.get("reverseETLSchedule"),
    }


def _path(destination_id: str, subscription_id: str | None = None) -> str:
    base = f"/destinations/{destination_id}/subscriptions"
    return f"{base}/{subscription_id}" if subscription_id else base


class DestinationSubscriptionProvider(SegmentProvider[DestinationSubscriptionInputs]):
    kind = "destination subscription"
    inputs_model = DestinationSubscriptionInputs
    replace_on = frozenset({"destination_id", "action_id", "model_id"})
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False

    def extra_failures(self, inputs: DestinationSubscriptionInputs) -> list[dyn.CheckFailure]:
        return inputs.failures()

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        inputs = self._inputs(props)
        if inputs.model_id is not None:
            # A previous attempt may have stopped between its POST and its PATCH.
            client = config.public_client()
            try:
                unfinished = self._find_unfinished(client, inputs, props)
            except SegmentError as exc:
                raise SegmentResourceError(f"creating {self.describe(props)}: {exc}") from exc
            if unfinished is not None:
                log.warning(
                    "%s: finishing %s, left half-made by an earlier run", self.kind, unfinished
                )
                state = self._finish(client, inputs, unfinished)
                return dyn.CreateResult(
                    join_id(inputs.destination_id, unfinished), self._outputs(props, state)
                )
        return super().create(props)

    def segment_create(
        self, client: SegmentClient, inputs: DestinationSubscriptionInputs
    ) -> tuple[str, dict[str, Any]]:
        body: dict[str, Any] = {
            "name": inputs.name,
            "actionId": inputs.action_id,
            "trigger": inputs.trigger,
            "enabled": inputs.enabled,
            "settings": inputs.settings,
        }
        if inputs.model_id is not None:
            body["modelId"] = inputs.model_id
        created = client.post("CreateDestinationSubscription", _path(inputs.destination_id), body)[
            "destinationSubscription"
        ]
        state = subscription_state(created)
        if inputs.model_id is not None:
            state = self._finish(client, inputs, created["id"])
        return join_id(inputs.destination_id, created["id"]), state

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        destination_id, subscription_id = split_id(id_, ID_PARTS)
        found = client.get("GetSubscriptionFromDestination", _path(destination_id, subscription_id))
        state = subscription_state(found["subscription"])
        if prior and prior.get("action_slug") is None:
            # The program named the action by id only; keep it that way.
            state["action_slug"] = None
        return state

    def segment_update(
        self,
        client: SegmentClient,
        id_: str,
        inputs: DestinationSubscriptionInputs,
        changed: set[str],
    ) -> dict[str, Any]:
        destination_id, subscription_id = split_id(id_, ID_PARTS)
        fields: dict[str, Any] = {
            key: getattr(inputs, key) for key in ("name", "enabled", "trigger") if key in changed
        }
        if changed & {"settings", "mapping"}:
            fields["settings"] = inputs.settings
        if "schedule" in changed and inputs.schedule is not None:
            fields["reverseETLSchedule"] = inputs.schedule
        path = _path(destination_id, subscription_id)
        if not fields:
            return subscription_state(
                client.get("GetSubscriptionFromDestination", path)["subscription"]
            )
        updated = client.patch("UpdateSubscriptionForDestination", path, {"input": fields})
        return subscription_state(updated["subscription"])

    def segment_delete(self, client: SegmentClient, id_: str, props: Mapping[str, Any]) -> None:
        destination_id, subscription_id = split_id(id_, ID_PARTS)
        client.delete("RemoveSubscriptionFromDestination", _path(destination_id, subscription_id))

    def segment_find(
        self, client: SegmentClient, inputs: DestinationSubscriptionInputs
    ) -> tuple[str, dict[str, Any]] | None:
        for subscription in self._list(client, inputs):
            if subscription.get("name") == inputs.name:
                state = subscription_state(subscription)
                if inputs.model_id is not None and state["schedule"] != inputs.schedule:
                    state = self._finish(client, inputs, subscription["id"])
                return join_id(inputs.destination_id, subscription["id"]), state
        return None

    # -- the two-step create --------------------------------------------------------------

    def _finish(
        self, client: SegmentClient, inputs: DestinationSubscriptionInputs, subscription_id: str
    ) -> dict[str, Any]:
        """PATCH the model and schedule (and the rest, for one picked up from an earlier run)."""
        fields = {
            "name": inputs.name,
            "trigger": inputs.trigger,
            "enabled": inputs.enabled,
            "settings": inputs.settings,
            "reverseETLModelId": inputs.model_id,
            "reverseETLSchedule": inputs.schedule,
        }
        path = _path(inputs.destination_id, subscription_id)
        try:
            updated = client.patch("UpdateSubscriptionForDestination", path, {"input": fields})
        except SegmentError as exc:
            raise SegmentResourceError(
                f"{self.describe(inputs.model_dump())} was created in Segment "
                f"({join_id(inputs.destination_id, subscription_id)}) but setting its Reverse ETL "
                f"model and schedule failed: {exc}; run `pulumi up` again to finish it"
            ) from exc
        return subscription_state(updated["subscription"])

    def _find_unfinished(
        self,
        client: SegmentClient,
        inputs: DestinationSubscriptionInputs,
        props: Mapping[str, Any],
    ) -> str | None:
        base = str(props.get(AUTONAME_BASE) or self.kind)
        for subscription in self._list(client, inputs):
            if subscription.get("reverseETLSchedule"):
                continue
            name = str(subscription.get("name"))
            if name == inputs.name or (
                props.get(AUTONAMED) and is_autoname_of(name, base, slug=self.autoname_slug)
            ):
                return str(subscription["id"])
        return None

    @staticmethod
    def _list(client: SegmentClient, inputs: DestinationSubscriptionInputs) -> list[dict[str, Any]]:
        """The destination's subscriptions of this action and model."""
        return [
            subscription
            for subscription in client.paginate(
                "ListSubscriptionsFromDestination", _path(inputs.destination_id), "subscriptions"
            )
            if subscription.get("actionId") == inputs.action_id
            and subscription.get("modelId") == inputs.model_id
        ]


class DestinationSubscription(SegmentResource, module="segment", name="DestinationSubscription"):
    """A mapping: ``DestinationSubscription("identify", destination_id=..., mapping=...)``."""

    _segment_provider = DestinationSubscriptionProvider()
    _args_type = DestinationSubscriptionArgs
    _computed = ("subscription_id",)
    # Send Identify's engage_space is the space's write key, which UnifySpace keeps secret.
    _secret_outputs = ("settings",)

    destination_id: pulumi.Output[str]
    subscription_id: pulumi.Output[str]
    action_id: pulumi.Output[str]
    action_slug: pulumi.Output[str | None]
    model_id: pulumi.Output[str | None]
    name: pulumi.Output[str]
    enabled: pulumi.Output[bool]
    trigger: pulumi.Output[str]
    mapping: pulumi.Output[dict[str, Any] | None]
    settings: pulumi.Output[dict[str, Any]]
    schedule: pulumi.Output[dict[str, Any] | None]

    def __init__(
        self,
        resource_name: str,
        args: DestinationSubscriptionArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(resource_name, args, opts, **kwargs)
