"""The demo's data path (`segment_unify.demo_profile`) over a Reverse ETL chain made through the
Public API: the accounts table filled, the model run once, Flex interactions sent through
Segment's Python library, and the customer printed with identifiers, warehouse traits and the
six Flex traits' values."""

from __future__ import annotations

import pytest

from segment_unify.components.flex_traits import FLEX_TRAITS
from segment_unify.demo_profile import CUSTOMER, show_customer
from segment_unify.local_postgres import LocalPostgres
from tests.reverse_etl.conftest import DEV_SPACE, Chain


def test_show_customer_prints_the_profile_with_warehouse_and_flex_traits(
    chain: Chain, warehouse: LocalPostgres, capsys: pytest.CaptureFixture[str]
) -> None:
    for spec in FLEX_TRAITS:
        # The body ComputedTrait's create sends, made here through the Public API directly.
        body = {
            "name": spec.name,
            "description": spec.description,
            "enabled": True,
            "definition": {"type": "USERS", "query": str(spec.definition.query)},
        }
        created = chain.api.post(f"/spaces/{chain.space_id}/computed-traits", json=body)
        assert created.status_code == 200, created.text
    outputs = {
        "spaceId": chain.space_id,
        "reverseEtlSourceId": chain.source_id,
        "reverseEtlModelIds": {"accounts": chain.model_id},
        "sendIdentifySubscriptionIds": {"accounts": chain.subscription_id},
    }
    emulator = chain.emulator
    profile_token = emulator.profile_tokens[DEV_SPACE]
    show_customer(emulator.url, emulator.token, profile_token, outputs, warehouse)
    printed = capsys.readouterr().out
    assert "Reverse ETL sync SUCCESS: 3 rows read" in printed
    assert "3 identify calls delivered" in printed
    assert f"user_id        {CUSTOMER}" in printed
    assert f"Ada Lovelace ({CUSTOMER})" in printed  # the chain's mapping: company template
    for line in (
        "total_inbounds                 2",
        "frequent_inbound_channel       voice",
        "total_outbounds                1",
        "last_known_service_agent       WK0003",
        "last_interaction_duration      188",
        "sentiment_in_last_interaction  positive",
    ):
        assert line in printed
