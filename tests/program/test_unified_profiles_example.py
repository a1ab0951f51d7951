"""examples/unified-profiles under Pulumi's mocks: both starting points, dev and prod.

The program runs as the CLI would run it (``runpy`` of ``__main__.py``, config from the
committed ``Pulumi.<stack>.yaml`` plus the secrets a person sets with ``--secret``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tests.program.harness import (
    AUTONAME_SUFFIX,
    EXAMPLES,
    ProgramRun,
    order_violations,
    plain,
    run_program,
    stack_config,
)

PROJECT = "unified-profiles"
EXAMPLE = EXAMPLES / PROJECT
TOKEN = "pat_FAKE_program_test_token_0000"
PASSWORD = "pw-FAKE-program-test"
SECRET_KEYS = [f"{PROJECT}:profileApiToken", f"{PROJECT}:warehouseSecrets"]
EVERY_KIND = {
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
    "Audience",
}
AUDIENCE = {"name": "Frequent callers", "query": "trait('total_inbounds') >= 3"}
# A cloud app the provider's catalog table does not know: its slug alone (the create finds its
# id in Segment's catalog).
ZENDESK = {"catalogSlug": "zendesk", "name": "Zendesk"}
DATA_HOLDERS = {
    "UnifySpace",
    "Source",
    "Warehouse",
    "ProfilesWarehouse",
    "ComputedTrait",
    "Audience",
}


def example_config(stack: str, **overrides: Any) -> dict[str, str]:
    """The committed stack config, its secrets set, and ``overrides`` (None removes a key)."""
    config = stack_config(EXAMPLE, stack)
    config[f"{PROJECT}:profileApiToken"] = TOKEN
    config[f"{PROJECT}:warehouseSecrets"] = json.dumps({"password": PASSWORD})
    for key, value in overrides.items():
        if value is None:
            config.pop(f"{PROJECT}:{key}", None)
        else:
            config[f"{PROJECT}:{key}"] = value if isinstance(value, str) else json.dumps(value)
    return config


def run_example(stack: str, config: dict[str, str]) -> ProgramRun:
    return run_program(
        EXAMPLE / "__main__.py",
        config=config,
        secret_keys=SECRET_KEYS,
        project=PROJECT,
        stack=stack,
    )


@pytest.fixture(scope="module")
def dev() -> ProgramRun:
    return run_example("dev", example_config("dev"))


@pytest.fixture(scope="module")
def prod() -> ProgramRun:
    return run_example("prod", example_config("prod"))


@pytest.fixture(scope="module")
def salesforce_start() -> ProgramRun:
    """A new workspace fed by Salesforce through a warehouse (and one audience)."""
    return run_example("dev", example_config("dev", sources=[], audiences=[AUDIENCE]))


@pytest.fixture(scope="module")
def existing_start() -> ProgramRun:
    """An existing workspace whose events come from a cloud app and ``javascript``."""
    config = example_config(
        "dev",
        sources=[{"catalogSlug": "javascript", "name": "Website"}, ZENDESK],
        salesforce=None,
        warehouse=None,
        warehouseSecrets=None,
        profilesSync=None,
    )
    return run_example("dev", config)


def test_salesforce_start__makes_every_resource_kind(salesforce_start: ProgramRun) -> None:
    assert salesforce_start.kinds() == EVERY_KIND
    sources = {
        r.name: plain(r.inputs).get("catalog_slug") for r in salesforce_start.of_kind("Source")
    }
    assert sources == {
        "unify-salesforce": "salesforce",
        "unify-reverse-etl-source": "postgres-reverse-etl",
    }


def test_existing_start__makes_sources_traits_and_predictions_without_a_warehouse(
    existing_start: ProgramRun,
) -> None:
    assert existing_start.kinds() == {
        "UnifySpace",
        "ProfileApiToken",
        "Source",
        "ComputedTrait",
        "Prediction",
    }
    sources = {r.name: plain(r.inputs) for r in existing_start.of_kind("Source")}
    assert sources["unify-source-javascript"]["catalog_slug"] == "javascript"
    assert sources["unify-source-zendesk"]["catalog_slug"] == "zendesk"
    assert sources["unify-source-zendesk"].get("metadata_id") is None
    assert len(existing_start.of_kind("ComputedTrait")) == 6
    assert {plain(r.inputs)["kind"] for r in existing_start.of_kind("Prediction")} == {
        "churn",
        "ltv",
    }


@pytest.mark.parametrize("scenario", ["salesforce_start", "existing_start", "dev", "prod"])
def test_every_resource_waits_for_every_earlier_step(
    scenario: str, request: pytest.FixtureRequest
) -> None:
    run: ProgramRun = request.getfixturevalue(scenario)
    assert order_violations(run) == []


def test_children_are_parented_to_the_stack_and_named_after_it(dev: ProgramRun) -> None:
    component = dev.one("segment-unify:index:UnifiedProfilesStack")
    children = dev.segment_objects()
    assert children
    assert {r.parent for r in children} == {component.urn}
    assert all(r.name.startswith("unify-") for r in children)
    assert dev.one("UnifySpace").name == "unify-space"
    assert dev.one("Warehouse").name == "unify-warehouse"


def test_urns_are_made_as_the_engine_makes_them(dev: ProgramRun) -> None:
    # The root stack's type is left out of its children's URNs; a component's type is put
    # before its children's. Policies and state name resources by these.
    component = "segment-unify:index:UnifiedProfilesStack"
    space = "pulumi-python:dynamic/segment:UnifySpace"
    assert dev.one(component).urn == f"urn:pulumi:dev::{PROJECT}::{component}::unify"
    assert dev.one("UnifySpace").urn == (
        f"urn:pulumi:dev::{PROJECT}::{component}${space}::unify-space"
    )


def test_outputs_hold_the_twilio_sheet_and_the_ids(dev: ProgramRun) -> None:
    outputs = dev.outputs
    assert outputs["workspaceId"] == "ws_acme"
    assert outputs["workspaceSlug"] == "acme-contact-center"
    assert outputs["spaceId"] == "spa_unified-profiles-dev"
    assert outputs["spaceSlug"] == "unified-profiles-dev"
    assert outputs["profileApiToken"] == TOKEN
    for key in (
        "sourceIds",
        "salesforceSourceId",
        "warehouseId",
        "reverseEtlSourceId",
        "reverseEtlModelIds",
        "destinationId",
        "sendIdentifySubscriptionIds",
        "profilesWarehouseId",
        "computedTraitIds",
        "predictionTraitKeys",
    ):
        assert outputs.get(key), key
    assert outputs["predictionTraitKeys"] == {
        "churn": "likelihood_to_churn",
        "ltv": "predicted_ltv",
    }


def test_profile_api_token_is_secret_going_in_and_coming_out(dev: ProgramRun) -> None:
    assert "profileApiToken" in dev.secret_outputs
    assert "token" in dev.one("ProfileApiToken").secret_inputs
    in_the_clear = {k: v for k, v in dev.outputs.items() if k not in dev.secret_outputs}
    assert TOKEN not in json.dumps(in_the_clear)


def test_warehouse_credentials_are_secret_wherever_they_go(dev: ProgramRun) -> None:
    holders = [
        dev.one("Warehouse"),
        dev.one("ProfilesWarehouse"),
        *[r for r in dev.of_kind("Source") if r.name == "unify-reverse-etl-source"],
    ]
    assert len(holders) == 3
    for registration in holders:
        assert "settings" in registration.secret_inputs, registration.name
        settings = plain(registration.inputs)["settings"]
        assert settings["password"] == PASSWORD
        assert settings["hostname"] == "warehouse.dev.acme.example"


def test_send_identify_maps_the_default_model_into_the_space(dev: ProgramRun) -> None:
    model = plain(dev.one("ReverseEtlModel").inputs)
    # The schema Segment loads the stack's Salesforce source into is named after its slug,
    # which is autonamed: the model reads that schema, not a fixed `salesforce`.
    assert model["query"] == f"SELECT * FROM unify_salesforce_{AUTONAME_SUFFIX}.accounts"
    assert model["query_identifier_column"] == "id"
    subscription = plain(dev.one("DestinationSubscription").inputs)
    assert subscription["model_id"] == "unify-model-accounts-id"
    assert subscription["destination_id"] == "unify-segment-profiles-id"
    assert subscription["action_slug"] == "sendIdentify"
    assert subscription["schedule"] == {"strategy": "PERIODIC", "config": {"interval": "1h"}}
    mapping = subscription["mapping"]
    assert mapping["engage_space"] == "wk_personas_unified-profiles-dev"
    assert mapping["user_id"] == "id"
    assert mapping["traits"] == {"name": "name", "email": "person_email", "phone": "phone"}
    destination = plain(dev.one("Destination").inputs)
    assert destination["metadata_id"] == "639c2dbb1309fdcad13951b6"


def test_prod_protects_what_holds_data_and_nothing_else(prod: ProgramRun) -> None:
    protected = {r.name for r in prod.segment_objects() if r.protect}
    holders = {r.name for r in prod.segment_objects() if r.kind in DATA_HOLDERS}
    assert protected == holders
    assert "unify-space" in protected
    assert "unify-warehouse" in protected
    assert "unify-profile-api-token" not in protected


def test_dev_protects_nothing(dev: ProgramRun) -> None:
    assert [r.name for r in dev.registrations if r.protect] == []


def test_prod_uses_its_own_space(prod: ProgramRun) -> None:
    assert prod.outputs["spaceSlug"] == "unified-profiles-prod"
    assert plain(prod.one("Warehouse").inputs)["settings"]["database"] == "analytics"


def _stack_file(stack: str) -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((EXAMPLE / f"Pulumi.{stack}.yaml").read_text())[
        "config"
    ]
    return {key.split(":", 1)[1]: value for key, value in config.items()}


def test_stack_files_differ_as_environments_do() -> None:
    dev, prod = _stack_file("dev"), _stack_file("prod")
    assert dev["spaceSlug"] != prod["spaceSlug"]
    assert (dev["protect"], prod["protect"]) == (False, True)
    assert (dev["policyEnforcement"], prod["policyEnforcement"]) == ("advisory", "mandatory")
    for stack in (dev, prod):
        policy_config = json.loads((EXAMPLE / stack["policyPackConfig"]).read_text())
        assert policy_config["all"] == stack["policyEnforcement"]


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_stack_files_commit_no_secret_and_no_endpoint(stack: str) -> None:
    text = (EXAMPLE / f"Pulumi.{stack}.yaml").read_text()
    keys = set(yaml.safe_load(text)["config"])
    assert not {k for k in keys if k.startswith("segment:")}
    assert f"{PROJECT}:profileApiToken" not in keys
    assert f"{PROJECT}:warehouseSecrets" not in keys
    assert "secure:" not in text


def test_missing_profile_api_token_fails_naming_the_key() -> None:
    config = example_config("dev", profileApiToken=None)
    with pytest.raises(Exception, match="unified-profiles:profileApiToken"):
        run_example("dev", config)


def test_warehouse_without_credentials_fails_naming_the_key() -> None:
    config = example_config("dev", warehouseSecrets=None)
    with pytest.raises(Exception, match="unified-profiles:warehouseSecrets"):
        run_example("dev", config)


def test_every_segment_resource_takes_the_one_stack_identity(dev: ProgramRun) -> None:
    # Ownership comes from the stack's state: one StackIdentity, at the top of the stack, that
    # every Segment resource waits for (its autonames and records derive from it).
    identity = dev.one("StackIdentity")
    assert identity.parent.endswith(":pulumi:pulumi:Stack::unified-profiles-dev")
    assert identity.name == "segment-unify-stack"
    assert all(identity.urn in r.dependencies for r in dev.segment_objects())
