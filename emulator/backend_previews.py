"""Audience previews (`CreateAudiencePreview`, `GetAudiencePreview`), served from the same
evaluation as the profiles' audience membership.

Segment computes a preview asynchronously (`RUNNING`, then `COMPLETED` or `FAILED` with a
`failureReason`); here it is computed when made, so the first `GetAudiencePreview` answers
`COMPLETED`. The members are the space's `users` profiles for which the definition holds now
and that carry at least one of `options.filterByExternalIds` (Segment's default:
`user_id`, `email`, `android.idfa`, `ios.idfa`). `size.count` counts them all; `results` lists
the first 100 (**chosen**) as `{id, idProperty, relationshipSlug, properties,
profilesTruncated}`, with the profile's Segment id, its identifiers and traits as properties.
A definition the parser refuses, or one that needs what the emulator does not hold (`ANY`/`ALL`
with no accounts collection, `entity` with no Data Graph), gives `FAILED` with the reason.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from segment_unify.provider.query.errors import QueryError
from segment_unify.provider.query.evaluation import evaluate
from segment_unify.provider.query.parser import parse

from .backend_computations import check_query
from .backend_profile_api import ProfileApiMixin
from .catalog import JsonObject
from .ids import UNIFY_ID_LENGTH, new_id
from .inputs import CreateAudiencePreviewInput
from .records import AudiencePreviewRecord, ProfileRecord, WorkspaceRecord

DEFAULT_REQUIRED_IDS = ["user_id", "email", "android.idfa", "ios.idfa"]
MAX_RESULTS = 100


class AudiencePreviewsMixin(ProfileApiMixin):
    def create_audience_preview(
        self, workspace: WorkspaceRecord, space_id: str, body: CreateAudiencePreviewInput
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        check_query(body.definition.query)
        options = body.options.model_dump(by_alias=True, exclude_none=True) if body.options else {}
        options.setdefault("filterByExternalIds", list(DEFAULT_REQUIRED_IDS))
        options.setdefault("includeHistoricalData", True)
        preview: JsonObject = {
            "id": new_id(UNIFY_ID_LENGTH, prefix="aud_prev_"),
            "audienceType": body.audience_type,
            "definition": {"query": body.definition.query},
            "options": options,
        }
        preview.update(self._members(workspace, space_id, body, options["filterByExternalIds"]))
        with self.store.lock:
            self.store.put(
                AudiencePreviewRecord(
                    id=preview["id"],
                    workspace_id=workspace.id,
                    space_id=space.id,
                    preview=preview,
                )
            )
        return {"audiencePreview": {"id": preview["id"]}}

    def get_audience_preview(
        self, workspace: WorkspaceRecord, space_id: str, preview_id: str
    ) -> JsonObject:
        record = self.in_space(AudiencePreviewRecord, workspace, space_id, preview_id)
        return {"audiencePreview": record.preview}

    def _members(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        body: CreateAudiencePreviewInput,
        required: list[str],
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        size_type = "ACCOUNTS" if body.audience_type == "ACCOUNTS" else "USERS"
        try:
            query = parse(body.definition.query)
        except QueryError as error:
            return _failed(f"The definition is not a valid query: {error}")
        moment = datetime.now(timezone.utc)
        members: list[ProfileRecord] = []
        grouped = self.messages_by_profile(space)
        try:
            for profile in self.store.list(ProfileRecord, workspace.id, space.id):
                if profile.collection != "users":
                    continue
                if not any(ext["type"] in required for ext in profile.external_ids):
                    continue
                messages = grouped.get(profile.segment_id, [])
                traits = profile.traits | self.computed_values(space, profile, moment, messages)
                if evaluate(query, messages, moment, traits) is True:
                    members.append(profile)
        except QueryError as error:
            return _failed(f"The definition cannot be computed here: {error}")
        return {
            "status": "COMPLETED",
            "results": [_result(profile) for profile in members[:MAX_RESULTS]],
            "size": {"count": len(members), "type": size_type},
        }


def _result(profile: ProfileRecord) -> JsonObject:
    properties: dict[str, Any] = {ext["type"]: ext["id"] for ext in profile.external_ids}
    properties.update(profile.traits)
    return {
        "id": profile.segment_id,
        "idProperty": "segment_id",
        "relationshipSlug": "profile",
        "properties": properties,
        "profilesTruncated": False,
    }


def _failed(reason: str) -> JsonObject:
    return {"status": "FAILED", "failureReason": reason}
