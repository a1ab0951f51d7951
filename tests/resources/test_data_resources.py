"""What the data-path resources do beyond the shared lifecycle: masked credentials, the
two-step Reverse ETL subscription, and the PATCH bodies Segment insists on.

Each test drives ``python -m pulumi.dynamic`` over gRPC against the seeded emulator, the way
``pulumi up`` does, and looks at Segment through its Public API or the emulator's request log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import grpc
import httpx
import pytest

from segment_unify.provider import catalog
from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.provider.resources.destination import Destination
from segment_unify.provider.resources.destination_subscription import DestinationSubscription
from segment_unify.provider.resources.profiles_warehouse import ProfilesWarehouse
from segment_unify.provider.resources.schedule import ReverseEtlSchedule
from segment_unify.provider.resources.send_identify import SendIdentifyMapping, literal
from segment_unify.provider.resources.source import Source
from segment_unify.provider.resources.warehouse import Warehouse
from tests.protocol.cases import props_of
from tests.protocol.cases_data import (
    DEV_SPACE,
    POSTGRES_SETTINGS,
    SNOWFLAKE_SETTINGS,
    model,
    retl_source,
    space,
    up,
)
from tests.protocol.cases_spaces import DEV, FREQUENT_CALLERS, INBOUND_COUNT, space_id
from tests.support.engine import Engine, ProviderProcess

pytestmark = pytest.mark.timeout(120)

MASK = "••••••••"


@pytest.fixture
def engine(emulator: Any) -> Iterator[Engine]:
    env = {"SEGMENT_PUBLIC_API_TOKEN": "", "SEGMENT_PUBLIC_API_URL": ""}
    with ProviderProcess({**env, "SEGMENT_PROFILE_API_URL": ""}) as proc:
        proc.configure({"segment:token": emulator.token, "segment:endpoint": emulator.url})
        yield Engine(proc)


@pytest.fixture
def segment(emulator: Any) -> Iterator[httpx.Client]:
    with emulator.client() as client:
        yield client


def _requests(emulator: Any, method: str, fragment: str) -> list[dict[str, Any]]:
    return [
        entry
        for entry in emulator.request_log()
        if entry["method"] == method and fragment in entry["path"]
    ]


# -- Source ------------------------------------------------------------------------------------


def test_source__created_without_a_name_then_named_by_a_patch(
    engine: Engine, emulator: Any, segment: httpx.Client
) -> None:
    """CreateSourceV1Input has no ``name``; Segment's Terraform provider names by PATCH too."""
    created = up(engine, Source, "site", catalog_slug="javascript", name="Marketing site")

    (post,) = _requests(emulator, "POST", "/sources")
    assert "name" not in post["body"]
    (patch,) = _requests(emulator, "PATCH", f"/sources/{created.id}")
    assert patch["body"] == {"name": "Marketing site"}
    assert created.outputs["name"] == "Marketing site"
    in_segment = segment.get(f"/sources/{created.id}").json()["data"]["source"]
    assert in_segment["name"] == "Marketing site"


# -- Audience ----------------------------------------------------------------------------------


def test_audience__an_update_sends_no_target_entity_and_a_new_one_replaces(
    engine: Engine, emulator: Any
) -> None:
    """UpdateAudienceForSpaceInput's definition has only the query (targetEntity is set when
    the audience is made), so an update sends the query alone and a new entity replaces."""
    args = {
        "space_id": space(engine, DEV_SPACE).outputs["space_id"],
        "name": "Big accounts",
        "audience_type": "LINKED",
    }
    query = "trait('predicted_ltv') > 100"  # a trait the space lists (a prediction)
    made = up(engine, Audience, "big", **args, definition={"query": query, "target_entity": "a"})
    up(engine, Audience, "big", **args, definition={"query": query + "0", "target_entity": "a"})
    assert engine.steps[-1] == ("update", made.urn)
    (patch,) = _requests(emulator, "PATCH", "/audiences/")
    assert patch["body"]["definition"] == {"query": query + "0"}

    up(engine, Audience, "big", **args, definition={"query": query, "target_entity": "b"})
    assert ("delete-replaced", made.urn) in engine.steps


# -- Computed traits and audiences: Segment's edit lock ------------------------------------------
# Segment locks an updated trait or audience until it has incorporated the change (its SDK says
# so); a second update soon after waits that out and then goes through.


@pytest.mark.parametrize(
    ("cls", "args", "fragment"),
    [
        (
            ComputedTrait,
            {"name": "Total Inbounds", "definition": {"type": "USERS", "query": INBOUND_COUNT}},
            "/computed-traits/",
        ),
        (
            Audience,
            {
                "name": "Frequent Callers",
                "definition": {"query": FREQUENT_CALLERS},
                "audience_type": "USERS",
            },
            "/audiences/",
        ),
    ],
    ids=["computed-trait", "audience"],
)
def test_a_second_update_waits_until_segment_has_incorporated_the_first(
    engine: Engine, emulator: Any, cls: Any, args: dict[str, Any], fragment: str
) -> None:
    args = {"space_id": space_id(engine, DEV.slug), **args}

    def up(description: str) -> Any:
        props = props_of(cls, "locked", **args, description=description)
        return engine.up(cls.type_token(), "locked", props)

    made = up("first")
    up("second")
    up("third")

    assert engine.steps[-1] == ("update", made.urn)
    statuses = [
        (e["body"]["description"], e["status"])
        for e in emulator.request_log()
        if e["method"] == "PATCH" and fragment in e["path"]
    ]
    assert statuses[0] == ("second", 200)
    assert ("third", 422) in statuses
    assert statuses[-1] == ("third", 200)
    # The wait is told as it starts (pulumi.log, which the CLI shows), naming the object.
    told = f"{cls._segment_provider.kind} {args['name']!r} (resource 'locked'): locked by Segment"
    assert told in engine.provider.close()


# -- Warehouse ---------------------------------------------------------------------------------


def test_warehouse__credentials_segment_omits_stay_as_written_in_state(
    engine: Engine, segment: httpx.Client
) -> None:
    """Segment leaves a warehouse's password out of its answers: refresh keeps ours."""
    created = up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)
    in_segment = segment.get(f"/warehouses/{created.id}").json()["data"]["warehouse"]
    assert "password" not in in_segment["settings"]

    refreshed = engine.refresh(created.urn)

    assert refreshed is not None
    assert refreshed.outputs["settings"]["password"] == POSTGRES_SETTINGS["password"]
    assert refreshed.outputs["name"] == created.outputs["name"]
    # The refreshed state is no difference: the next up changes nothing.
    up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)
    assert engine.steps[-1] == ("same", created.urn)


def test_warehouse__renaming_sends_the_settings_segment_requires_and_keeps_the_password(
    engine: Engine, emulator: Any
) -> None:
    up(engine, Warehouse, "dw", catalog_slug="postgres", settings=POSTGRES_SETTINGS)
    emulator.clear_request_log()

    up(engine, Warehouse, "dw", name="Renamed", catalog_slug="postgres", settings=POSTGRES_SETTINGS)

    [patch] = _requests(emulator, "PATCH", "/warehouses/")
    assert patch["body"] == {"settings": POSTGRES_SETTINGS, "name": "Renamed"}
    [stored] = emulator.objects("acme-contact-center", "warehouse")
    assert stored["settings"]["password"] == POSTGRES_SETTINGS["password"]
    assert stored["settings"]["name"] == "Renamed"


def test_profiles_warehouse__disabling_sends_settings_too(engine: Engine, emulator: Any) -> None:
    args = {
        "space_id": space(engine, DEV_SPACE).id,
        "catalog_slug": "snowflake",
        "settings": SNOWFLAKE_SETTINGS,
    }
    up(engine, ProfilesWarehouse, "sync", **args)
    emulator.clear_request_log()

    updated = up(engine, ProfilesWarehouse, "sync", **args, enabled=False)

    [patch] = _requests(emulator, "PATCH", "/profiles-warehouses/")
    assert patch["body"] == {"settings": SNOWFLAKE_SETTINGS, "enabled": False}
    assert updated.outputs["enabled"] is False
    assert updated.outputs["settings"] == SNOWFLAKE_SETTINGS


# -- DestinationSubscription -------------------------------------------------------------------


def _retl_setup(engine: Engine) -> dict[str, Any]:
    source_id = retl_source(engine)
    destination = up(
        engine,
        Destination,
        "profiles",
        source_id=source_id,
        catalog_slug="actions-segment-profiles",
    )
    return {
        "destination_id": destination.id,
        "model_id": model(engine, source_id),
        "write_key": space(engine, DEV_SPACE).outputs["write_key"],
    }


def _send_identify(write_key: str) -> SendIdentifyMapping:
    return SendIdentifyMapping(
        engage_space=write_key,
        user_id="user_id",
        anonymous_id="anonymous_id",
        traits={"email": "context_traits_email", "performed_order_completed": literal("yes")},
        timestamp="timestamp",
    )


def _subscribe(engine: Engine, setup: dict[str, Any], **kwargs: Any) -> Any:
    args = {
        "destination_id": setup["destination_id"],
        "model_id": setup["model_id"],
        "mapping": _send_identify(setup["write_key"]),
        "schedule": ReverseEtlSchedule.periodic("1h"),
        **kwargs,
    }
    cls = DestinationSubscription
    return engine.up(cls.type_token(), "identify", props_of(cls, "identify", **args))


def test_send_identify__segment_holds_the_documented_retl_subscription(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    setup = _retl_setup(engine)
    emulator.clear_request_log()

    created = _subscribe(engine, setup)

    destination_id, subscription_id = created.id.split("/")
    path = f"/destinations/{destination_id}/subscriptions/{subscription_id}"
    held = segment.get(path).json()["data"]["subscription"]
    assert held["actionId"] == catalog.SEND_IDENTIFY_ACTION
    assert held["modelId"] == setup["model_id"]
    assert held["trigger"] == 'event = "new" or event = "updated"'
    assert held["reverseETLSchedule"] == {"strategy": "PERIODIC", "config": {"interval": "1h"}}
    assert held["settings"] == {
        "engage_space": setup["write_key"],
        "user_id": {"@path": "$.properties.user_id"},
        "anonymous_id": {"@path": "$.properties.anonymous_id"},
        "traits": {
            "email": {"@path": "$.properties.context_traits_email"},
            "performed_order_completed": "yes",
        },
        "timestamp": {"@path": "$.properties.timestamp"},
        "message_id": {"@path": "$.messageId"},
        "consent": {"@path": "$.context.consent"},
    }
    writes = [e["method"] for e in emulator.request_log() if e["method"] != "GET"]
    assert writes == ["POST", "PATCH"]
    assert created.outputs["settings"] == held["settings"]


def test_subscription__update_patches_only_what_changed(engine: Engine, emulator: Any) -> None:
    setup = _retl_setup(engine)
    _subscribe(engine, setup)
    emulator.clear_request_log()

    updated = _subscribe(engine, setup, schedule=ReverseEtlSchedule.cron("0 */4 * * *", "UTC"))

    [patch] = _requests(emulator, "PATCH", "/subscriptions/")
    schedule = {"strategy": "CRON", "config": {"spec": "0 */4 * * *", "timezone": "UTC"}}
    assert patch["body"] == {"input": {"reverseETLSchedule": schedule}}
    assert updated.outputs["schedule"] == schedule


def test_subscription__a_failed_schedule_patch_is_reported_and_the_next_up_leaves_one_whole(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    setup = _retl_setup(engine)
    emulator.set_faults(
        [{"kind": "server_error", "status": 422, "method": "PATCH", "path": "/subscriptions/"}]
    )

    with pytest.raises(grpc.RpcError) as failed:
        _subscribe(engine, setup)
    message = str(failed.value.details())
    assert "was created in Segment" in message
    assert "run `pulumi up` again" in message

    emulator.clear_faults()
    finished = _subscribe(engine, setup)

    path = f"/destinations/{setup['destination_id']}/subscriptions"
    subscriptions = segment.get(path).json()["data"]["subscriptions"]
    assert len(subscriptions) == 1
    [held] = subscriptions
    assert finished.id == f"{setup['destination_id']}/{held['id']}"
    assert held["reverseETLSchedule"] == {"strategy": "PERIODIC", "config": {"interval": "1h"}}
    # The retry made the subscription again under a fresh autoname and removed the half-made one.
    assert held["name"] == finished.outputs["name"]


def test_subscription__a_half_made_one_that_cannot_be_finished_is_removed_not_doubled(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    """The first ``up`` left a subscription without its schedule; at the next, finishing that
    one fails too, while the one this ``up`` makes is whole: that one is kept and the
    half-made one removed, rather than both left in Segment with neither in the state."""
    setup = _retl_setup(engine)
    path = f"/destinations/{setup['destination_id']}/subscriptions"
    emulator.set_faults(
        [{"kind": "server_error", "status": 422, "method": "PATCH", "path": "/subscriptions/"}]
    )
    with pytest.raises(grpc.RpcError):
        _subscribe(engine, setup)
    [half_made] = segment.get(path).json()["data"]["subscriptions"]
    emulator.set_faults(
        [{"kind": "server_error", "status": 422, "method": "PATCH", "path": half_made["id"]}]
    )

    finished = _subscribe(engine, setup)
    emulator.clear_faults()

    [held] = segment.get(path).json()["data"]["subscriptions"]
    assert finished.id == f"{setup['destination_id']}/{held['id']}" != half_made["id"]
    assert held["reverseETLSchedule"] == {"strategy": "PERIODIC", "config": {"interval": "1h"}}


def _enabled_on_model(segment: httpx.Client, setup: dict[str, Any]) -> list[str]:
    path = f"/destinations/{setup['destination_id']}/subscriptions"
    return [
        f"{setup['destination_id']}/{s['id']}"
        for s in segment.get(path).json()["data"]["subscriptions"]
        if s["enabled"] and s["modelId"] == setup["model_id"]
    ]


LOST_PATCHES = {
    "kind": "lost_response",
    "status": 504,
    "method": "PATCH",
    "path": "/subscriptions/",
}


def test_subscription__an_applied_schedule_patch_whose_answer_was_lost_is_read_back(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    """Every answer to the PATCH is lost, yet Segment applied it: a read by id shows so."""
    setup = _retl_setup(engine)
    emulator.set_faults([LOST_PATCHES])

    created = _subscribe(engine, setup)

    assert _enabled_on_model(segment, setup) == [created.id]
    assert created.outputs["schedule"] == {"strategy": "PERIODIC", "config": {"interval": "1h"}}


def test_subscription__an_applied_schedule_patch_whose_answer_was_lost_leaves_one_enabled(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    """Segment applied the PATCH of model and schedule, every answer to it was lost and the
    subscription could not be read back: the ``up`` fails; the next one must not leave a
    second enabled subscription syncing the same model (every row would be sent twice)."""
    setup = _retl_setup(engine)
    unreadable = {"kind": "server_error", "method": "GET", "path": "/subscriptions/"}
    emulator.set_faults([LOST_PATCHES, unreadable])
    with pytest.raises(grpc.RpcError):
        _subscribe(engine, setup)
    emulator.clear_faults()

    finished = _subscribe(engine, setup)

    assert _enabled_on_model(segment, setup) == [finished.id]
