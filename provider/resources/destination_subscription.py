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
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import catalog, config
from segment_unify.provider.errors import SegmentError, SegmentResourceError
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._lazy import LazyModel, moved_names
from segment_unify.provider.resources._naming import (
    AUTONAME_BASE,
    AUTONAMED,
    is_autoname_of,
    join_id,
    split_id,
)
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources.schedule import ReverseEtlSchedule
from segment_unify.provider.resources.send_identify import SendIdentifyMapping

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.resources._inputs.destination_subscription import (
        DestinationSubscriptionInputs,
    )

# The input model is in _inputs (built at the first check), yet importable from here.
__getattr__ = moved_names(__name__, "DestinationSubscriptionInputs")

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


class DestinationSubscriptionProvider(SegmentProvider["DestinationSubscriptionInputs"]):
    kind = "destination subscription"
    inputs_model = LazyModel("DestinationSubscriptionInputs")
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
