"""Catalog slugs the provider's table lacks, found in Segment's catalog at create, never at
preview; an unknown slug fails naming the closest slugs Segment lists."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from segment_unify.provider import catalog
from segment_unify.provider.resources.source import Source
from tests.protocol.cases import props_of
from tests.support.engine import Engine

pytestmark = pytest.mark.timeout(120)

HUBSPOT = "2baks93o"  # Segment's id (segment-docs catalog data, from the Public API)


def _catalog_reads(emulator: Any) -> list[dict[str, Any]]:
    return [e for e in emulator.request_log() if e["path"].startswith("/catalog/")]


def test_a_slug_the_table_lacks__preview_calls_nothing_and_up_finds_it_in_segments_catalog(
    engine: Engine, emulator: Any
) -> None:
    assert "hubspot" not in catalog.SOURCES
    props = props_of(Source, "crm", catalog_slug="hubspot", name="HubSpot")

    engine.preview(Source.type_token(), "crm", props)
    assert emulator.request_log() == []

    made = engine.up(Source.type_token(), "crm", props)
    assert made.outputs["metadata_id"] == HUBSPOT
    assert made.outputs["catalog_slug"] == "hubspot"
    [listing] = _catalog_reads(emulator)
    assert (listing["method"], listing["path"]) == ("GET", "/catalog/sources")
    [post] = [e for e in emulator.request_log() if (e["method"], e["path"]) == ("POST", "/sources")]
    assert post["body"]["metadataId"] == HUBSPOT

    # The same slug again is the same entry: no change, and no replacement at preview.
    engine.preview(Source.type_token(), "crm", props)
    again = engine.up(Source.type_token(), "crm", props)
    assert engine.steps[-2:] == [("same", made.urn), ("same", made.urn)]
    assert again.id == made.id


def test_another_slug_the_table_lacks_replaces_the_source(engine: Engine, emulator: Any) -> None:
    made = engine.up(Source.type_token(), "app", props_of(Source, "app", catalog_slug="hubspot"))
    new = engine.up(Source.type_token(), "app", props_of(Source, "app", catalog_slug="zendesk"))
    assert ("delete-replaced", made.urn) in engine.steps
    held = {s["id"]: s for s in emulator.objects("acme-contact-center", "source")}
    assert made.id not in held
    assert new.outputs["metadata_id"] == "3hbak7a9"
    assert new.id in held


def test_an_unknown_slug_fails_naming_the_closest_ones_and_makes_nothing(
    engine: Engine, emulator: Any
) -> None:
    with pytest.raises(grpc.RpcError) as failed:
        engine.up(Source.type_token(), "app", props_of(Source, "app", catalog_slug="zendsk"))

    message = str(failed.value.details())
    assert "'zendsk' is not in Segment's sources catalog" in message
    assert "closest: zendesk" in message
    assert "nothing was created" in message
    assert not [e for e in emulator.request_log() if e["method"] == "POST"]
