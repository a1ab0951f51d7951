"""``UnifiedProfilesStack``: the whole Segment Unify setup Twilio's Unified Profiles needs.

One component, in the documented order, each stage waiting for the one before it:

1. the Unify space (adopted by slug) and its Profile API token (adopted, verified);
2. sources: cloud apps and libraries (``javascript`` by default) and Salesforce;
3. a warehouse, and Salesforce connected to it;
4. a Reverse ETL source on that warehouse and its SQL models;
5. the Segment Profiles destination on the Reverse ETL source;
6. one Send Identify mapping per model (identifier columns, traits, schedule);
7. Profiles Sync;
8. computed traits (Twilio's six recommended Flex traits by default);
9. predictions (likelihood to churn, predicted LTV);
10. audiences, if any are given.

Both starting points fit: an existing workspace whose events come from cloud apps and
``javascript`` (give ``sources``, no ``warehouse``), and a new workspace fed by Salesforce
through a warehouse (give ``salesforce`` and ``warehouse``). Every stage but the space and the
token is optional. Its outputs are the sheet Segment says to note before connecting the space
to Twilio (workspace id and slug, space id and slug, the Profile API token as a secret) and the
ids of what it made.

What the space cannot have yet is left out, not failed on: traits whose events Segment has
not seen, predictions not made in Segment's app, and audiences reading either
(``space_readiness`` reads the space when the program runs); they are warned about and listed
in ``pending_steps`` (the ``pendingSteps`` output, ``pending_steps.py``) beside the steps only
Segment's app or Twilio's Console can take, and a later ``up`` makes them.

Not handled: making the space, the token or the predictions, identity-resolution rules,
connecting sources to the space and the space to Twilio (Segment's app or Twilio's Console
only; listed in ``pendingSteps``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pulumi

from segment_unify.components.pending_steps import app_steps, steps_bringing
from segment_unify.components.space_objects import declare_space_objects
from segment_unify.components.space_readiness import UNKNOWN, SpaceReadiness, read_space_async
from segment_unify.components.unified_profiles_config import (
    DEFAULT_MODEL_QUERY,
    ProfilesSyncConfig,
    ReverseEtlModelConfig,
    UnifiedProfilesStackArgs,
    WarehouseConfig,
    accounts_query,
    check_args,
    salesforce_environment,
    source_key,
)
from segment_unify.provider import catalog
from segment_unify.provider.resources import (
    Audience,
    ComputedTrait,
    Destination,
    DestinationArgs,
    DestinationSubscription,
    DestinationSubscriptionArgs,
    Prediction,
    ProfileApiToken,
    ProfileApiTokenArgs,
    ProfilesWarehouse,
    ProfilesWarehouseArgs,
    ReverseEtlModel,
    ReverseEtlModelArgs,
    SendIdentifyMapping,
    Source,
    SourceArgs,
    UnifySpace,
    UnifySpaceArgs,
    Warehouse,
    WarehouseArgs,
    WarehouseSourceConnection,
    WarehouseSourceConnectionArgs,
)

__all__ = ["TYPE_TOKEN", "UnifiedProfilesStack", "UnifiedProfilesStackArgs"]

TYPE_TOKEN = "segment-unify:index:UnifiedProfilesStack"


class UnifiedProfilesStack(pulumi.ComponentResource):
    """A Unify space set up for Twilio Unified Profiles; children are named ``<name>-…``."""

    workspace_id: pulumi.Output[str]
    """The workspace's id, for Twilio's Console (Unified Profiles > Use existing space)."""
    workspace_slug: pulumi.Output[str]
    """The workspace's slug, for Twilio's Console."""
    space_id: pulumi.Output[str]
    """The Unify space's id, for Twilio's Console."""
    space_slug: pulumi.Output[str]
    """The Unify space's slug."""
    profile_api_token: pulumi.Output[str]
    """The space's Profile API token, for Twilio's Console; a secret."""

    def __init__(
        self,
        name: str,
        args: UnifiedProfilesStackArgs,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        models = check_args(args)
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._prefix = name
        self._protect_data = args.protect
        self._source_names = [_text(source.name) or source_key(source) for source in args.sources]
        self._salesforce_name = (_text(args.salesforce.name) if args.salesforce else None) or (
            "Salesforce"
        )
        self._salesforce_environment = (
            salesforce_environment(args.salesforce) if args.salesforce else "production"
        )
        self._audience_configs = list(args.audiences)
        self.space = UnifySpace(
            f"{name}-space", UnifySpaceArgs(slug=args.space_slug), self._opts([], data=True)
        )
        self.token = ProfileApiToken(
            f"{name}-profile-api-token",
            ProfileApiTokenArgs(
                space_id=self.space.space_id, token=pulumi.Output.secret(args.profile_api_token)
            ),
            self._opts([self.space]),
        )
        after: list[pulumi.Resource] = [self.space, self.token]
        self.sources = self._sources(args.sources, after)
        self.salesforce = self._salesforce(args.salesforce, after)
        after = _then(after, [*self.sources.values(), *self._present(self.salesforce)])
        self.warehouse = self._warehouse(args.warehouse, after)
        self.salesforce_connection = self._connect_salesforce(after)
        after = _then(after, [*self._present(self.warehouse, self.salesforce_connection)])
        self.reverse_etl_source = self._reverse_etl_source(args.warehouse, after)
        after = _then(after, [*self._present(self.reverse_etl_source)])
        self.models = self._models(models, after)
        after = _then(after, list(self.models.values()))
        self.destination = self._destination(after)
        after = _then(after, [*self._present(self.destination)])
        self.mappings = self._mappings(models, args.engage_space, after)
        after = _then(after, list(self.mappings.values()))
        self.profiles_sync = self._profiles_sync(args.profiles_sync, args.warehouse, after)
        after = _then(after, [*self._present(self.profiles_sync)])
        self.computed_traits: dict[str, ComputedTrait] = {}
        self.predictions: dict[str, Prediction] = {}
        self.audiences: dict[str, Audience] = {}
        # Traits, predictions and audiences are declared once what the space has is read
        # (beside everything above, off its critical path): what it cannot have yet waits.
        self._space_objects: pulumi.Output[dict[str, Any]]
        if args.wait_for_space:

            def declare(state: SpaceReadiness) -> pulumi.Output[dict[str, Any]]:
                return self._declare_space_objects(args, after, state)

            self._space_objects = read_space_async(args.space_slug).apply(declare)
        else:
            self._space_objects = self._declare_space_objects(args, after, UNKNOWN)
        self.pending_steps: pulumi.Output[list[dict[str, Any]]] = self._space_objects.apply(
            lambda made: made["pendingSteps"]
        )

        self.workspace_id = self.space.workspace_id
        self.workspace_slug = self.space.workspace_slug
        self.space_id = self.space.space_id
        self.space_slug = self.space.slug
        self.profile_api_token = pulumi.Output.secret(self.token.token)
        self.register_outputs(
            {**self.twilio_sheet(), **self.ids(), "pendingSteps": self.pending_steps}
        )

    # -- outputs ---------------------------------------------------------------------------

    def twilio_sheet(self) -> dict[str, pulumi.Output[Any]]:
        """What Segment says to note before connecting the space to Twilio (token secret)."""
        return {
            "workspaceId": self.workspace_id,
            "workspaceSlug": self.workspace_slug,
            "spaceId": self.space_id,
            "spaceSlug": self.space_slug,
            "profileApiToken": self.profile_api_token,
        }

    def ids(self) -> dict[str, Any]:
        """Segment's ids of what the stack made, by part (absent parts are left out)."""
        out: dict[str, Any] = {
            "sourceIds": {key: source.id for key, source in self.sources.items()},
            "computedTraitIds": self._space_objects.apply(lambda made: made["computedTraitIds"]),
            "predictionTraitKeys": self._space_objects.apply(
                lambda made: made["predictionTraitKeys"]
            ),
        }
        single = {
            "salesforceSourceId": self.salesforce,
            "warehouseId": self.warehouse,
            "reverseEtlSourceId": self.reverse_etl_source,
            "destinationId": self.destination,
        }
        out |= {key: resource.id for key, resource in single.items() if resource is not None}
        if self.models:
            out["reverseEtlModelIds"] = {key: model.id for key, model in self.models.items()}
        if self.mappings:
            out["sendIdentifySubscriptionIds"] = {
                key: mapping.subscription_id for key, mapping in self.mappings.items()
            }
        if self.profiles_sync is not None:
            out["profilesWarehouseId"] = self.profiles_sync.warehouse_id
        if self._audience_configs:
            out["audienceIds"] = self._space_objects.apply(lambda made: made["audienceIds"])
        return out

    # -- what the space can have yet ---------------------------------------------------------

    def _declare_space_objects(
        self,
        args: UnifiedProfilesStackArgs,
        after: list[pulumi.Resource],
        state: SpaceReadiness,
    ) -> pulumi.Output[dict[str, Any]]:
        """Declare the traits, predictions and audiences ``state`` allows; the rest become
        pending steps (warned about). Their ids and the steps, as one Output."""
        if not state.known and args.wait_for_space:
            pulumi.log.info(
                f"what space {args.space_slug!r} has could not be read ({state.reason}); every "
                "trait, prediction and audience is declared",
                self,
            )
        made = declare_space_objects(
            args,
            state,
            after,
            name=self._prefix,
            space_id=self.space.space_id,
            opts=self._opts,
            bringing=lambda events: steps_bringing(events, self._source_names),
        )
        self.computed_traits = made.computed_traits
        self.predictions = made.predictions
        self.audiences = made.audiences
        for step in made.deferred:
            pulumi.log.warn(f"{step.what}: {step.why}. {step.where}.", self)
        salesforce = (
            (self._salesforce_name, self._salesforce_environment) if self.salesforce else None
        )
        steps = app_steps(self._source_names, salesforce, warehouse=self.warehouse is not None)
        return made.as_output([*steps, *made.deferred])

    # -- stages ----------------------------------------------------------------------------

    def _sources(
        self, sources: Sequence[SourceArgs], after: list[pulumi.Resource]
    ) -> dict[str, Source]:
        # Named always, since Segment fills in a name left out and a later ``up`` would see
        # that as a change.
        return {
            source_key(source): Source(
                f"{self._prefix}-source-{source_key(source)}",
                replace(source, name=source.name or source_key(source)),
                self._opts(after, data=True),
            )
            for source in sources
        }

    def _salesforce(self, source: SourceArgs | None, after: list[pulumi.Resource]) -> Source | None:
        if source is None:
            return None
        given = source.catalog_slug or source.metadata_id
        args = replace(
            source,
            catalog_slug=source.catalog_slug if given else "salesforce",
            name=source.name or "Salesforce",
        )
        return Source(f"{self._prefix}-salesforce", args, self._opts(after, data=True))

    def _warehouse(
        self, config: WarehouseConfig | None, after: list[pulumi.Resource]
    ) -> Warehouse | None:
        if config is None:
            return None
        args = WarehouseArgs(
            catalog_slug=config.catalog_slug,
            name=config.name,
            settings=pulumi.Output.secret(config.settings),
        )
        return Warehouse(f"{self._prefix}-warehouse", args, self._opts(after, data=True))

    def _connect_salesforce(self, after: list[pulumi.Resource]) -> WarehouseSourceConnection | None:
        if self.warehouse is None or self.salesforce is None:
            return None
        args = WarehouseSourceConnectionArgs(
            warehouse_id=self.warehouse.id, source_id=self.salesforce.id
        )
        return WarehouseSourceConnection(
            f"{self._prefix}-salesforce-to-warehouse", args, self._opts([*after, self.warehouse])
        )

    def _reverse_etl_source(
        self, config: WarehouseConfig | None, after: list[pulumi.Resource]
    ) -> Source | None:
        if config is None:
            return None
        # Segment's Reverse ETL source logs in to the warehouse with credentials of its own;
        # by default, the warehouse's.
        settings = config.reverse_etl_settings
        args = SourceArgs(
            catalog_slug=config.reverse_etl_catalog_slug(),
            name=config.reverse_etl_source_name or f"Reverse ETL ({config.catalog_slug})",
            settings=pulumi.Output.secret(config.settings if settings is None else settings),
        )
        return Source(f"{self._prefix}-reverse-etl-source", args, self._opts(after, data=True))

    def _model_query(self, config: ReverseEtlModelConfig) -> pulumi.Input[str]:
        if config.query is not None:
            return config.query
        if self.salesforce is None:
            return DEFAULT_MODEL_QUERY
        # The Salesforce source's slug is autonamed (a random suffix), and Segment names the
        # schema it loads after that slug: the model reads what this stack's source writes.
        return self.salesforce.slug.apply(accounts_query)

    def _models(
        self, configs: Sequence[ReverseEtlModelConfig], after: list[pulumi.Resource]
    ) -> dict[str, ReverseEtlModel]:
        if self.reverse_etl_source is None:
            return {}
        return {
            config.key: ReverseEtlModel(
                f"{self._prefix}-model-{config.key}",
                ReverseEtlModelArgs(
                    source_id=self.reverse_etl_source.id,
                    query=self._model_query(config),
                    query_identifier_column=config.identifier_column,
                    name=config.name,
                    description=config.description,
                    enabled=config.enabled,
                ),
                self._opts(after),
            )
            for config in configs
        }

    def _destination(self, after: list[pulumi.Resource]) -> Destination | None:
        if self.reverse_etl_source is None:
            return None
        args = DestinationArgs(
            source_id=self.reverse_etl_source.id,
            metadata_id=catalog.SEGMENT_PROFILES_DESTINATION,
            catalog_slug="actions-segment-profiles",
        )
        return Destination(f"{self._prefix}-segment-profiles", args, self._opts(after))

    def _mappings(
        self,
        configs: Sequence[ReverseEtlModelConfig],
        engage_space: pulumi.Input[str] | None,
        after: list[pulumi.Resource],
    ) -> dict[str, DestinationSubscription]:
        if self.destination is None:
            return {}
        write_key: pulumi.Input[str] = (
            engage_space
            if engage_space is not None
            else self.space.write_key.apply(lambda key: key or "")
        )
        out: dict[str, DestinationSubscription] = {}
        for config in configs:
            mapping = SendIdentifyMapping(
                engage_space=write_key,
                user_id=config.user_id,
                anonymous_id=config.anonymous_id,
                traits=dict(config.traits),
                timestamp=config.timestamp,
            )
            args = DestinationSubscriptionArgs(
                destination_id=self.destination.id,
                action_slug="sendIdentify",
                model_id=self.models[config.key].id,
                mapping=mapping,
                schedule=config.schedule,
            )
            out[config.key] = DestinationSubscription(
                f"{self._prefix}-send-identify-{config.key}", args, self._opts(after)
            )
        return out

    def _profiles_sync(
        self,
        config: ProfilesSyncConfig | None,
        stack_warehouse: WarehouseConfig | None,
        after: list[pulumi.Resource],
    ) -> ProfilesWarehouse | None:
        if config is None:
            return None
        warehouse = config.warehouse or stack_warehouse
        if warehouse is None:  # _check has refused this already
            return None
        args = ProfilesWarehouseArgs(
            space_id=self.space.space_id,
            catalog_slug=warehouse.catalog_slug,
            name=config.name,
            settings=pulumi.Output.secret(warehouse.settings),
            schema_name=config.schema_name,
        )
        return ProfilesWarehouse(
            f"{self._prefix}-profiles-sync", args, self._opts(after, data=True)
        )

    # -- helpers ---------------------------------------------------------------------------

    def _opts(
        self, after: Sequence[pulumi.Resource], *, data: bool = False
    ) -> pulumi.ResourceOptions:
        """Parented here, after the previous stage; protected when it holds data and asked to.

        ``protect`` is left unset otherwise, so a ``protect=True`` given to the component itself
        still reaches every child.
        """
        return pulumi.ResourceOptions(
            parent=self,
            depends_on=list(after),
            protect=True if data and self._protect_data else None,
        )

    @staticmethod
    def _present(*resources: pulumi.Resource | None) -> list[pulumi.Resource]:
        return [resource for resource in resources if resource is not None]


def _text(value: object) -> str | None:
    """A name given as text (an Output's value is not known when the steps are written)."""
    return value if isinstance(value, str) else None


def _then(previous: list[pulumi.Resource], made: list[pulumi.Resource]) -> list[pulumi.Resource]:
    """What the next stage waits for: this stage's resources, or the last stage's if it made none.

    Every stage waits for the whole stage before it, so the documented order holds even where
    no data flows between two stages.
    """
    return made or previous
