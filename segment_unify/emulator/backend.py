"""The emulator's backend: one object holding all state and rules, keyed by workspace.

`Backend` combines the families (connections, activations, spaces, Profile API) over one
`Store` and the catalog, and adds what only the control plane does: applying seeds,
resetting, dumping state. Handlers stay thin: they parse the request and call one method.
"""

from __future__ import annotations

from typing import Any

from .backend_computations import ComputationsMixin
from .backend_connections import ConnectionsMixin
from .backend_metrics import MetricsMixin
from .backend_reverse_etl import ReverseEtlMixin
from .backend_spaces import SpacesMixin
from .catalog import Catalog, JsonObject, load_catalog
from .edit_locks import EditLocks
from .errors import NotFound
from .ids import OBJECT_ID_LENGTH, UNIFY_ID_LENGTH, digest, new_id, new_write_key, now_iso
from .records import (
    ALL_RECORDS,
    RECORDS_BY_KIND,
    EventRecord,
    ProfileRecord,
    SourceRecord,
    SpaceRecord,
    TraitRecord,
    WorkspaceRecord,
)
from .seed import SeedDocument, SeedProfile, SeedSpace, SeedWorkspace
from .store import Store

_PRIVATE_FIELDS = ("tokenDigests", "profileTokenDigests")


class Backend(
    ReverseEtlMixin,
    ConnectionsMixin,
    SpacesMixin,
    ComputationsMixin,
    MetricsMixin,
):
    def __init__(self, store: Store, catalog: Catalog | None = None) -> None:
        super().__init__(store, catalog or load_catalog())
        self.startup_seeds: list[SeedDocument] = []
        self.edit_locks = EditLocks()

    # -- seeding ------------------------------------------------------------------------
    def apply_seed(self, seed: SeedDocument) -> list[JsonObject]:
        """Create what the seed names and is missing; returns the workspaces' ids and slugs."""
        applied = []
        with self.store.lock:
            for seed_workspace in seed.workspaces:
                workspace = self._seed_workspace(seed_workspace)
                self.seed_sources(workspace, seed_workspace.sources)
                for seed_space in seed_workspace.spaces:
                    space = self._seed_space(workspace, seed_space)
                    self.seed_connections(space, seed_space.connected_sources)
                applied.append({"id": workspace.id, "slug": workspace.slug})
        return applied

    def _seed_workspace(self, seed: SeedWorkspace) -> WorkspaceRecord:
        token_digest = digest(seed.token)
        for workspace in self.store.list(WorkspaceRecord):
            if workspace.slug == seed.slug:
                if token_digest not in workspace.token_digests:
                    workspace.token_digests.append(token_digest)
                    self.store.put(workspace)
                return workspace
        workspace = WorkspaceRecord(
            id=seed.id or new_id(),
            workspace_id="",
            slug=seed.slug,
            name=seed.name,
            token_digests=[token_digest],
            user_id=new_id(),
        )
        workspace.workspace_id = workspace.id
        self.store.put(workspace)
        return workspace

    def _seed_space(self, workspace: WorkspaceRecord, seed: SeedSpace) -> SpaceRecord:
        token_digest = digest(seed.profile_api_token)
        space = next(
            (s for s in self.store.list(SpaceRecord, workspace.id) if s.slug == seed.slug), None
        )
        if space is None:
            space_id = seed.id or new_id(OBJECT_ID_LENGTH, prefix="spa_")
            source = SourceRecord(
                id=new_id(),
                workspace_id=workspace.id,
                slug=f"personas_{seed.slug}".replace("-", "_"),
                name=f"{seed.name} (Unify)",
                metadata_id=self.catalog.source_id_by_slug("personas-compute"),
                enabled=True,
                write_keys=[seed.write_key or new_write_key()],
                settings={},
                labels=[],
                space_id=space_id,
            )
            self.store.put(source)
            space = SpaceRecord(
                id=space_id,
                workspace_id=workspace.id,
                slug=seed.slug,
                name=seed.name,
                profile_token_digests=[token_digest],
                source_id=source.id,
            )
        elif token_digest not in space.profile_token_digests:
            space.profile_token_digests.append(token_digest)
        self.store.put(space)
        self._seed_space_contents(workspace, space, seed)
        return space

    def _seed_space_contents(
        self, workspace: WorkspaceRecord, space: SpaceRecord, seed: SeedSpace
    ) -> None:
        now = now_iso()
        owner = {"workspace_id": workspace.id, "space_id": space.id}
        for event in seed.events:
            record_id = f"{space.id}:{event.name}"
            if self.store.get(EventRecord, record_id) is None:
                self.store.put(
                    EventRecord(
                        id=record_id,
                        name=event.name,
                        type=event.type,
                        last_seen_at=now,
                        properties={k: list(v) for k, v in event.properties.items()},
                        **owner,
                    )
                )
        traits: list[tuple[str, str, str | None, list[str] | None]]
        traits = [(t.trait, t.type, None, t.samples) for t in seed.traits]
        traits += [(p.trait, "COMPUTED", p.kind, p.samples) for p in seed.predictions]
        for profile in seed.profiles:
            traits += [(key, "CUSTOM", None, None) for key in profile.traits]
        for trait, trait_type, prediction, samples in traits:
            record_id = f"{space.id}:{trait}"
            if self.store.get(TraitRecord, record_id) is None:
                self.store.put(
                    TraitRecord(
                        id=record_id,
                        trait=trait,
                        type=trait_type,
                        last_seen_at=now,
                        prediction=prediction,
                        samples=samples,
                        **owner,
                    )
                )
        for seed_profile in seed.profiles:
            segment_id = seed_profile.segment_id or _derived_segment_id(space.id, seed_profile)
            record_id = f"{space.id}:{segment_id}"
            if self.store.get(ProfileRecord, record_id) is None:
                stored = ProfileRecord(
                    id=record_id,
                    collection=seed_profile.collection,
                    segment_id=segment_id,
                    traits=dict(seed_profile.traits),
                    external_ids=[e.model_dump() for e in seed_profile.external_ids],
                    created_at=now,
                    updated_at=now,
                    **owner,
                )
                self.store.put(stored)
                self.index_profile(stored)

    # -- control plane ------------------------------------------------------------------
    def reset(self, reseed: bool = True) -> None:
        self.edit_locks.clear()
        with self.store.lock:
            self.store.clear()
            self.dropped_messages.clear()
            if reseed:
                for seed in self.startup_seeds:
                    self.apply_seed(seed)

    def workspace_by_slug(self, slug: str) -> WorkspaceRecord:
        for workspace in self.store.list(WorkspaceRecord):
            if workspace.slug == slug:
                return workspace
        raise NotFound(f"No workspace with slug {slug}")

    def objects(self, workspace_slug: str, kind: str) -> list[dict[str, Any]]:
        """Stored records (unmasked) of one kind in one workspace."""
        cls = RECORDS_BY_KIND.get(kind)
        if cls is None or cls is WorkspaceRecord:
            raise NotFound(f"Unknown kind {kind}; known: {', '.join(sorted(RECORDS_BY_KIND))}")
        workspace = self.workspace_by_slug(workspace_slug)
        return [_public_document(r.document()) for r in self.store.list(cls, workspace.id)]

    def dump(self) -> JsonObject:
        workspaces = []
        for workspace in self.store.list(WorkspaceRecord):
            objects = {
                cls.KIND: [
                    _public_document(r.document()) for r in self.store.list(cls, workspace.id)
                ]
                for cls in ALL_RECORDS
                if cls is not WorkspaceRecord
            }
            workspaces.append(
                {
                    "id": workspace.id,
                    "slug": workspace.slug,
                    "name": workspace.name,
                    "objects": objects,
                }
            )
        return {"workspaces": workspaces}


def _derived_segment_id(space_id: str, profile: SeedProfile) -> str:
    """A stable Segment id for a seeded profile without one, so re-seeding matches it."""
    first = profile.external_ids[0] if profile.external_ids else None
    basis = f"{space_id}:{first.type}:{first.id}" if first else f"{space_id}:{profile.traits}"
    return "use_" + digest(basis)[:UNIFY_ID_LENGTH]


def _public_document(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in _PRIVATE_FIELDS}
