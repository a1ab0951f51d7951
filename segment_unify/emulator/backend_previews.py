"""Audience previews (`CreateAudiencePreview`, `GetAudiencePreview`), served from the same
evaluation as the profiles' audience membership.

Segment computes a preview asynchronously (`RUNNING`, then `COMPLETED` or `FAILED` with a
`failureReason`); here it is computed when made, so the first `GetAudiencePreview` answers
`COMPLETED`. The members are the space's `users` profiles for which the definition holds now
and that carry at least one of `options.filterByExternalIds` (Segment's default:
`user_id`, `email`, `android.idfa`, `ios.idfa`). `size.count` counts them all; `results` lists
the first 100 (**chosen**) as `{id, idProperty, relationshipSlug, properties,
profilesTruncated}`, with the profile's Segment id, its identifiers and traits as properties.
An `ACCOUNTS` preview's members are accounts: the `groupId`s of its users' group calls, with
`ANY`/`ALL` over those users and the group calls' traits as the account's (the accounts
collection itself is not emulated). A definition the parser refuses, or one that needs what the
emulator does not hold (`entity`: no Data Graph), gives `FAILED` with the reason.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from segment_unify.query.errors import QueryError
from segment_unify.query.evaluation import Member, evaluate
from segment_unify.query.parsed import Query
from segment_unify.query.parser import parse

from .backend_computations import check_query
from .backend_profile_api import ProfileApiMixin
from .catalog import JsonObject
from .ids import UNIFY_ID_LENGTH, new_id
from .inputs import CreateAudiencePreviewInput
from .records import AudiencePreviewRecord, AudienceRecord, ProfileRecord, WorkspaceRecord

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

    def audience_size(self, audience: AudienceRecord) -> JsonObject | None:
        """The `users` profiles the audience holds now (the same evaluation as its trait);
        an `ACCOUNTS` audience's size is not computed (None: left out, as Segment may)."""
        if audience.audience_type != "USERS":
            return None
        space = self._known_space(audience.space_id)
        grouped = self.messages_by_profile(space)
        count = sum(
            1
            for profile in self.store.list(ProfileRecord, space.workspace_id, space.id)
            if profile.collection == "users"
            and self.computed_values(
                space, profile, messages=grouped.get(profile.segment_id, [])
            ).get(audience.key)
            is True
        )
        return {"count": count, "type": "USERS"}

    def _members(
        self,
        workspace: WorkspaceRecord,
        space_id: str,
        body: CreateAudiencePreviewInput,
        required: list[str],
    ) -> JsonObject:
        space = self.space(workspace, space_id)
        try:
            query = parse(body.definition.query)
        except QueryError as error:
            return _failed(f"The definition is not a valid query: {error}")
        moment = datetime.now(timezone.utc)
        grouped = self.messages_by_profile(space)
        users: list[tuple[ProfileRecord, list[dict[str, Any]], dict[str, Any]]] = []
        for profile in self.store.list(ProfileRecord, workspace.id, space.id):
            if profile.collection != "users":
                continue
            messages = grouped.get(profile.segment_id, [])
            computed = self.computed_values(space, profile, moment, messages)
            users.append((profile, messages, profile.traits | computed))
        try:
            if body.audience_type == "ACCOUNTS":
                results = _account_members(query, users, self.account_links(space), moment)
            else:
                results = [
                    _result(profile, traits)
                    for profile, messages, traits in users
                    if any(ext["type"] in required for ext in profile.external_ids)
                    and evaluate(query, messages, moment, traits) is True
                ]
        except QueryError as error:
            return _failed(f"The definition cannot be computed here: {error}")
        size_type = "ACCOUNTS" if body.audience_type == "ACCOUNTS" else "USERS"
        return {
            "status": "COMPLETED",
            "results": results[:MAX_RESULTS],
            "size": {"count": len(results), "type": size_type},
        }


def _account_members(
    query: Query,
    users: list[tuple[ProfileRecord, list[dict[str, Any]], dict[str, Any]]],
    links: dict[str, list[tuple[ProfileRecord, dict[str, Any]]]],
    moment: datetime,
) -> list[JsonObject]:
    """Accounts (the `groupId` of its users' group calls) for which ``query`` holds: ``ANY``
    and ``ALL`` over the account's users; the account's own traits are its group calls'
    traits and its events those group calls."""
    by_profile = {profile.segment_id: (messages, traits) for profile, messages, traits in users}
    members = []
    for group, linked in links.items():
        people, events, account_traits = [], [], {}
        for profile, _ in linked:
            messages, traits = by_profile.get(profile.segment_id, ([], {}))
            people.append(Member(messages, traits))
            for message in messages:
                if message.get("type") == "group" and str(message.get("groupId")) == group:
                    events.append(message)
                    if isinstance(message.get("traits"), dict):
                        account_traits.update(message["traits"])
        if evaluate(query, events, moment, account_traits, users=people) is True:
            members.append(
                {
                    "id": group,
                    "idProperty": "group_id",
                    "relationshipSlug": "account",
                    "properties": {"group_id": group, **account_traits},
                    "profilesTruncated": False,
                }
            )
    return members


def _result(profile: ProfileRecord, traits: dict[str, Any]) -> JsonObject:
    properties: dict[str, Any] = {ext["type"]: ext["id"] for ext in profile.external_ids}
    properties.update(traits)
    return {
        "id": profile.segment_id,
        "idProperty": "segment_id",
        "relationshipSlug": "profile",
        "properties": properties,
        "profilesTruncated": False,
    }


def _failed(reason: str) -> JsonObject:
    return {"status": "FAILED", "failureReason": reason}
