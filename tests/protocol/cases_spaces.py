"""Lifecycle cases of the Unify space family: the space and its Profile API token (adopted),
computed traits and audiences (created), predictions (adopted).

Everything here runs on the seed the ``emulator`` fixture loads (``examples/seed.yaml``): its
two spaces of the first workspace, their tokens, predictions and the Flex events seen in them.
What Segment's Public API cannot change (a space or a prediction removed in the app, a token
revoked) is changed out of band by re-seeding the emulator with an edited copy of that seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import yaml

from segment_unify.emulator.seed import load_seed
from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait, TraitOptions
from segment_unify.provider.resources.prediction import Prediction
from segment_unify.provider.resources.profile_api_token import ProfileApiToken
from segment_unify.provider.resources.unify_space import UnifySpace
from tests.conftest import SEED_PATH
from tests.protocol.cases import Case, delete_path, props_of
from tests.support.engine import Engine

SEED = load_seed(SEED_PATH)
WORKSPACE = SEED.workspaces[0]
DEV, PROD = WORKSPACE.spaces[0], WORKSPACE.spaces[1]
ROTATED_TOKEN = "pat_FAKE_emulator_rotated_dev_token_0000000"

INBOUND_COUNT = (
    "event('Flex - Engagement Initiated').where(property('direction') = 'Inbound').count()"
)
FREQUENT_CALLERS = "event('Flex - Engagement Initiated').within(30 days).count() >= 3"


def space_id(engine: Engine, slug: str) -> str:
    """Adopt the seeded space ``slug`` (a prerequisite) and return its id."""
    space = engine.up(
        UnifySpace.type_token(), f"space-{slug}", props_of(UnifySpace, slug, slug=slug)
    )
    return space.id


# -- out-of-band changes Segment's Public API cannot make ----------------------------------


def reseed(emulator: Any, edit: Callable[[dict[str, Any]], None]) -> None:
    """Empty the emulator and seed it again with an edited seed, keeping ids and write keys."""
    document: dict[str, Any] = yaml.safe_load(SEED_PATH.read_text(encoding="utf-8"))
    stored = {w["slug"]: w for w in emulator.state()["workspaces"]}
    for workspace in document["workspaces"]:
        objects = stored[workspace["slug"]]["objects"]
        workspace["id"] = stored[workspace["slug"]]["id"]
        spaces = {s["slug"]: s for s in objects["space"]}
        sources = {s["id"]: s for s in objects["source"]}
        for space in workspace["spaces"]:
            space["id"] = spaces[space["slug"]]["id"]
            space["writeKey"] = sources[spaces[space["slug"]]["sourceId"]]["writeKeys"][0]
    edit(document)
    emulator.reset(reseed=False)
    emulator.seed(document)


def _spaces(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [space for workspace in document["workspaces"] for space in workspace["spaces"]]


def remove_space(http: httpx.Client, emulator: Any, id_: str, outs: dict[str, Any]) -> None:
    def edit(document: dict[str, Any]) -> None:
        for workspace in document["workspaces"]:
            workspace["spaces"] = [s for s in workspace["spaces"] if s["id"] != id_]

    reseed(emulator, edit)


def revoke_token(http: httpx.Client, emulator: Any, id_: str, outs: dict[str, Any]) -> None:
    def edit(document: dict[str, Any]) -> None:
        for space in _spaces(document):
            if space["id"] == outs["space_id"]:
                space["profileApiToken"] = "pat_FAKE_emulator_after_revocation_000000000"

    reseed(emulator, edit)


def remove_prediction(http: httpx.Client, emulator: Any, id_: str, outs: dict[str, Any]) -> None:
    def edit(document: dict[str, Any]) -> None:
        for space in _spaces(document):
            if space["id"] == outs["space_id"]:
                space["predictions"] = [
                    p for p in space["predictions"] if p["trait"] != outs["trait_key"]
                ]

    reseed(emulator, edit)


def add_rotated_token(emulator: Any) -> None:
    """A second token of the dev space, as if a person generated one more in the app."""
    emulator.seed(
        {
            "workspaces": [
                {
                    "slug": WORKSPACE.slug,
                    "name": WORKSPACE.name,
                    "token": WORKSPACE.token,
                    "spaces": [
                        {"slug": DEV.slug, "name": DEV.name, "profileApiToken": ROTATED_TOKEN}
                    ],
                }
            ]
        }
    )


# -- counts for lost-response tests --------------------------------------------------------


def _count_named(collection: str, key: str) -> Callable[[httpx.Client, dict[str, Any]], int]:
    def count(http: httpx.Client, outs: dict[str, Any]) -> int:
        path = f"/spaces/{outs['space_id']}/{collection}"
        items = http.get(path, params={"pagination.count": 1000}).json()["data"][key]
        return sum(1 for item in items if item["name"] == outs["name"])

    return count


CASES: list[Case] = [
    Case(
        cls=UnifySpace,
        args=lambda engine: {"slug": DEV.slug},
        update={},
        replace={"slug": PROD.slug},
        delete_out_of_band=remove_space,
        bad=[({"slug": "Not A Slug"}, "slug"), ({"slug": 42}, "slug")],
        creates=False,
        gone_message="Unify > Create Space",
    ),
    Case(
        cls=ProfileApiToken,
        args=lambda engine: {
            "space_id": space_id(engine, DEV.slug),
            "token": DEV.profile_api_token,
        },
        update={"token": ROTATED_TOKEN},
        replace=lambda engine: {
            "space_id": space_id(engine, PROD.slug),
            "token": PROD.profile_api_token,
        },
        delete_out_of_band=revoke_token,
        bad=[({"token": ""}, "token"), ({"space_id": "no/slash"}, "space_id")],
        creates=False,
        gone_message="Unify > Unify settings > API access",
        write_only=("token",),
        prepare=add_rotated_token,
    ),
    Case(
        cls=ComputedTrait,
        args=lambda engine: {
            "space_id": space_id(engine, DEV.slug),
            "name": "Total Inbounds",
            "description": "Inbound Flex engagements",
            "definition": {"type": "USERS", "query": INBOUND_COUNT},
        },
        # A rename that keeps the key is an update; one that changes it replaces the trait.
        update={"name": "Total inbounds", "enabled": False},
        # Segment cannot change a trait's options in place.
        replace={"options": TraitOptions(include_historical_data=True, backfill_days=30)},
        delete_out_of_band=delete_path("/spaces/{0}/computed-traits/{1}"),
        bad=[
            ({"definition": FREQUENT_CALLERS}, "definition.query"),
            ({"definition": "event('Flex - Engagement Initiated'.count()"}, "definition.query"),
            ({"definition": {"type": "GROUPS", "query": INBOUND_COUNT}}, "definition.type"),
            ({"name": "!!"}, "name"),
            ({"options": {"backfill_duration_days": 0}}, "options.backfill_duration_days"),
            ({"space_id": ""}, "space_id"),
        ],
        count_in_segment=_count_named("computed-traits", "computedTraits"),
    ),
    Case(
        cls=Audience,
        args=lambda engine: {
            "space_id": space_id(engine, DEV.slug),
            "name": "Frequent Callers",
            "definition": {"query": FREQUENT_CALLERS},
            "audience_type": "USERS",
        },
        update={"description": "Three or more engagements in 30 days", "enabled": False},
        replace={"audience_type": "ACCOUNTS"},
        delete_out_of_band=delete_path("/spaces/{0}/audiences/{1}"),
        bad=[
            ({"definition": INBOUND_COUNT}, "definition.query"),
            ({"definition": "ANY " + FREQUENT_CALLERS}, "definition.query"),
            ({"audience_type": "GROUPS"}, "audience_type"),
            (
                {"definition": {"query": FREQUENT_CALLERS, "target_entity": "accounts"}},
                "definition.target_entity",
            ),
        ],
        count_in_segment=_count_named("audiences", "audiences"),
    ),
    Case(
        cls=Prediction,
        args=lambda engine: {"space_id": space_id(engine, DEV.slug), "kind": "churn"},
        update={},
        replace={"kind": "ltv"},
        delete_out_of_band=remove_prediction,
        bad=[
            ({"kind": "soon"}, "kind"),
            ({"kind": "custom"}, "trait_key"),
            ({"trait_key": "Not A Key"}, "trait_key"),
        ],
        creates=False,
        gone_message="Unify > Predictions",
    ),
]
