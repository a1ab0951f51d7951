"""The parts of a ``UnifiedProfilesStack``, one small dataclass each, with their defaults.

- ``SourceConfig``: a source (cloud app, ``javascript`` library, Salesforce).
- ``WarehouseConfig``: the warehouse Salesforce lands in and Reverse ETL reads, with credentials.
- ``ReverseEtlModelConfig``: one SQL model and its Send Identify mapping (identifier column,
  user id, traits, schedule); the default reads the ``accounts`` table of the schema the
  stack's Salesforce source loads (``salesforce.accounts`` when the stack has none).
- ``ProfilesSyncConfig``: where Profiles Sync writes (the stack's warehouse by default).
- ``PredictionConfig``, ``AudienceConfig``: predictions to adopt and audiences to make.
- ``UnifiedProfilesStackArgs``: all of them together; ``check_args`` refuses inconsistent ones
  (a repeated key, models without a warehouse) before anything is registered.

The default model's column names are those Segment's Salesforce source gives the ``Account``
object's fields in a warehouse (``Id`` -> ``id``, ``PersonEmail`` -> ``person_email``); check
them against the warehouse, since only it knows its columns. Not handled here: making the
resources (``UnifiedProfilesStack`` does) and checking values (each resource's ``check`` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from segment_unify.components.flex_traits import FLEX_TRAITS, TraitSpec
from segment_unify.provider import catalog
from segment_unify.provider.resources.audience import AudienceOptions, AudienceType
from segment_unify.provider.resources.prediction import PredictionKind
from segment_unify.provider.resources.schedule import ReverseEtlSchedule
from segment_unify.provider.resources.source import SourceArgs
from segment_unify.query import Condition

__all__ = [
    "DEFAULT_MODEL_QUERY",
    "DEFAULT_MODEL_TRAITS",
    "AudienceConfig",
    "PredictionConfig",
    "ProfilesSyncConfig",
    "ReverseEtlModelConfig",
    "SourceConfig",
    "UnifiedProfilesStackArgs",
    "WarehouseConfig",
    "check_args",
    "default_predictions",
    "default_sources",
    "unique_keys",
]

DEFAULT_MODEL_QUERY = "SELECT * FROM salesforce.accounts"
DEFAULT_MODEL_TABLE = "accounts"


def warehouse_schema(source_slug: str) -> str:
    """The schema Segment loads a source's tables into: named after the source's slug, which
    may hold dashes where a schema name has underscores."""
    return source_slug.replace("-", "_")


def accounts_query(source_slug: str) -> str:
    """The default model's query, reading the accounts a Salesforce source with this slug loads."""
    return f"SELECT * FROM {warehouse_schema(source_slug)}.{DEFAULT_MODEL_TABLE}"


DEFAULT_MODEL_TRAITS: Mapping[str, str] = {
    "name": "name",
    "email": "person_email",
    "phone": "phone",
}


@dataclass
class SourceConfig:
    """A source: ``SourceConfig("javascript", name="Website")``; cloud apps by catalog slug."""

    catalog_slug: str | None = None
    """``javascript``, ``salesforce``, ``zendesk``, ``hubspot``...: any slug Segment's sources
    catalog lists (entries the provider's table lacks are found there at ``up``)."""
    metadata_id: str | None = None
    """The catalog entry by id instead; give ``catalog_slug`` with it too (the slug Segment
    reports for the entry), or every ``up`` sees the reported slug as a change."""
    slug: str | None = None
    """Unique in the workspace; autonamed from the child's name if omitted."""
    name: str | None = None
    """Its name in Segment; by default its key (or ``Salesforce``)."""
    enabled: bool = True
    """Whether the source accepts data; a disabled one keeps its settings."""
    settings: pulumi.Input[Mapping[str, Any]] | None = field(default=None, repr=False)
    """As the catalog entry takes them; pass credentials as ``pulumi.Output.secret``."""

    def key(self) -> str:
        """What names its child resource: the slug, else the catalog slug or id."""
        key = self.slug or self.catalog_slug or self.metadata_id
        if not key:
            raise ValueError("a SourceConfig needs catalog_slug or metadata_id")
        return key

    def args(self, *, default_catalog_slug: str | None = None, default_name: str) -> SourceArgs:
        """``SourceArgs``; the name is always given, since Segment fills in one left out and
        a later ``up`` would see that as a change."""
        catalog_slug = self.catalog_slug
        if catalog_slug is None and self.metadata_id is None:
            catalog_slug = default_catalog_slug
        return SourceArgs(
            catalog_slug=catalog_slug,
            metadata_id=self.metadata_id,
            slug=self.slug,
            name=self.name or default_name,
            enabled=self.enabled,
            settings=self.settings,
        )


@dataclass
class SalesforceConfig(SourceConfig):
    """The Salesforce source: ``SalesforceConfig(environment="sandbox")`` (a plain
    ``SourceConfig()`` is a production one)."""

    environment: str = "production"
    """``production`` or ``sandbox``: the Salesforce the OAuth sign-in in Segment's app goes
    to, Segment's ``salesforce-environment`` setting. It must be right before the sign-in."""

    def args(self, *, default_catalog_slug: str | None = None, default_name: str) -> SourceArgs:
        made = super().args(default_catalog_slug=default_catalog_slug, default_name=default_name)
        environment = {catalog.SALESFORCE_ENVIRONMENT: self.environment}
        made.settings = pulumi.Output.from_input(self.settings or {}).apply(
            lambda given: {**environment, **given}
        )
        return made


def salesforce_environment(config: SourceConfig) -> str:
    """The environment the stack's Salesforce source signs in to (production unless told)."""
    return config.environment if isinstance(config, SalesforceConfig) else "production"


@dataclass
class WarehouseConfig:
    """A warehouse: ``WarehouseConfig("postgres", pulumi.Output.secret({...}))``.

    ``settings`` hold the credentials; the stack passes them on as secrets. The Reverse ETL
    source that reads this warehouse logs in with ``reverse_etl_settings``, by default these.
    """

    catalog_slug: str
    """``postgres``, ``bigquery``, ``redshift`` or ``snowflake``."""
    settings: pulumi.Input[Mapping[str, Any]] = field(repr=False)
    """Connection settings and credentials as the catalog entry takes them (host, port,
    database, user, password...); passed on as secrets."""
    name: str | None = None
    """Its name in Segment; autonamed if omitted."""
    reverse_etl_source_slug: str | None = None
    """The Reverse ETL source's catalog slug; by default the one for ``catalog_slug``."""
    reverse_etl_source_name: str | None = None
    """By default ``Reverse ETL (<catalog_slug>)``."""
    reverse_etl_settings: pulumi.Input[Mapping[str, Any]] | None = field(default=None, repr=False)
    """What the Reverse ETL source logs in with (a read-only user, say); ``settings`` if
    omitted. Passed on as secrets."""

    def reverse_etl_catalog_slug(self) -> str:
        slug = self.reverse_etl_source_slug or catalog.REVERSE_ETL_SOURCE_FOR_WAREHOUSE.get(
            self.catalog_slug
        )
        if slug is None:
            known = ", ".join(catalog.REVERSE_ETL_SOURCE_FOR_WAREHOUSE)
            raise ValueError(
                f"no Reverse ETL source is known for warehouse {self.catalog_slug!r} (known: "
                f"{known}); give WarehouseConfig(reverse_etl_source_slug=...)"
            )
        return slug


def _default_schedule() -> ReverseEtlSchedule:
    return ReverseEtlSchedule.periodic("1h")


def _default_traits() -> dict[str, Any]:
    return dict(DEFAULT_MODEL_TRAITS)


@dataclass
class ReverseEtlModelConfig:
    """A Reverse ETL model and the Send Identify mapping that sends its rows to profiles.

    Column names are plain strings; see ``SendIdentifyMapping`` for paths and literals.
    """

    key: str = "accounts"
    """Names its child resources (``<stack>-model-<key>``, ``<stack>-send-identify-<key>``)."""
    query: str | None = None
    """SQL; by default every row of ``accounts`` in the stack's Salesforce source's schema."""
    identifier_column: str = "id"
    """The column that tells rows apart across runs."""
    user_id: str | Mapping[str, Any] | None = "id"
    """The column (or mapping directive) whose value is the profile's ``userId``."""
    anonymous_id: str | Mapping[str, Any] | None = None
    """The column giving an ``anonymousId``, for rows without a user id."""
    traits: Mapping[str, Any] = field(default_factory=_default_traits)
    """Trait name -> column (or path, directive, ``literal``)."""
    timestamp: str | Mapping[str, Any] | None = None
    """The column giving each identify call's timestamp; the sync's time if omitted."""
    schedule: ReverseEtlSchedule = field(default_factory=_default_schedule)
    """When the model runs (``ReverseEtlSchedule``); every hour by default."""
    name: str | None = None
    """The model's name in Segment; autonamed if omitted."""
    description: str = ""
    """Shown with the model in Segment."""
    enabled: bool = True
    """Whether the model and its mapping run."""


@dataclass
class ProfilesSyncConfig:
    """Profiles Sync: writes the space's profiles to ``warehouse`` (the stack's by default)."""

    warehouse: WarehouseConfig | None = None
    """Where the profiles go; the stack's ``warehouse`` if omitted."""
    schema_name: str | None = None
    """The schema profiles are written to; Segment picks one if omitted."""
    name: str | None = None
    """The Profiles Sync warehouse's name in Segment; autonamed if omitted."""


@dataclass
class PredictionConfig:
    """A prediction made in Segment's app: ``churn``, ``ltv``, ``purchase`` or ``custom``."""

    kind: PredictionKind
    """``churn`` (likelihood to churn), ``ltv`` (predicted lifetime value), ``purchase`` or
    ``custom`` (a goal of your own)."""
    trait_key: str | None = None
    """The trait it writes; the UI's default for ``kind`` if omitted (needed for ``custom``)."""

    def key(self) -> str:
        return self.trait_key or self.kind


@dataclass
class AudienceConfig:
    """An audience of the space (Engage)."""

    name: str
    """Its name in Segment, which derives the audience key from it."""
    definition: str | Mapping[str, Any] | Condition
    """A condition builder, a query string, or ``{"query", "target_entity"?}``."""
    description: str | None = None
    """What the audience means, shown in Segment."""
    audience_type: AudienceType = "USERS"
    """``USERS``, ``ACCOUNTS`` or ``LINKED``."""
    options: AudienceOptions | None = None
    """Segment's audience options (``AudienceOptions``)."""
    key: str | None = None
    """Names its child resource; by default the name, lower case with ``-`` for the rest."""

    def resource_key(self) -> str:
        return self.key or re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    def definition_value(self) -> str | Mapping[str, Any]:
        """The definition as ``AudienceArgs`` takes it: a builder becomes its mapping."""
        if isinstance(self.definition, Condition):
            return self.definition.definition
        return self.definition


def default_sources() -> list[SourceConfig]:
    return [SourceConfig("javascript")]


def default_predictions() -> list[PredictionConfig]:
    return [PredictionConfig("churn"), PredictionConfig("ltv")]


def unique_keys(keys: Iterable[str], what: str) -> list[str]:
    """``keys`` as given, or ``ValueError`` naming the first repeated or empty one."""
    seen: list[str] = []
    for key in keys:
        if not key:
            raise ValueError(f"{what}: every entry needs a non-empty key")
        if key in seen:
            raise ValueError(
                f"{what}: two entries have the key {key!r}; give one of them its own key "
                "(slug, key or trait_key) so that their resources get different names"
            )
        seen.append(key)
    return seen


@dataclass
class UnifiedProfilesStackArgs:
    """What a ``UnifiedProfilesStack`` sets up; only the space and its token are required."""

    space_slug: str
    """The existing space's slug (``app.segment.com/<workspace>/unify/spaces/<slug>``)."""
    profile_api_token: pulumi.Input[str] = field(repr=False)
    """The space's Profile API token, made in Segment's app; kept secret whatever is passed."""
    sources: Sequence[SourceConfig] = field(default_factory=default_sources)
    """Event and cloud-app sources; one ``javascript`` source by default."""
    salesforce: SourceConfig | None = None
    """The Salesforce source (``SalesforceConfig()``, ``SalesforceConfig(environment="sandbox")``;
    a ``SourceConfig()`` is a production one); connected to ``warehouse`` if any."""
    warehouse: WarehouseConfig | None = None
    """The warehouse the Reverse ETL models read; none, no Reverse ETL."""
    reverse_etl_models: Sequence[ReverseEtlModelConfig] | None = None
    """With a warehouse; default one model reading the Salesforce source's ``accounts`` table."""
    engage_space: pulumi.Input[str] | None = None
    """Send Identify's space write key, if the space's own cannot be found (see ``UnifySpace``)."""
    profiles_sync: ProfilesSyncConfig | None = None
    """Profiles Sync; ``ProfilesSyncConfig()`` syncs to ``warehouse``. None: off."""
    computed_traits: Sequence[TraitSpec] = FLEX_TRAITS
    """The computed traits to make; by default the six Twilio recommends for Flex
    (``FLEX_TRAITS``). ``()``: none."""
    predictions: Sequence[PredictionConfig] = field(default_factory=default_predictions)
    """Predictions made in Segment's app to adopt; churn and LTV by default."""
    audiences: Sequence[AudienceConfig] = ()
    """Audiences to make (Engage); none by default."""
    protect: bool = False
    """Protect what holds data (space, sources, warehouses, traits, audiences): production."""
    wait_for_space: bool = True
    """Leave out (and list in ``pendingSteps``) the traits, predictions and audiences the space
    cannot have yet, so a fresh space's first ``up`` succeeds; False declares them all, and
    each fails naming the step to take."""


def check_args(args: UnifiedProfilesStackArgs) -> Sequence[ReverseEtlModelConfig]:
    """Fail on inconsistent args before anything is registered; the models to make."""
    unique_keys([config.key() for config in args.sources], "sources")
    unique_keys([spec.key for spec in args.computed_traits], "computed_traits")
    unique_keys([config.key() for config in args.predictions], "predictions")
    unique_keys([config.resource_key() for config in args.audiences], "audiences")
    if args.warehouse is not None:
        args.warehouse.reverse_etl_catalog_slug()
    if args.profiles_sync is not None and (args.profiles_sync.warehouse or args.warehouse) is None:
        raise ValueError(
            "profiles_sync needs a warehouse: give ProfilesSyncConfig(warehouse=...) or the "
            "stack's warehouse"
        )
    models = _models_of(args)
    unique_keys([config.key for config in models], "reverse_etl_models")
    return models


def _models_of(args: UnifiedProfilesStackArgs) -> Sequence[ReverseEtlModelConfig]:
    if args.warehouse is None:
        if args.reverse_etl_models:
            raise ValueError(
                "reverse_etl_models read a warehouse: give the stack a warehouse "
                "(WarehouseConfig) or leave reverse_etl_models out"
            )
        return ()
    if args.reverse_etl_models is None:
        return (ReverseEtlModelConfig(),)
    return args.reverse_etl_models
