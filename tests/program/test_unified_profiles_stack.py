"""UnifiedProfilesStack built directly (no example), once per starting point, under mocks."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from segment_unify.components import (
    FLEX_TRAITS,
    AudienceConfig,
    PredictionConfig,
    ProfilesSyncConfig,
    ReverseEtlModelConfig,
    SourceConfig,
    UnifiedProfilesStack,
    UnifiedProfilesStackArgs,
    WarehouseConfig,
)
from segment_unify.components.flex_traits import flex_traits
from segment_unify.provider import (
    AudienceArgs,
    ComputedTraitArgs,
    PredictionArgs,
    ReverseEtlSchedule,
    SourceArgs,
)
from segment_unify.query import event_counter, trait
from tests.program.harness import ProgramRun, order_violations, plain, run_program

TOKEN = "pat_FAKE_component_test_token_00"
SNOWFLAKE = {
    "account": "acme",
    "warehouse": "SEGMENT",
    "database": "RAW",
    "username": "segment",
    "password": "pw-FAKE",
}


def stack_program(
    args: UnifiedProfilesStackArgs, opts: pulumi.ResourceOptions | None = None
) -> Callable[[], None]:
    def program() -> None:
        stack = UnifiedProfilesStack("acme", args, opts)
        for key, value in {**stack.twilio_sheet(), **stack.ids()}.items():
            pulumi.export(key, value)

    return program


def existing_workspace_args(**changes: Any) -> UnifiedProfilesStackArgs:
    args = UnifiedProfilesStackArgs(
        space_slug="unified-profiles-dev",
        # A plain string on purpose: the stack must make it secret by itself.
        profile_api_token=TOKEN,
        sources=[
            SourceConfig("javascript", name="Website"),
            SourceConfig("zendesk", name="Zendesk"),
        ],
        computed_traits=flex_traits("total_inbounds", "last_known_service_agent"),
        audiences=[AudienceConfig("Frequent callers", "trait('total_inbounds') >= 3")],
    )
    return dataclasses.replace(args, **changes)


def salesforce_args(**changes: Any) -> UnifiedProfilesStackArgs:
    args = UnifiedProfilesStackArgs(
        space_slug="unified-profiles-dev",
        profile_api_token=TOKEN,
        sources=[],
        salesforce=SourceConfig(),
        warehouse=WarehouseConfig("snowflake", dict(SNOWFLAKE)),
        reverse_etl_models=[
            ReverseEtlModelConfig(),
            ReverseEtlModelConfig(
                key="contacts",
                query="SELECT * FROM salesforce.contacts",
                user_id="id",
                traits={"email": "email", "first_name": "first_name"},
                schedule=ReverseEtlSchedule.cron("0 */2 * * *"),
            ),
        ],
        profiles_sync=ProfilesSyncConfig(schema_name="segment_profiles"),
    )
    return dataclasses.replace(args, **changes)


@pytest.fixture(scope="module")
def existing_start() -> ProgramRun:
    return run_program(stack_program(existing_workspace_args()))


@pytest.fixture(scope="module")
def salesforce_start() -> ProgramRun:
    return run_program(stack_program(salesforce_args()))


def test_existing_start__makes_its_kinds_in_order(existing_start: ProgramRun) -> None:
    assert existing_start.kinds() == {
        "UnifySpace",
        "ProfileApiToken",
        "Source",
        "ComputedTrait",
        "Prediction",
        "Audience",
    }
    assert sorted(r.name for r in existing_start.of_kind("Source")) == [
        "acme-source-javascript",
        "acme-source-zendesk",
    ]
    assert sorted(r.name for r in existing_start.of_kind("ComputedTrait")) == [
        "acme-trait-last_known_service_agent",
        "acme-trait-total_inbounds",
    ]
    assert order_violations(existing_start) == []


def test_salesforce_start__makes_its_kinds_in_order(salesforce_start: ProgramRun) -> None:
    assert salesforce_start.kinds() == {
        "UnifySpace",
        "ProfileApiToken",
        "Source",
        "Warehouse",
        "WarehouseSourceConnection",
        "ReverseEtlModel",
        "Destination",
        "DestinationSubscription",
        "ProfilesWarehouse",
        "ComputedTrait",
        "Prediction",
    }
    assert len(salesforce_start.of_kind("ComputedTrait")) == len(FLEX_TRAITS)
    assert order_violations(salesforce_start) == []


def test_salesforce_start__maps_each_model_on_its_own_schedule(
    salesforce_start: ProgramRun,
) -> None:
    mappings = {
        r.name: plain(r.inputs) for r in salesforce_start.of_kind("DestinationSubscription")
    }
    assert set(mappings) == {"acme-send-identify-accounts", "acme-send-identify-contacts"}
    contacts = mappings["acme-send-identify-contacts"]
    assert contacts["model_id"] == "acme-model-contacts-id"
    assert contacts["schedule"] == {
        "strategy": "CRON",
        "config": {"spec": "0 */2 * * *", "timezone": "UTC"},
    }
    assert contacts["mapping"]["traits"] == {"email": "email", "first_name": "first_name"}


def test_salesforce_start__reads_the_warehouse_through_its_reverse_etl_source(
    salesforce_start: ProgramRun,
) -> None:
    retl = next(r for r in salesforce_start.of_kind("Source") if "reverse-etl" in r.name)
    assert plain(retl.inputs)["catalog_slug"] == "snowflake-reverse-etl"
    connection = plain(salesforce_start.one("WarehouseSourceConnection").inputs)
    assert connection.pop("stack_identity") == "5e1f00d5c0ffee42"  # the mock's identity
    connection.pop("autoname_base")
    assert connection == {"warehouse_id": "acme-warehouse-id", "source_id": "acme-salesforce-id"}
    sync = plain(salesforce_start.one("ProfilesWarehouse").inputs)
    assert sync["schema_name"] == "segment_profiles"
    assert sync["catalog_slug"] == "snowflake"


@pytest.mark.parametrize("scenario", ["existing_start", "salesforce_start"])
def test_a_plain_token_still_goes_in_and_comes_out_secret(
    scenario: str, request: pytest.FixtureRequest
) -> None:
    run: ProgramRun = request.getfixturevalue(scenario)
    assert "token" in run.one("ProfileApiToken").secret_inputs
    assert "profileApiToken" in run.secret_outputs
    assert run.outputs["profileApiToken"] == TOKEN
    assert {"workspaceId", "workspaceSlug", "spaceId", "spaceSlug"} <= set(run.outputs)


def test_plain_warehouse_settings_still_go_in_secret(salesforce_start: ProgramRun) -> None:
    for kind in ("Warehouse", "ProfilesWarehouse"):
        assert "settings" in salesforce_start.one(kind).secret_inputs, kind


def test_protect_given_to_the_stack_reaches_every_child() -> None:
    run = run_program(
        stack_program(existing_workspace_args(), pulumi.ResourceOptions(protect=True))
    )
    assert all(r.protect for r in run.registrations if r.kind != "StackIdentity")


def test_engage_space_given_replaces_the_space_write_key() -> None:
    run = run_program(stack_program(salesforce_args(engage_space="wk_given_by_hand")))
    for registration in run.of_kind("DestinationSubscription"):
        assert plain(registration.inputs)["mapping"]["engage_space"] == "wk_given_by_hand"


def test_custom_prediction_is_adopted_by_its_trait_key() -> None:
    custom = PredictionConfig("custom", trait_key="likelihood_to_upgrade")
    run = run_program(stack_program(existing_workspace_args(predictions=[custom])))
    prediction = run.one("Prediction")
    assert prediction.name == "acme-prediction-likelihood_to_upgrade"
    assert plain(prediction.inputs)["trait_key"] == "likelihood_to_upgrade"


def test_audience_from_a_condition_builder_sends_its_query() -> None:
    audience = AudienceConfig("Loyal callers", trait("total_inbounds") >= 10)
    run = run_program(stack_program(existing_workspace_args(audiences=[audience])))
    registration = run.one("Audience")
    assert registration.name == "acme-audience-loyal-callers"
    assert plain(registration.inputs)["definition"] == {"query": "trait('total_inbounds') >= 10"}


def test_an_audience_config_key_still_names_its_resource() -> None:
    audience = AudienceConfig("Loyal callers", "trait('total_inbounds') >= 10", key="loyal")
    run = run_program(stack_program(existing_workspace_args(audiences=[audience])))
    registration = run.one("Audience")
    assert registration.name == "acme-audience-loyal"
    assert plain(registration.inputs).get("key") is None  # Segment derives its own from the name


def test_the_stack_takes_the_resources_own_args() -> None:
    # One declaration: a field of the resource (``enabled`` here, which the component's own
    # configs did not carry) reaches it through the stack, which fills in space, names, keys.
    run = run_program(
        stack_program(
            existing_workspace_args(
                sources=[SourceArgs(catalog_slug="javascript", enabled=False)],
                computed_traits=[
                    ComputedTraitArgs(
                        name="Total Calls",
                        enabled=False,
                        definition=event_counter("Flex - Engagement Initiated"),
                    )
                ],
                predictions=[PredictionArgs(kind="ltv")],
                audiences=[
                    AudienceArgs(
                        name="Callers", definition="trait('total_calls') >= 1", enabled=False
                    )
                ],
            )
        )
    )
    source, trait, audience = run.one("Source"), run.one("ComputedTrait"), run.one("Audience")
    assert (source.name, plain(source.inputs)["enabled"]) == ("acme-source-javascript", False)
    assert plain(source.inputs)["name"] == "javascript"
    assert trait.name == "acme-trait-total_calls"
    shown = plain(trait.inputs)
    assert (shown["key"], shown["enabled"], shown["space_id"]) == (
        "total_calls",
        False,
        "spa_unified-profiles-dev",
    )
    assert audience.name == "acme-audience-callers"
    assert plain(audience.inputs)["enabled"] is False
    assert run.one("Prediction").name == "acme-prediction-ltv"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            existing_workspace_args(
                sources=[SourceConfig("javascript"), SourceConfig("javascript")]
            ),
            "two entries have the key 'javascript'",
        ),
        (
            existing_workspace_args(reverse_etl_models=[ReverseEtlModelConfig()]),
            "reverse_etl_models read a warehouse",
        ),
        (existing_workspace_args(profiles_sync=ProfilesSyncConfig()), "profiles_sync needs"),
        (
            salesforce_args(warehouse=WarehouseConfig("azure", {})),
            "no Reverse ETL source is known for warehouse 'azure'",
        ),
        (existing_workspace_args(sources=[SourceConfig()]), "needs catalog_slug or metadata_id"),
        (
            # Different trait keys, the same resource name (a prediction is named by its kind
            # when it has no trait_key).
            existing_workspace_args(
                predictions=[
                    PredictionArgs(kind="churn"),
                    PredictionArgs(kind="custom", trait_key="churn"),
                ]
            ),
            "two entries have the key 'churn'; change the later one",
        ),
    ],
)
def test_inconsistent_args_fail_before_anything_is_registered(
    args: UnifiedProfilesStackArgs, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        run_program(stack_program(args))


def test_following_the_repeated_key_advice_keeps_the_earlier_entrys_resource() -> None:
    """The advice changes the later entry: the earlier one keeps its resource's name, so a
    stack that already made it changes nothing of it (a renamed resource is replaced)."""
    repeated = existing_workspace_args(
        sources=[SourceConfig("javascript"), SourceConfig("javascript")]
    )
    with pytest.raises(ValueError, match="change the later one \\(give it a slug\\)"):
        run_program(stack_program(repeated))
    alone = run_program(
        stack_program(existing_workspace_args(sources=[SourceConfig("javascript")]))
    )
    followed = run_program(
        stack_program(
            existing_workspace_args(
                sources=[SourceConfig("javascript"), SourceConfig("javascript", slug="website-2")]
            )
        )
    )
    (before,) = [r.name for r in alone.registrations if r.kind == "Source"]
    after = [r.name for r in followed.registrations if r.kind == "Source"]
    assert after[0] == before and len(set(after)) == 2
