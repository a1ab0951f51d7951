"""A computed trait or audience updated twice in quick succession: Segment locks it after the
first update until it has incorporated the change (its SDK says so), so the second waits that
out and then goes through, through the real provider process against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, FREQUENT_CALLERS, INBOUND_COUNT, space_id
from tests.support.engine import Engine, ProviderProcess

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def engine(emulator: Any) -> Iterator[Engine]:
    env = {"SEGMENT_PUBLIC_API_TOKEN": "", "SEGMENT_PUBLIC_API_URL": ""}
    with ProviderProcess({**env, "SEGMENT_PROFILE_API_URL": ""}) as proc:
        proc.configure({"segment:token": emulator.token, "segment:endpoint": emulator.url})
        yield Engine(proc)


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
