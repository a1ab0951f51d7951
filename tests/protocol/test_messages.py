"""What the person running ``pulumi up`` reads, through the provider process over gRPC: check
failures name the resource, and an adopted object is said to be found, not created (the CLI
says "creating" for every create; the provider's ``pulumi.log`` lines reach it on stderr)."""

from __future__ import annotations

from typing import Any

import grpc
import httpx
import pytest

from segment_unify.localrun.engine import CheckFailedError
from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.provider.resources.source import Source
from segment_unify.provider.resources.unify_space import UnifySpace
from segment_unify.provider.resources.warehouse_source_connection import (
    WarehouseSourceConnection,
)
from tests.emulator.helpers import JAVASCRIPT
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, INBOUND_COUNT
from tests.support.engine import Engine, ProviderProcess

pytestmark = pytest.mark.timeout(120)


def test_check_failures_name_the_resource_type_and_name(engine: Engine) -> None:
    props = props_of(ComputedTrait, "inbound", space_id="spa_1", name=42, definition=INBOUND_COUNT)
    with pytest.raises(CheckFailedError) as failed:
        engine.up(ComputedTrait.type_token(), "inbound", props)
    assert failed.value.failures
    for field, reason in failed.value.failures:
        assert field == "name"
        assert reason.startswith("ComputedTrait 'inbound': "), reason


def test_check_failures_name_the_resource_of_a_kind_without_a_natural_key(
    engine: Engine,
) -> None:
    props = props_of(WarehouseSourceConnection, "link", warehouse_id="wh_1")
    with pytest.raises(CheckFailedError) as failed:
        engine.up(WarehouseSourceConnection.type_token(), "link", props)
    assert ("source_id", "WarehouseSourceConnection 'link': source_id is required") in (
        failed.value.failures
    )


def test_an_adopted_space_is_reported_as_found_not_created(
    engine: Engine, provider: ProviderProcess
) -> None:
    space = engine.up(UnifySpace.type_token(), "space", props_of(UnifySpace, "s", slug=DEV.slug))
    log = provider.close()
    assert (
        f"info: Unify space {DEV.slug!r} (resource 's'): found existing Unify space {space.id} "
        "in Segment (adopted" in log
    )


def test_an_object_brought_in_by_adopt_id_is_reported_as_found(
    engine: Engine, provider: ProviderProcess, segment: httpx.Client
) -> None:
    made: dict[str, Any] = segment.post(
        "/sources", json={"slug": "made-in-app", "metadataId": JAVASCRIPT, "enabled": True}
    ).json()["data"]["source"]
    props = props_of(Source, "web", catalog_slug="javascript", slug="made-in-app")
    engine.up(Source.type_token(), "web", {**props, "adopt_id": made["id"]})
    log = provider.close()
    assert f"found existing source {made['id']} in Segment (adopted by adopt_id" in log


def test_a_misspelled_event_gets_a_did_you_mean_not_only_send_them(engine: Engine) -> None:
    # The space has seen 'Flex - Engagement Completed' (the seed); the program misspells it.
    space = engine.up(UnifySpace.type_token(), "s", props_of(UnifySpace, "s", slug=DEV.slug))
    query = "event('Flex - Engagment Completed').count()"
    props = props_of(
        ComputedTrait,
        "completed",
        space_id=space.outputs["space_id"],
        name="Completed engagements",
        definition={"type": "USERS", "query": query},
    )
    with pytest.raises(Exception) as failed:
        engine.up(ComputedTrait.type_token(), "completed", props)
    message = str(failed.value)
    assert (
        "'Flex - Engagment Completed' (did you mean 'Flex - Engagement Completed'?)" in message
    ), message
    assert "fix a misspelled name, or send them" in message

    # Following it: the name fixed, the trait is made.
    fixed = {
        **props,
        "definition": {"type": "USERS", "query": query.replace("Engagment", "Engagement")},
    }
    assert engine.up(ComputedTrait.type_token(), "completed", fixed).id


def _endpoint_failure(emulator: Any, endpoint: str) -> str:
    """What the engine gets for a create under ``segment:endpoint`` = ``endpoint``."""
    with ProviderProcess({"SEGMENT_PUBLIC_API_URL": "", "SEGMENT_PUBLIC_API_TOKEN": ""}) as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": endpoint,
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        props = props_of(Source, "web", catalog_slug="javascript", slug="endpoint-check")
        with pytest.raises(grpc.RpcError) as raised:
            Engine(proc).up(Source.type_token(), "web", props)
    return raised.value.details() or ""  # type: ignore[attr-defined]


def _command(details: str) -> list[str]:
    """The `pulumi config set` command a message ends with, as words."""
    return details.strip().splitlines()[-1].split(": ")[-1].split()


@pytest.mark.parametrize(
    ("shape", "bad"),
    [("a path", "{url}/v1"), ("no scheme", "{hostport}")],
)
def test_a_malformed_endpoint_is_named_with_the_url_to_set_and_following_it_works(
    emulator: Any, shape: str, bad: str
) -> None:
    endpoint = bad.format(url=emulator.url, hostport=emulator.url.split("://")[1])

    details = _endpoint_failure(emulator, endpoint)

    lines = details.strip().splitlines()
    assert lines[-1].startswith("segment_unify.provider.config.ConfigurationError: "), details
    assert f"segment:endpoint is {endpoint!r} (from pulumi config segment:endpoint)" in lines[-1]
    assert len(lines) <= 12, details  # the message, not a page of frames
    command = _command(details)
    assert command[:4] == ["pulumi", "config", "set", "segment:endpoint"], details
    assert command[4] == emulator.url, (shape, details)

    # Following it: the same create under the endpoint it names.
    with ProviderProcess({"SEGMENT_PUBLIC_API_URL": "", "SEGMENT_PUBLIC_API_TOKEN": ""}) as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": command[4],
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        props = props_of(Source, "web", catalog_slug="javascript", slug="endpoint-check")
        assert Engine(proc).up(Source.type_token(), "web", props).id
