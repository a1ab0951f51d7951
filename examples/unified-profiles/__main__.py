"""Segment Unify set up for Twilio Unified Profiles: one program, one stack per environment.

Stack config (Pulumi.<stack>.yaml; the ``segment:*`` keys are the provider's):

- ``spaceSlug``: the Unify space, made in Segment's app (dev first, then prod).
- ``profileApiToken`` (secret): the space's Profile API token.
- ``protect``: protect what holds data (``true`` in prod).
- ``sources``: event and cloud-app sources, ``[{catalogSlug, metadataId?, name?, slug?}]``
  (``javascript`` if left out; ``[]`` for none).
- ``salesforce``: ``true`` for a Salesforce source, loaded into the warehouse.
- ``salesforceEnvironment``: ``production`` (the default) or ``sandbox``: the Salesforce the
  source's OAuth sign-in in Segment's app goes to (set it before signing in).
- ``warehouse``: ``{type, settings}`` without credentials; leave it out for no Reverse ETL.
- ``warehouseSecrets`` (secret): the warehouse's credentials, merged into its settings.
- ``profilesSync``: ``true`` to sync profiles to the warehouse.
- ``syncInterval``: how often Reverse ETL runs (``15m`` .. ``1d``).
- ``audiences``: ``[{name, query}]``, optional.
- ``adoptIds``: ``{resource name: id}``, optional: objects already in Segment to bring under
  the stack (``adopt_id``), as a refused ``up`` names them (say, a trait whose create was cut
  off on another machine).

``policyEnforcement`` and ``policyPackConfig`` are for ``pulumi preview --policy-pack``; this
program does not read them.
"""

from __future__ import annotations

from typing import Any

import pulumi

from segment_unify.components import (
    AudienceConfig,
    ProfilesSyncConfig,
    ReverseEtlModelConfig,
    SalesforceConfig,
    SourceConfig,
    UnifiedProfilesStack,
    UnifiedProfilesStackArgs,
    WarehouseConfig,
)
from segment_unify.provider import ReverseEtlSchedule

config = pulumi.Config()


def sources() -> list[SourceConfig]:
    listed: list[dict[str, Any]] | None = config.get_object("sources")
    if listed is None:
        listed = [{"catalogSlug": "javascript"}]
    return [
        SourceConfig(
            item.get("catalogSlug"),
            metadata_id=item.get("metadataId"),
            slug=item.get("slug"),
            name=item.get("name"),
        )
        for item in listed
    ]


def warehouse() -> WarehouseConfig | None:
    spec: dict[str, Any] | None = config.get_object("warehouse")
    if spec is None:
        return None
    credentials = config.require_secret_object("warehouseSecrets")
    settings = pulumi.Output.all(spec.get("settings", {}), credentials).apply(
        lambda parts: {**parts[0], **parts[1]}
    )
    return WarehouseConfig(spec["type"], pulumi.Output.secret(settings))


def adopt_ids() -> None:
    """``adopt_id`` for the resources ``adoptIds`` names: the component makes them, so a
    resource transform gives it (registered before any resource)."""
    ids: dict[str, str] = config.get_object("adoptIds") or {}
    if not ids:
        return

    def transform(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        adopted = ids.get(args.name)
        if adopted is None:
            return None
        return pulumi.ResourceTransformResult({**args.props, "adopt_id": adopted}, args.opts)

    pulumi.runtime.register_resource_transform(transform)


def audiences() -> list[AudienceConfig]:
    listed: list[dict[str, Any]] = config.get_object("audiences") or []
    return [AudienceConfig(item["name"], item["query"]) for item in listed]


adopt_ids()
warehouse_config = warehouse()
# The default model (the Salesforce source's accounts, Send Identify by id) on this schedule.
schedule = ReverseEtlSchedule.periodic(config.get("syncInterval") or "1h")
stack = UnifiedProfilesStack(
    "unify",
    UnifiedProfilesStackArgs(
        space_slug=config.require("spaceSlug"),
        profile_api_token=config.require_secret("profileApiToken"),
        sources=sources(),
        salesforce=SalesforceConfig(environment=config.get("salesforceEnvironment") or "production")
        if config.get_bool("salesforce")
        else None,
        warehouse=warehouse_config,
        reverse_etl_models=[ReverseEtlModelConfig(schedule=schedule)] if warehouse_config else None,
        profiles_sync=ProfilesSyncConfig() if config.get_bool("profilesSync") else None,
        audiences=audiences(),
        protect=config.get_bool("protect") or False,
    ),
)
# The sheet Segment says to note before connecting the space to Twilio (token stays secret).
for key, value in {**stack.twilio_sheet(), **stack.ids()}.items():
    pulumi.export(key, value)
# What is left for later (traits whose events the space has not seen, predictions not made in
# Segment's app) or for Segment's app alone, in the order to take them: {what, why, where}.
pulumi.export("pendingSteps", stack.pending_steps)
