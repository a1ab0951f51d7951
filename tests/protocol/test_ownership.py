"""A stack takes over only what it made: app-made objects that share a natural key survive.

A create that meets a conflict adopts the existing object only with evidence that this
resource made it (its own deterministic autoname, or a lost answer to this very create);
anything else fails naming the object and the ``adopt_id`` that brings it in. Autonames are
deterministic per stack and resource, so the next ``up`` after a cut-off create finds that
object; outputs are what Segment holds, not the program's inputs laid over it.
"""

from __future__ import annotations

from typing import Any

import grpc
import httpx
import pytest

from segment_unify.localrun.engine import CheckFailedError
from segment_unify.provider.resources.audience import Audience
from segment_unify.provider.resources.computed_trait import ComputedTrait
from segment_unify.provider.resources.source import Source
from tests.emulator.helpers import JAVASCRIPT
from tests.protocol.cases import props_of
from tests.protocol.cases_spaces import DEV, FREQUENT_CALLERS, INBOUND_COUNT, space_id
from tests.support.engine import Engine

pytestmark = pytest.mark.timeout(120)

OTHER_COUNT = "event('Flex - Engagement Initiated').count()"


def _refused(engine: Engine, cls: Any, resource_name: str, /, **args: Any) -> str:
    with pytest.raises(grpc.RpcError) as caught:
        engine.up(cls.type_token(), resource_name, props_of(cls, resource_name, **args))
    return str(caught.value.details())


def _destroy_all(engine: Engine) -> None:
    for urn in reversed(list(engine.state)):
        engine.destroy(urn)


def _made_in_app(segment: httpx.Client, path: str, kind: str, body: dict[str, Any]) -> Any:
    made = segment.post(path, json={"enabled": True, **body})
    assert made.status_code in (200, 201), made.text
    return made.json()["data"][kind]


def _unchanged(segment: httpx.Client, path: str, kind: str, before: dict[str, Any]) -> None:
    after = segment.get(path).json()["data"][kind]
    fields = ("id", "slug", "key", "name", "enabled", "definition", "settings")
    assert {k: after.get(k) for k in fields} == {k: before.get(k) for k in fields}


def test_app_made_source_with_the_same_slug_survives_up_and_destroy(
    engine: Engine, segment: httpx.Client
) -> None:
    # Segment's CreateSourceV1Input has no name; the app names a source with a PATCH.
    body = {"slug": "website", "metadataId": JAVASCRIPT, "settings": {}}
    made = _made_in_app(segment, "/sources", "source", body)
    named = segment.patch(f"/sources/{made['id']}", json={"name": "Marketing site"})
    assert named.status_code == 200, named.text
    before = named.json()["data"]["source"]

    args = {"catalog_slug": "javascript", "slug": "website", "name": "Website"}
    message = _refused(engine, Source, "web", **args, enabled=False)
    _destroy_all(engine)

    _unchanged(segment, f"/sources/{before['id']}", "source", before)
    assert before["id"] in message and "'website'" in message and "Marketing site" in message
    assert f"adopt_id={before['id']!r}" in message


def test_app_made_trait_with_the_same_name_survives_up_and_destroy(
    engine: Engine, segment: httpx.Client
) -> None:
    space = space_id(engine, DEV.slug)
    body = {"name": "Total inbounds", "definition": {"type": "USERS", "query": OTHER_COUNT}}
    before = _made_in_app(segment, f"/spaces/{space}/computed-traits", "computedTrait", body)

    args = {"space_id": space, "name": "Total inbounds", "definition": INBOUND_COUNT}
    message = _refused(engine, ComputedTrait, "inbounds", **args)
    _destroy_all(engine)

    path = f"/spaces/{space}/computed-traits/{before['id']}"
    _unchanged(segment, path, "computedTrait", before)
    assert before["key"] in message
    # The resource it goes on is named too: a component's resource is not in the program.
    assert f"`adopt_id={space + '/' + before['id']!r}` to resource 'inbounds'" in message


def test_app_made_audience_with_the_same_name_survives_up_and_destroy(
    engine: Engine, segment: httpx.Client
) -> None:
    space = space_id(engine, DEV.slug)
    query = "event('Flex - Engagement Initiated').within(7 days).count() >= 1"
    body = {"name": "Frequent Callers", "audienceType": "USERS", "definition": {"query": query}}
    before = _made_in_app(segment, f"/spaces/{space}/audiences", "audience", body)

    args = {"space_id": space, "name": "Frequent Callers", "definition": FREQUENT_CALLERS}
    message = _refused(engine, Audience, "frequent", **args)
    _destroy_all(engine)

    _unchanged(segment, f"/spaces/{space}/audiences/{before['id']}", "audience", before)
    assert before["key"] in message and f"adopt_id={space + '/' + before['id']!r}" in message


def test_autonames_are_deterministic_per_stack_identity_and_resource(engine: Engine) -> None:
    def slug(name: str, stack: str = "4f1c2a9e0b7d3c55") -> str:
        props = props_of(Source, name, catalog_slug="javascript")
        props["stack_identity"] = stack
        inputs, failures = engine.provider.check(engine.urn(Source.type_token(), name), {}, props)
        assert not failures
        return str(inputs["slug"])

    assert slug("web") == slug("web")
    assert slug("web").startswith("web-")
    assert len({slug("web"), slug("web", "9a8b7c6d5e4f3a2b"), slug("shop")}) == 3


def test_a_cut_off_create_is_adopted_by_the_next_up_with_segments_values(
    engine: Engine, segment: httpx.Client
) -> None:
    """The first ``up`` made the source and was killed before it recorded it; someone then
    renamed it in the app. The next ``up`` adopts it by its autoname, and its outputs show
    Segment's name, so the following ``up`` puts the program's name back."""
    props = props_of(Source, "web", catalog_slug="javascript", name="Website")
    urn = engine.urn(Source.type_token(), "web")
    inputs, _ = engine.provider.check(urn, {}, props)
    body = {"slug": inputs["slug"], "enabled": True, "metadataId": JAVASCRIPT, "settings": {}}
    made = _made_in_app(segment, "/sources", "source", body)
    renamed = segment.patch(f"/sources/{made['id']}", json={"name": "Renamed in the app"})
    assert renamed.status_code == 200, renamed.text

    adopted = engine.up(Source.type_token(), "web", props)
    assert adopted.id == made["id"]
    assert adopted.outputs["name"] == "Renamed in the app"
    engine.up(Source.type_token(), "web", props)
    assert engine.steps[-1][0] == "update"
    assert segment.get(f"/sources/{adopted.id}").json()["data"]["source"]["name"] == "Website"


def test_two_resources_with_one_trait_name_are_refused_at_check(engine: Engine) -> None:
    space = space_id(engine, DEV.slug)
    args: dict[str, Any] = {
        "space_id": space,
        "name": "Total inbounds",
        "definition": INBOUND_COUNT,
    }
    engine.up(ComputedTrait.type_token(), "first", props_of(ComputedTrait, "first", **args))
    with pytest.raises(CheckFailedError) as caught:
        engine.up(ComputedTrait.type_token(), "second", props_of(ComputedTrait, "second", **args))
    assert "name" in str(caught.value) and "first" in str(caught.value)


def test_a_lost_answer_is_no_claim_on_an_app_made_object_that_differs(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    """The create met the app's source (a conflict), and that answer was lost: what the
    lookup then finds is not what this create sent, so it is refused, not taken over."""
    # Segment's CreateSourceV1Input has no name; the app names a source with a PATCH.
    body = {"slug": "website", "metadataId": JAVASCRIPT, "settings": {}}
    made = _made_in_app(segment, "/sources", "source", body)
    named = segment.patch(f"/sources/{made['id']}", json={"name": "Marketing site"})
    assert named.status_code == 200, named.text
    before = named.json()["data"]["source"]
    emulator.set_faults(
        [{"kind": "lost_response", "method": "POST", "status": 504, "max_count": 1}]
    )

    args = {"catalog_slug": "javascript", "slug": "website", "name": "Website"}
    message = _refused(engine, Source, "web", **args)
    _destroy_all(engine)

    _unchanged(segment, f"/sources/{before['id']}", "source", before)
    assert f"adopt_id={before['id']!r}" in message


def _cut_off_trait(
    engine: Engine, segment: httpx.Client, query: str
) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """What a create left when its process was killed after Segment made the trait: the
    record it wrote before sending, and the trait made from ``query``."""
    from segment_unify.provider.resources import _intents

    space = space_id(engine, DEV.slug)
    props = props_of(ComputedTrait, "inbounds", space_id=space, name="Total inbounds")
    props["definition"] = {"type": "USERS", "query": INBOUND_QUERY}
    urn = engine.urn(ComputedTrait.type_token(), "inbounds")
    inputs, failures = engine.provider.check(urn, {}, props)
    assert not failures
    provider = ComputedTrait._segment_provider
    mine = _intents.identity(inputs, provider.natural_key_of(inputs))
    assert mine is not None
    _intents.sent(mine, "computed trait 'Total inbounds'")
    body = {"name": "Total inbounds", "definition": {"type": "USERS", "query": query}}
    made = _made_in_app(segment, f"/spaces/{space}/computed-traits", "computedTrait", body)
    return props, made, mine


INBOUND_QUERY = (
    "event('Flex - Engagement Initiated').where(property('direction') = 'Inbound').count()"
)


def test_a_named_trait_cut_off_in_an_earlier_process_is_taken_over_by_the_next_up(
    engine: Engine, segment: httpx.Client
) -> None:
    from segment_unify.provider.resources import _intents

    props, made, mine = _cut_off_trait(engine, segment, INBOUND_QUERY)
    adopted = engine.up(ComputedTrait.type_token(), "inbounds", props)
    assert adopted.id.endswith("/" + made["id"])
    assert _intents.Earlier(mine).id == adopted.id


def test_a_create_answered_after_the_cli_died_is_claimed_by_its_recorded_id(
    engine: Engine, segment: httpx.Client
) -> None:
    """The provider outlived a killed CLI and read Segment's answer, which the engine never
    recorded: the record holds the id, and the next `up` takes over that object."""
    from segment_unify.provider.resources import _intents

    props, made, mine = _cut_off_trait(engine, segment, OTHER_COUNT)
    space = space_id(engine, DEV.slug)
    _intents.made(mine, f"{space}/{made['id']}")
    adopted = engine.up(ComputedTrait.type_token(), "inbounds", props)
    assert adopted.id == f"{space}/{made['id']}"
    # Segment's values, so the next `up` puts the program's definition back.
    engine.up(ComputedTrait.type_token(), "inbounds", props)
    assert engine.steps[-1][0] == "update"


def test_a_record_of_a_cut_off_create_claims_no_trait_that_differs(
    engine: Engine, segment: httpx.Client
) -> None:
    props, made, _ = _cut_off_trait(engine, segment, OTHER_COUNT)
    with pytest.raises(grpc.RpcError) as refused:
        engine.up(ComputedTrait.type_token(), "inbounds", props)
    assert f"/{made['id']}" in str(refused.value.details())


def test_source_with_a_declared_slug_whose_create_answer_is_lost_is_named_and_kept(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    """Segment names a source by a PATCH after its POST, so the source a lost create left holds
    its slug as its name: it is still this create's own (the answer was lost), is taken over
    rather than refused, and is given the declared name."""
    args = {"catalog_slug": "javascript", "slug": "website-declared", "name": "Website"}
    props = props_of(Source, "web-declared", **args)
    emulator.set_faults([{"kind": "lost_response", "method": "POST", "max_count": 1}])

    created = engine.up(Source.type_token(), "web-declared", props)
    emulator.clear_faults()

    held = segment.get(f"/sources/{created.id}").json()["data"]["source"]
    assert (held["slug"], held["name"]) == ("website-declared", "Website")
    assert created.outputs["name"] == "Website"
    listed = segment.get("/sources", params={"pagination.count": 1000}).json()["data"]["sources"]
    assert [s["id"] for s in listed if s["slug"] == "website-declared"] == [created.id]


def test_a_source_whose_naming_patch_failed_is_completed_by_the_next_up(
    engine: Engine, segment: httpx.Client, emulator: Any
) -> None:
    """Segment made the source and every try of the PATCH that names it failed: the ``up``
    fails saying the source exists and the next ``up`` completes it. Its slug is declared, so
    only the provider's record of the id Segment answered says it is this resource's own."""
    args = {"catalog_slug": "javascript", "slug": "website-unnamed", "name": "Website"}
    props = props_of(Source, "web-unnamed", **args)
    emulator.set_faults([{"kind": "server_error", "method": "PATCH", "max_count": 10}])

    message = _refused(engine, Source, "web-unnamed", **args)
    emulator.clear_faults()
    assert "was created in Segment" in message and "pulumi up" in message, message

    created = engine.up(Source.type_token(), "web-unnamed", props)
    held = segment.get(f"/sources/{created.id}").json()["data"]["source"]
    assert (held["slug"], held["name"]) == ("website-unnamed", "Website")
    listed = segment.get("/sources", params={"pagination.count": 1000}).json()["data"]["sources"]
    assert [s["id"] for s in listed if s["slug"] == "website-unnamed"] == [created.id]
    engine.up(Source.type_token(), "web-unnamed", props)
    assert engine.steps[-1][0] == "same"
