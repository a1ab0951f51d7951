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
    model_config = ConfigDict(
        extra="forbid", alias_generator=to_camel, validate_by_name=True, validate_by_alias=True
    )


class SeedExternalId(SeedModel):
    type: str
    id: str


class SeedProfile(SeedModel):
    collection: Literal["users", "accounts"] = "users"
    segment_id: str | None = None
    external_ids: list[SeedExternalId] = Field(default_factory=list)
    traits: dict[str, Any] = Field(default_factory=dict)


class SeedPrediction(SeedModel):
    """A prediction as Unify exposes it: a trait on profiles, made in the UI only."""

    trait: str
    kind: Literal["churn", "ltv", "custom"]
    name: str | None = None
    samples: list[str] | None = None


class SeedEvent(SeedModel):
    name: str
    type: Literal["ALIAS", "GROUP", "IDENTIFY", "PAGE", "SCREEN", "TRACK"] = "TRACK"
    # Property name -> sample values, as messages carrying them would leave them.
    properties: dict[str, list[str]] = Field(default_factory=dict)


class SeedTrait(SeedModel):
    trait: str
    type: Literal["AUDIENCE", "COMPUTED", "CUSTOM", "SQL"] = "CUSTOM"
    samples: list[str] | None = None


class SeedSource(SeedModel):
    """An event source as made in Segment's app, with the write key its libraries send with."""

    slug: str
    name: str | None = None
    catalog: str = "javascript"  # the catalog slug
    write_key: str | None = None


class SeedSpace(SeedModel):
    slug: str
    name: str
    id: str | None = None
    profile_api_token: str
    write_key: str | None = None
    predictions: list[SeedPrediction] = Field(default_factory=list)
    events: list[SeedEvent] = Field(default_factory=list)
    traits: list[SeedTrait] = Field(default_factory=list)
    profiles: list[SeedProfile] = Field(default_factory=list)
    # Slugs of the workspace's sources whose events reach the space (Unify > Connections).
    connected_sources: list[str] = Field(default_factory=list)


class SeedWorkspace(SeedModel):
    slug: str
    name: str
    id: str | None = None
    token: str
    sources: list[SeedSource] = Field(default_factory=list)
    spaces: list[SeedSpace] = Field(default_factory=list)


class SeedDocument(SeedModel):
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
