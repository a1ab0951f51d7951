"""The parts of a ``UnifiedProfilesStack``, with their defaults.

Sources, computed traits, predictions and audiences are the resources' own Args
(``SourceArgs``, ``ComputedTraitArgs``, ``PredictionArgs``, ``AudienceArgs``): the stack fills
in the space and the names, so a field a resource gains is the component's too. The rest is a
small dataclass here:

- ``WarehouseConfig``: the warehouse Salesforce lands in and Reverse ETL reads, with credentials.
- ``ReverseEtlModelConfig``: one SQL model and its Send Identify mapping (identifier column,
  user id, traits, schedule); the default reads the ``accounts`` table of the schema the
  stack's Salesforce source loads (``salesforce.accounts`` when the stack has none).
- ``ProfilesSyncConfig``: where Profiles Sync writes (the stack's warehouse by default).
- ``SourceConfig``, ``SalesforceConfig``, ``PredictionConfig``, ``AudienceConfig``: the Args in
  the form programs wrote before the component took them (``SourceConfig("javascript")``).
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

from segment_unify.components.flex_traits import FLEX_TRAITS
from segment_unify.provider import catalog
from segment_unify.provider.keys import segment_key
from segment_unify.provider.resources.audience import AudienceArgs
from segment_unify.provider.resources.computed_trait import ComputedTraitArgs
from segment_unify.provider.resources.prediction import (
    DEFAULT_TRAIT_KEYS,
    PredictionArgs,
    PredictionKind,
)
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


class SourceConfig(SourceArgs):
    """``SourceArgs`` with the catalog slug first: ``SourceConfig("javascript", name="Website")``
    (the component takes ``SourceArgs``; this is how programs wrote a source before)."""

    def __init__(self, catalog_slug: pulumi.Input[str] | None = None, **fields: Any) -> None:
        super().__init__(catalog_slug=catalog_slug, **fields)


class SalesforceConfig(SourceArgs):
    """The Salesforce source: ``SourceArgs`` whose ``salesforce-environment`` setting is
    ``environment``, ``production`` or ``sandbox``: the Salesforce the OAuth sign-in in
    Segment's app goes to, which must be right before the sign-in. A ``SourceArgs()`` given as
    the stack's ``salesforce`` is a production one."""

    def __init__(self, environment: str = "production", **fields: Any) -> None:
        given = fields.pop("settings", None)
        setting = {catalog.SALESFORCE_ENVIRONMENT: environment}
        settings: Any = (
            {**setting, **(given or {})}
            if given is None or isinstance(given, Mapping)
            else pulumi.Output.from_input(given).apply(lambda known: {**setting, **known})
        )
        super().__init__(settings=settings, **fields)
        # Kept as given: settings passed as an Output (say, secret) cannot be read at program
        # time, and the sign-in step must name the right Salesforce.
        self.environment = environment


def source_key(args: SourceArgs) -> str:
    """What names a source's child resource: its slug, else its catalog slug or id."""
    key = args.slug or args.catalog_slug or args.metadata_id
    if not key:
        raise ValueError("a source needs catalog_slug or metadata_id")
    if not isinstance(key, str):
        raise ValueError(
            "a source's slug, catalog_slug or metadata_id names its resource: give it as text, "
            "not an Output"
        )
    return key


def salesforce_environment(args: SourceArgs) -> str:
    """The environment the stack's Salesforce source signs in to (production unless told)."""
    if isinstance(args, SalesforceConfig):
        return args.environment
    settings = args.settings
    found = settings.get(catalog.SALESFORCE_ENVIRONMENT) if isinstance(settings, Mapping) else None
    return found if isinstance(found, str) else "production"


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


class PredictionConfig(PredictionArgs):
    """``PredictionArgs`` with the kind first: ``PredictionConfig("churn")`` (the component takes
    ``PredictionArgs``; this is how programs wrote a prediction before)."""

    def __init__(self, kind: PredictionKind, **fields: Any) -> None:
        super().__init__(kind=kind, **fields)


def prediction_name(args: PredictionArgs) -> str:
    """What names a prediction's child resource: its trait key if given, else its kind (the
    names stacks made before have)."""
    return str(args.trait_key or args.kind)


def prediction_key(args: PredictionArgs) -> str:
    """The trait a prediction writes: the one given, else the UI's default for its kind."""
    kind, key = args.kind, args.trait_key
    if not isinstance(kind, str) or not (key is None or isinstance(key, str)):
        raise ValueError("a prediction's kind and trait_key name its resource: give them as text")
    return key or DEFAULT_TRAIT_KEYS.get(kind, kind)


class AudienceConfig(AudienceArgs):
    """``AudienceArgs`` with the name and definition first:
    ``AudienceConfig("Frequent callers", trait("total_inbounds") >= 3)`` (the component takes
    ``AudienceArgs``; this is how programs wrote an audience before). ``key`` names its child
    resource, as it did (Segment derives the audience's own key from the name)."""

    def __init__(
        self,
        name: str,
        definition: str | Mapping[str, Any] | Condition,
        *,
        key: str | None = None,
        **fields: Any,
    ) -> None:
        super().__init__(name=name, definition=definition, **fields)
        self.resource_key = key


def audience_key(args: AudienceArgs) -> str:
    """What names an audience's child resource: an ``AudienceConfig``'s ``key``, else its name,
    lower case with ``-`` for the rest."""
    given = getattr(args, "resource_key", None)
    if isinstance(given, str) and given:
        return given
    if not isinstance(args.name, str):
        raise ValueError("an audience's name names its resource: give it as text, not an Output")
    return re.sub(r"[^a-z0-9]+", "-", args.name.lower()).strip("-")


def trait_key(args: ComputedTraitArgs) -> str:
    """A computed trait's key: the one declared, else the one Segment derives from its name."""
    key = args.key if args.key is not None else args.name
    if not isinstance(key, str):
        raise ValueError("a computed trait's name or key names its resource: give it as text")
    return key if args.key is not None else segment_key(key)


def query_of(definition: Any) -> str:
    """The query text of a trait's or an audience's definition ("" while it is an Output)."""
    if isinstance(definition, str):
        return definition
    if isinstance(definition, Mapping):
        return str(definition.get("query", ""))
    query = getattr(definition, "query", "")
    return query if isinstance(query, str) else ""


def default_sources() -> list[SourceArgs]:
    return [SourceArgs(catalog_slug="javascript")]


def default_predictions() -> list[PredictionArgs]:
    return [PredictionArgs(kind="churn"), PredictionArgs(kind="ltv")]


def unique_keys(keys: Iterable[str], what: str, change: str) -> list[str]:
    """``keys`` as given, or ``ValueError`` naming the first repeated or empty one; ``change``
    says what gives an entry another key."""
    seen: list[str] = []
    for key in keys:
        if not key:
            raise ValueError(f"{what}: every entry needs a non-empty key")
        if key in seen:
            # The key names the entry's resource: a new key on one the stack already made
            # replaces it (a delete in Segment), so the advice is to change the later entry.
            raise ValueError(
                f"{what}: two entries have the key {key!r}; change the later one ({change}), "
                "not the earlier: the key names an entry's resource, and a resource whose name "
                "changes is replaced"
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
    sources: Sequence[SourceArgs] = field(default_factory=default_sources)
    """Event and cloud-app sources (``SourceArgs``; ``space_id`` and a name are filled in); one
    ``javascript`` source by default."""
    salesforce: SourceArgs | None = None
    """The Salesforce source (``SalesforceConfig()``, ``SalesforceConfig(environment="sandbox")``;
    a ``SourceArgs()`` is a production one); connected to ``warehouse`` if any."""
    warehouse: WarehouseConfig | None = None
    """The warehouse the Reverse ETL models read; none, no Reverse ETL."""
    reverse_etl_models: Sequence[ReverseEtlModelConfig] | None = None
    """With a warehouse; default one model reading the Salesforce source's ``accounts`` table."""
    engage_space: pulumi.Input[str] | None = None
    """Send Identify's space write key, if the space's own cannot be found (see ``UnifySpace``)."""
    profiles_sync: ProfilesSyncConfig | None = None
    """Profiles Sync; ``ProfilesSyncConfig()`` syncs to ``warehouse``. None: off."""
    computed_traits: Sequence[ComputedTraitArgs] = FLEX_TRAITS
    """The computed traits to make (``ComputedTraitArgs``; the stack fills in ``space_id``); by
    default the six Twilio recommends for Flex (``FLEX_TRAITS``). ``()``: none."""
    predictions: Sequence[PredictionArgs] = field(default_factory=default_predictions)
    """Predictions made in Segment's app to adopt (``PredictionArgs``; the stack fills in
    ``space_id``); churn and LTV by default."""
    audiences: Sequence[AudienceArgs] = ()
    """Audiences to make (``AudienceArgs``; the stack fills in ``space_id``); none by default."""
    protect: bool = False
    """Protect what holds data (space, sources, warehouses, traits, audiences): production."""
    wait_for_space: bool = True
    """Leave out (and list in ``pendingSteps``) the traits, predictions and audiences the space
    cannot have yet, so a fresh space's first ``up`` succeeds; False declares them all, and
    each fails naming the step to take."""


def check_args(args: UnifiedProfilesStackArgs) -> Sequence[ReverseEtlModelConfig]:
    """Fail on inconsistent args before anything is registered; the models to make."""
    unique_keys([source_key(source) for source in args.sources], "sources", "give it a slug")
    unique_keys(
        [trait_key(trait) for trait in args.computed_traits],
        "computed_traits",
        "another name: Segment derives a trait's key from it",
    )
    for keyed in (prediction_key, prediction_name):
        unique_keys([keyed(p) for p in args.predictions], "predictions", "give it a trait_key")
    unique_keys(
        [audience_key(audience) for audience in args.audiences],
        "audiences",
        "another name, or AudienceConfig(key=...)",
    )
    if args.warehouse is not None:
        args.warehouse.reverse_etl_catalog_slug()
    if args.profiles_sync is not None and (args.profiles_sync.warehouse or args.warehouse) is None:
        raise ValueError(
            "profiles_sync needs a warehouse: give ProfilesSyncConfig(warehouse=...) or the "
            "stack's warehouse"
        )
    models = _models_of(args)
    unique_keys([config.key for config in models], "reverse_etl_models", "give it a key")
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
