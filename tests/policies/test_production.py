"""The production policies (historical data, protection), and how the stack name is found."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pytest

from segment_unify.provider import (
    ComputedTrait,
    ProfilesWarehouse,
    Source,
    TraitOptions,
    UnifySpace,
    Warehouse,
)
from tests.policies.analyzer import Analyzer
from tests.policies.helpers import INBOUNDS, SPACE_ID, only, reported, trait

HISTORY = "production-traits-include-historical-data"
PROTECTED = "production-data-resources-protected"

WAREHOUSE_SETTINGS = {"host": "db.internal", "port": 5432, "database": "segment"}


def test_passes_if_a_production_trait_includes_historical_data(
    default_config: Analyzer,
) -> None:
    history = trait(options=TraitOptions(include_historical_data=True), stack="prod")

    assert reported(default_config, HISTORY, history) == []


def test_fails_if_a_production_trait_leaves_historical_data_unset(
    default_config: Analyzer,
) -> None:
    unset = trait(options=TraitOptions(include_anonymous_users=False), stack="prod")

    assert reported(default_config, HISTORY, unset) == [
        'Computed trait "total-inbounds" does not set include_historical_data in the '
        'production stack "prod"; set options=TraitOptions(include_historical_data=True) so '
        "that the trait is computed over the events already received."
    ]


def test_fails_if_a_production_trait_turns_historical_data_off(
    default_config: Analyzer,
) -> None:
    off = trait(options=TraitOptions(include_historical_data=False), stack="production-eu")

    (message,) = reported(default_config, HISTORY, off)

    assert message.startswith(
        'Computed trait "total-inbounds" turns include_historical_data off in the production '
        'stack "production-eu";'
    )


def test_passes_if_a_dev_trait_leaves_historical_data_unset(default_config: Analyzer) -> None:
    unset = trait(options=TraitOptions(include_anonymous_users=False), stack="dev")

    assert reported(default_config, HISTORY, unset) == []


def test_fails_if_a_stack_matches_a_configured_production_pattern(analyzer: Analyzer) -> None:
    analyzer.configure({HISTORY: {"productionStackPattern": "^live$"}})
    unset = trait(options=TraitOptions(include_anonymous_users=False), stack="live")

    (message,) = reported(analyzer, HISTORY, unset)

    assert 'in the production stack "live"' in message


def _space(protect: bool) -> Callable[[], object]:
    return lambda: UnifySpace("main", slug="main", opts=pulumi.ResourceOptions(protect=protect))


DATA_HOLDERS: dict[str, Callable[[bool], Callable[[], object]]] = {
    'Unify space "main"': _space,
    'Computed trait "calls"': lambda protect: (
        lambda: ComputedTrait(
            "calls",
            space_id=SPACE_ID,
            name="Calls",
            definition=INBOUNDS,
            options=TraitOptions(include_historical_data=True),
            opts=pulumi.ResourceOptions(protect=protect),
        )
    ),
    'Warehouse "events"': lambda protect: (
        lambda: Warehouse(
            "events",
            catalog_slug="postgres",
            name="events",
            settings=WAREHOUSE_SETTINGS,
            opts=pulumi.ResourceOptions(protect=protect),
        )
    ),
    'Profiles Sync warehouse "profiles"': lambda protect: (
        lambda: ProfilesWarehouse(
            "profiles",
            space_id=SPACE_ID,
            catalog_slug="postgres",
            name="profiles",
            settings=WAREHOUSE_SETTINGS,
            opts=pulumi.ResourceOptions(protect=protect),
        )
    ),
}


@pytest.mark.parametrize("subject", list(DATA_HOLDERS))
def test_fails_if_a_data_resource_is_unprotected_in_production(
    default_config: Analyzer, subject: str
) -> None:
    unprotected = only(DATA_HOLDERS[subject](False), stack="prod")

    assert reported(default_config, PROTECTED, unprotected) == [
        f'{subject} holds data but is not protected in the production stack "prod"; pass '
        "opts=pulumi.ResourceOptions(protect=True) so that a destroy or a replacement cannot "
        "delete it."
    ]


@pytest.mark.parametrize("subject", list(DATA_HOLDERS))
def test_passes_if_a_data_resource_is_protected_in_production(
    default_config: Analyzer, subject: str
) -> None:
    protected = only(DATA_HOLDERS[subject](True), stack="prod")

    assert reported(default_config, PROTECTED, protected) == []


def test_passes_if_a_data_resource_is_unprotected_in_dev(default_config: Analyzer) -> None:
    assert reported(default_config, PROTECTED, only(_space(False), stack="dev")) == []


def test_passes_if_a_source_is_unprotected_in_production(default_config: Analyzer) -> None:
    web = only(lambda: Source("web", catalog_slug="javascript", slug="web"), stack="prod")

    assert reported(default_config, PROTECTED, web) == []


def test_fails_if_the_cli_environment_names_a_production_stack(
    default_config: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI starts the pack with these; pulumi_policy then configures the runtime so that
    # pulumi.get_stack() names the stack. The URN here says "dev" to show which one is read.
    monkeypatch.setenv("PULUMI_PROJECT", "unify")
    monkeypatch.setenv("PULUMI_STACK", "prod")
    monkeypatch.setenv("PULUMI_DRY_RUN", "true")
    space = only(_space(False), stack="dev")

    (message,) = reported(default_config, PROTECTED, space)

    assert 'is not protected in the production stack "prod"' in message
