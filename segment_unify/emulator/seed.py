"""The seed document: what Segment's Public API cannot create, given to the emulator.

Workspaces with their Public API tokens, Unify spaces with their Profile API tokens and the
`personas-compute` source write key, event sources with their write keys and the spaces they
are connected to, predictions (stored as traits of kind churn, ltv or
custom), events and traits seen in a space, and profiles with traits and external ids.
Loaded from YAML or JSON (`load_seed`), applied by `Backend.apply_seed`, idempotently:
objects are matched by slug, name or key, so applying the same seed twice (or on restart
over the same database) changes nothing. Keys are camelCase; snake_case is accepted too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class SeedModel(BaseModel):
    # The docstrings under fields are their descriptions, which the docs' seed page shows.
    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        use_attribute_docstrings=True,
    )


class SeedExternalId(SeedModel):
    """One identifier of a profile."""

    type: str
    """Segment's identifier type: ``user_id``, ``email``, ``anonymous_id``, ``phone``..."""
    id: str
    """The identifier's value."""


class SeedProfile(SeedModel):
    """A profile the Profile API serves before any event arrives."""

    collection: Literal["users", "accounts"] = "users"
    segment_id: str | None = None
    """Its Segment id; derived from the space and the profile when left out."""
    external_ids: list[SeedExternalId] = Field(default_factory=list)
    traits: dict[str, Any] = Field(default_factory=dict)


class SeedPrediction(SeedModel):
    """A prediction as Unify exposes it: a trait on profiles, made in the UI only."""

    trait: str
    """The trait key the prediction writes (``likelihood_to_churn``), which ``Prediction``
    adopts."""
    kind: Literal["churn", "ltv", "custom"]
    name: str | None = None
    samples: list[str] | None = None


class SeedEvent(SeedModel):
    """An event the space has seen: computed traits and audiences may read only those."""

    name: str
    type: Literal["ALIAS", "GROUP", "IDENTIFY", "PAGE", "SCREEN", "TRACK"] = "TRACK"
    # Property name -> sample values, as messages carrying them would leave them.
    properties: dict[str, list[str]] = Field(default_factory=dict)


class SeedTrait(SeedModel):
    """A trait the space lists (``GET /spaces/{id}/traits``)."""

    trait: str
    type: Literal["AUDIENCE", "COMPUTED", "CUSTOM", "SQL"] = "CUSTOM"
    samples: list[str] | None = None


class SeedSource(SeedModel):
    """An event source as made in Segment's app, with the write key its libraries send with."""

    slug: str
    name: str | None = None
    catalog: str = "javascript"
    """The catalog slug of the source's kind."""
    write_key: str | None = None
    """What its libraries send with (Tracking API); made up when left out."""


class SeedSpace(SeedModel):
    """A Unify space (Segment's app makes these, never its Public API)."""

    slug: str
    name: str
    id: str | None = None
    """Made up when left out."""
    profile_api_token: str
    """The space's Profile API token (fake: only the emulator takes it)."""
    write_key: str | None = None
    """The write key of the space's ``personas-compute`` source; made up when left out."""
    predictions: list[SeedPrediction] = Field(default_factory=list)
    events: list[SeedEvent] = Field(default_factory=list)
    traits: list[SeedTrait] = Field(default_factory=list)
    profiles: list[SeedProfile] = Field(default_factory=list)
    connected_sources: list[str] = Field(default_factory=list)
    """Slugs of the workspace's sources whose events reach the space (Unify > Connections)."""


class SeedWorkspace(SeedModel):
    """A workspace and the Public API token that reaches it."""

    slug: str
    name: str
    id: str | None = None
    """Made up when left out."""
    token: str
    """Its Public API token (fake: only the emulator takes it; stored as a digest)."""
    sources: list[SeedSource] = Field(default_factory=list)
    spaces: list[SeedSpace] = Field(default_factory=list)


class SeedDocument(SeedModel):
    """The whole seed file."""

    workspaces: list[SeedWorkspace] = Field(default_factory=list)

    def tokens(self) -> dict[str, str]:
        """Workspace slug -> Public API token."""
        return {workspace.slug: workspace.token for workspace in self.workspaces}


def load_seed(source: str | Path | dict[str, Any] | SeedDocument) -> SeedDocument:
    """A seed from a document, a mapping, or a YAML/JSON file path."""
    if isinstance(source, SeedDocument):
        return source
    if isinstance(source, dict):
        return SeedDocument.model_validate(source)
    data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    return SeedDocument.model_validate(data or {})
