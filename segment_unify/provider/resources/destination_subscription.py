"""``DestinationSubscription``: an Actions mapping, such as Segment Profiles' Send Identify.

Segment: ``POST /destinations/{destinationId}/subscriptions`` (200, ``destinationSubscription``),
``GET|PATCH|DELETE /destinations/{destinationId}/subscriptions/{id}`` (``subscription``; PATCH
takes ``{"input": {...}}``); create, update and delete are limited to 5 a minute, which the
client paces. The Pulumi id is ``<destinationId>/<subscriptionId>``.

A Reverse ETL subscription (``model_id``) needs a ``schedule``, which Segment's create body has
no room for: create is a POST, then a PATCH of ``reverseETLModelId`` and
``reverseETLSchedule``, as Segment's Terraform provider does. When that PATCH fails the error
says so; the next ``up`` finds an autonamed one by its deterministic name while it creates,
keeps and finishes it and removes the one just made; under an explicit name it removes the
half-made one only where this machine's record of that create (``_intents``) names its id: a
subscription of someone else's under the same name is never touched. So a PATCH that was
applied although its answer was lost never leaves two enabled subscriptions syncing one model
(under an explicit name, only while it can be read back).
A lost create is resolved by listing the destination's subscriptions and matching model,
action and name. Changing the destination,
action or model replaces the subscription; the rest is updated, one PATCH with only what
changed. The ``settings`` output is secret: Send Identify's ``engage_space`` is the space's
write key.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, overload

import pulumi
import pulumi.dynamic as dyn

from segment_unify.provider import runtime
from segment_unify.provider.errors import SegmentError, SegmentResourceError, outcome_unknown
from segment_unify.provider.resources import _fields as fields
from segment_unify.provider.resources import _intents
from segment_unify.provider.resources._base import SegmentProvider
from segment_unify.provider.resources._concurrent import concurrently
from segment_unify.provider.resources._declare import (
    Args,
    Prop,
    arg,
    from_segment,
    out,
    to_segment,
)
from segment_unify.provider.resources._naming import AUTONAMED, join_id, split_id
from segment_unify.provider.resources._resource import SegmentResource
from segment_unify.provider.resources.schedule import ReverseEtlSchedule
from segment_unify.provider.resources.send_identify import SendIdentifyMapping

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient

log = logging.getLogger("segment_unify.resources")

ID_PARTS = ("destinationId", "subscriptionId")


class DestinationSubscriptionArgs(Args):
    """Arguments of a ``DestinationSubscription``."""

    check_base: ClassVar[str] = "destination_subscription.DestinationSubscriptionChecks"

    destination_id: Prop[str] = arg(
        segment="destinationId",
        replaces=True,
        create=False,
        update=False,
        min_length=1,
    )
    """The destination (``Destination.id``); a change replaces the subscription."""
    action_id: Prop[str] = arg(segment="actionId", replaces=True, update=False, default=None)
    """The action's id; defaults to Segment Profiles' Send Identify. A change replaces the
    subscription."""
    action_slug: Prop[str] = arg(answer="actionSlug", default=None)
    """A Segment Profiles action by slug: sendIdentify, sendGroup, sendSubscription, sendTrack."""
    model_id: Prop[str] = arg(
        segment="modelId", replaces=True, update=False, min_length=1, default=None
    )
    """A ``ReverseEtlModel`` id: makes this a Reverse ETL subscription (needs ``schedule``); a
    change replaces the subscription."""
    name: Prop[str] = fields.autonamed(default=None)
    """Autonamed from the resource name if omitted."""
    enabled: Prop[bool] = fields.enabled(default=True)
    """Whether it runs."""
    trigger: Prop[str] = arg(segment="trigger", min_length=1, pattern=r"\S", default=None)
    """FQL; defaults to new and updated rows for Reverse ETL, else the action's event type."""
    mapping: Prop[SendIdentifyMapping] = arg(
        check_as="send_identify.SendIdentifyMappingInputs", default=None
    )
    """A typed Send Identify mapping (``SendIdentifyMapping``); exclusive with ``settings``, which
    it is compiled into."""
    settings: Prop[Mapping[str, Any]] = fields.settings(default={}, secret=True)
    """The action's fields as Segment stores them; exclusive with ``mapping`` (a secret output: Send
    Identify's ``engage_space`` is the space's write key)."""
    schedule: Prop[ReverseEtlSchedule | Mapping[str, Any]] = arg(
        segment="reverseETLSchedule", check_as=dict[str, Any], create=False, default=None
    )
    """When a Reverse ETL subscription runs (``ReverseEtlSchedule``); set by a PATCH after the
    create, whose body has no room for it."""
    subscription_id: Prop[str] = out(answer="id")
    """Segment's id of the subscription."""


def subscription_state(subscription: Mapping[str, Any]) -> dict[str, Any]:
    return from_segment(DestinationSubscriptionArgs, subscription)


def _path(destination_id: str, subscription_id: str | None = None) -> str:
    base = f"/destinations/{destination_id}/subscriptions"
    return f"{base}/{subscription_id}" if subscription_id else base


class DestinationSubscriptionProvider(SegmentProvider[Any]):
    kind = "destination subscription"
    declaration = DestinationSubscriptionArgs
    autoname_field: ClassVar[str | None] = "name"
    autoname_slug: ClassVar[bool] = False
    key_scope: ClassVar[tuple[str, ...]] = ("destination_id", "action_id", "model_id")
    import_id_form: ClassVar[str] = "<destinationId>/<subscriptionId>"

    def extra_failures(self, inputs: Any) -> list[dyn.CheckFailure]:
        failures: list[dyn.CheckFailure] = inputs.failures()
        return failures

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        inputs = self.inputs_of(props)
        mine = _intents.identity(props, self.natural_key_of(props))
        # What an earlier create of this resource made, read before this one records its own.
        recorded = _intents.Earlier(mine).id if mine is not None else None
        if inputs.model_id is None or props.get(AUTONAMED) or recorded is None:
            return super().create(props)
        # An earlier run of this resource, under its explicit name, may have stopped between
        # its POST and its PATCH. Looking for that subscription runs beside this create rather
        # than before it (one more round trip on the critical path); found, it is removed after.
        client = runtime.current().public_client()
        create = super().create
        answers = concurrently(
            lambda: create(props), lambda: self._unfinished(client, inputs, props, recorded)
        )
        result: dyn.CreateResult = answers[0]
        leftover: str | None = answers[1]
        if leftover is not None and leftover != split_id(str(result.id), ID_PARTS)[1]:
            self._remove_leftover(client, inputs.destination_id, leftover)
        return result

    def segment_create(self, client: SegmentClient, inputs: Any) -> tuple[str, dict[str, Any]]:
        body = to_segment(DestinationSubscriptionArgs, inputs.model_dump(), step="create")
        created = client.post("CreateDestinationSubscription", _path(inputs.destination_id), body)[
            "destinationSubscription"
        ]
        return join_id(inputs.destination_id, created["id"]), subscription_state(created)

    def segment_read(
        self, client: SegmentClient, id_: str, prior: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        destination_id, subscription_id = split_id(id_, ID_PARTS)
        found = client.get("GetSubscriptionFromDestination", _path(destination_id, subscription_id))
        return self.program_view(subscription_state(found["subscription"]), prior)

    def program_view(self, state: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
        if props and props.get("action_slug") is None:
            # The program named the action by id only; keep it that way.
            state["action_slug"] = None
        return state

    def segment_update(
        self,
        client: SegmentClient,
        id_: str,
        inputs: Any,
        changed: set[str],
    ) -> dict[str, Any]:
        destination_id, subscription_id = split_id(id_, ID_PARTS)
        # A new mapping is new settings (compiled at check).
        sent = {*changed, "settings"} if changed & {"settings", "mapping"} else set(changed)
        sent = {name for name in sent if getattr(inputs, name) is not None}
        fields = to_segment(
            DestinationSubscriptionArgs, inputs.model_dump(), step="update", only=sent
        )
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

    def segment_matches(
        self, client: SegmentClient, inputs: Any
    ) -> list[tuple[str, dict[str, Any]]]:
        # Only a read: one found may be the one this create is making, mid-way.
        return [
            (join_id(inputs.destination_id, subscription["id"]), subscription_state(subscription))
            for subscription in self._list(client, inputs)
            if subscription.get("name") == inputs.name
        ]

    def finish_create(
        self,
        client: SegmentClient,
        inputs: Any,
        made: tuple[str, dict[str, Any]],
    ) -> tuple[str, dict[str, Any]]:
        id_, state = made
        # Also a schedule an earlier run of this resource set before the program changed it.
        if inputs.model_id is not None and state["schedule"] != inputs.schedule:
            state = self._finish(client, inputs, split_id(id_, ID_PARTS)[1])
        return id_, state

    # -- the two-step create --------------------------------------------------------------

    def _finish(self, client: SegmentClient, inputs: Any, subscription_id: str) -> dict[str, Any]:
        """PATCH the model and schedule (and the rest, for one picked up from an earlier run)."""
        sent = ("name", "trigger", "enabled", "settings", "schedule")
        fields = to_segment(DestinationSubscriptionArgs, inputs.model_dump(), only=sent)
        # The PATCH names the model otherwise than the create does.
        fields["reverseETLModelId"] = inputs.model_id
        path = _path(inputs.destination_id, subscription_id)
        try:
            updated = client.patch("UpdateSubscriptionForDestination", path, {"input": fields})
        except SegmentError as exc:
            applied = self._applied(client, inputs, path) if outcome_unknown(exc) else None
            if applied is not None:
                return applied
            raise SegmentResourceError(
                f"{self.describe(inputs.model_dump())} was created in Segment "
                f"({join_id(inputs.destination_id, subscription_id)}) but setting its Reverse ETL "
                f"model and schedule failed: {exc}; run `pulumi up` again: it finishes this "
                "subscription, found by its autoname (under an explicit name it makes it again "
                "and removes this one while it has no schedule)"
            ) from exc
        return subscription_state(updated["subscription"])

    @staticmethod
    def _applied(client: SegmentClient, inputs: Any, path: str) -> dict[str, Any] | None:
        """The subscription's state when a PATCH whose answer was lost shows as applied (its
        id is known: a read, not a listing that may trail the write)."""
        try:
            held = subscription_state(
                client.get("GetSubscriptionFromDestination", path)["subscription"]
            )
        except SegmentError:
            return None
        if held["model_id"] == inputs.model_id and held["schedule"] == inputs.schedule:
            return held
        return None

    def _unfinished(
        self, client: SegmentClient, inputs: Any, props: Mapping[str, Any], recorded: str
    ) -> str | None:
        """The subscription this machine's record says an earlier create of this resource made,
        if it is still there without a schedule (POSTed, never PATCHed). Anything else under the
        name is not provably this stack's and is left alone. None when it cannot be read: the
        create goes on, and only a warning says so."""
        subscription_id = split_id(recorded, ID_PARTS)[1] if "/" in recorded else recorded
        try:
            held = client.get(
                "GetSubscriptionFromDestination", _path(inputs.destination_id, subscription_id)
            )["subscription"]
        except SegmentError as exc:
            if getattr(exc, "status", None) != 404:
                log.warning(
                    "%s: could not look for a subscription left half-made by an earlier run: %s",
                    self.describe(props),
                    exc,
                )
            return None
        if held.get("reverseETLSchedule") or held.get("modelId") != inputs.model_id:
            return None
        return subscription_id

    def _remove_leftover(
        self, client: SegmentClient, destination_id: str, subscription_id: str
    ) -> None:
        leftover = join_id(destination_id, subscription_id)
        try:
            client.delete(
                "RemoveSubscriptionFromDestination", _path(destination_id, subscription_id)
            )
        except SegmentError as exc:
            log.warning(
                "%s: could not remove %s, left half-made by an earlier run (remove it in "
                "Segment): %s",
                self.kind,
                leftover,
                exc,
            )
            return
        log.warning("%s: removed %s, left half-made by an earlier run", self.kind, leftover)

    @staticmethod
    def _list(client: SegmentClient, inputs: Any) -> list[dict[str, Any]]:
        """The destination's subscriptions of this action and model."""
        return [
            subscription
            for subscription in client.paginate(
                "ListSubscriptionsFromDestination", _path(inputs.destination_id), "subscriptions"
            )
            if subscription.get("actionId") == inputs.action_id
            and subscription.get("modelId") == inputs.model_id
        ]


class DestinationSubscription(
    SegmentResource[DestinationSubscriptionArgs],
    DestinationSubscriptionArgs,
    module="segment",
    name="DestinationSubscription",
):
    """A mapping: ``DestinationSubscription("identify", destination_id=..., mapping=...)``."""

    _segment_provider = DestinationSubscriptionProvider()

    # Typed constructors (tools/typed_constructors.py writes them from the declaration).
    if TYPE_CHECKING:

        @overload
        def __init__(
            self,
            resource_name: str,
            args: DestinationSubscriptionArgs,
            opts: pulumi.ResourceOptions | None = None,
            *,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        @overload
        def __init__(
            self,
            resource_name: str,
            args: None = None,
            opts: pulumi.ResourceOptions | None = None,
            *,
            destination_id: pulumi.Input[str],
            action_id: pulumi.Input[str] | None = None,
            action_slug: pulumi.Input[str] | None = None,
            model_id: pulumi.Input[str] | None = None,
            name: pulumi.Input[str] | None = None,
            enabled: pulumi.Input[bool] | None = True,
            trigger: pulumi.Input[str] | None = None,
            mapping: pulumi.Input[SendIdentifyMapping] | None = None,
            settings: pulumi.Input[Mapping[str, Any]] | None = {},  # noqa: B006
            schedule: pulumi.Input[ReverseEtlSchedule | Mapping[str, Any]] | None = None,
            adopt_id: pulumi.Input[str] | None = None,
        ) -> None: ...
        def __init__(self, *args: Any, **kwargs: Any) -> None: ...

    # End of the typed constructors.
