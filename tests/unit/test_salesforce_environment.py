"""The Salesforce sign-in step names the environment the program gave, also when the source's
settings are an Output (secret, say) that cannot be read while the program runs."""

from __future__ import annotations

import pulumi

from segment_unify.components.pending_steps import salesforce_sign_in
from segment_unify.components.unified_profiles_config import (
    SalesforceConfig,
    salesforce_environment,
)
from segment_unify.provider import SourceArgs


def test_the_environment_given_is_named_whatever_the_settings_are() -> None:
    plain = SalesforceConfig(environment="sandbox", settings={"region": "us"})
    hidden = SalesforceConfig(environment="sandbox", settings=pulumi.Output.secret({"x": "y"}))
    assert salesforce_environment(plain) == salesforce_environment(hidden) == "sandbox"
    assert "(sandbox)" in salesforce_sign_in("Salesforce", salesforce_environment(hidden)).what


def test_a_plain_source_args_reads_its_settings_and_defaults_to_production() -> None:
    assert salesforce_environment(SourceArgs(catalog_slug="salesforce")) == "production"
    given = SourceArgs(catalog_slug="salesforce", settings={"salesforce-environment": "sandbox"})
    assert salesforce_environment(given) == "sandbox"
