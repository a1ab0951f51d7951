"""One declaration per resource: what is derived from it, and that it keeps existing stacks'
state as it was (the replace, lenient and secret fields, the outputs registered)."""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest

from segment_unify.provider import resources
from segment_unify.provider.resources._declare import from_segment, specs, to_segment
from segment_unify.provider.resources.audience import AudienceArgs
from segment_unify.provider.resources.computed_trait import (
    ComputedTrait,
    ComputedTraitArgs,
    TraitOptions,
)
from segment_unify.query import TraitOptions as BuilderTraitOptions
from segment_unify.query import event_counter

# What the providers held before the declarations, written out by hand in each module; a
# stack's diffs depend on them. Changes: settings are never quoted in a check failure where
# they hold credentials (secret_fields), and a trait's or audience's key is an argument.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "Audience": {
        "replace": {"audience_type", "key", "space_id"},
        "lenient": {"definition", "options"},
    },
    "ComputedTrait": {"replace": {"key", "options", "space_id"}, "lenient": {"options"}},
    "Destination": {"replace": {"metadata_id", "source_id"}, "lenient": {"settings"}},
    "DestinationSubscription": {
        "replace": {"action_id", "destination_id", "model_id"},
        "lenient": {"settings"},
        "secret_outputs": {"settings"},
    },
    "Prediction": {"replace": {"kind", "space_id", "trait_key"}},
    "ProfileApiToken": {"replace": {"space_id"}, "secret_outputs": {"token"}},
    "ProfilesWarehouse": {
        "replace": {"metadata_id", "space_id"},
        "lenient": {"settings"},
        "secret_outputs": {"settings"},
    },
    "ReverseEtlModel": {"replace": {"source_id"}},
    "Source": {
        "replace": {"metadata_id"},
        "lenient": {"settings"},
        "secret_outputs": {"write_keys"},
    },
    "UnifySpace": {"replace": {"slug"}, "secret_outputs": {"write_key"}},
    "Warehouse": {
        "replace": {"metadata_id"},
        "lenient": {"settings"},
        "secret_outputs": {"settings"},
    },
    "WarehouseSourceConnection": {"replace": {"source_id", "warehouse_id"}},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_derived_replace_lenient_and_secret_fields_are_those_stacks_were_made_with(
    name: str,
) -> None:
    cls = getattr(resources, name)
    provider = cls._segment_provider
    expected = EXPECTED[name]
    assert set(provider.replace_on) == expected["replace"]
    assert set(provider.lenient_fields) == expected.get("lenient", set())
    assert set(cls._secret_outputs) == expected.get("secret_outputs", set())


def test_a_nested_object_keeps_only_what_segment_set() -> None:
    # Segment leaves unset options out: they are no False or empty values in state (a refresh
    # would otherwise show a change nobody made).
    trait = from_segment(ComputedTraitArgs, {"id": "t", "enabled": None, "options": {}})
    audience = from_segment(AudienceArgs, {"options": {"backfillEventDataDays": 30.0}})

    assert trait["options"] == {}
    assert trait["enabled"] is False
    assert audience["options"] == {"backfill_event_data_days": 30}


def test_create_leaves_out_what_is_unset_and_update_sends_what_changed() -> None:
    values: dict[str, Any] = {
        "space_id": "spa_1",
        "name": "Calls",
        "key": "calls",
        "description": None,
        "enabled": True,
        "definition": {"type": "USERS", "query": "event('a').count()"},
        "options": {"backfill_duration_days": 7},
    }

    created = to_segment(ComputedTraitArgs, values, step="create")
    updated = to_segment(ComputedTraitArgs, values, step="update", only={"description", "options"})

    assert created == {
        "name": "Calls",
        "enabled": True,
        "definition": {"type": "USERS", "query": "event('a').count()"},
        "options": {"backfillDurationDays": 7},
    }
    # Segment's PATCH cannot change options (a change replaces the trait); a removed
    # description is not sent as null, which Segment's update model does not take (check
    # refuses the removal instead: tests/protocol/test_removals.py).
    assert updated == {}


def test_the_query_builders_trait_options_are_the_resources() -> None:
    built = event_counter("Call Completed").with_options(include_historical_data=True)

    props = ComputedTrait.build_props("calls", space_id="s", name="Calls", definition=built)

    assert BuilderTraitOptions is TraitOptions
    assert props["options"] == {
        "include_historical_data": True,
        "include_anonymous_users": None,
        "backfill_duration_days": None,
    }
    assert TraitOptions(backfill_days=3).to_api() == {"backfillDurationDays": 3}


def test_outputs_are_not_arguments_and_arguments_are_keywords() -> None:
    with pytest.raises(TypeError, match="computed_trait_id"):
        ComputedTraitArgs(computed_trait_id="t")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ComputedTraitArgs("spa_1")  # type: ignore[misc]


def test_a_warehouse_reads_its_name_from_its_settings() -> None:
    # Segment keeps a warehouse's name in settings.name: the name output, not a setting.
    provider = resources.Warehouse._segment_provider
    state = provider.state({"id": "w", "settings": {"name": "dw", "hostname": "db"}})

    assert state["name"] == "dw"
    assert state["settings"] == {"hostname": "db"}


@pytest.mark.parametrize(
    "declared", [getattr(resources, name) for name in resources.__all__ if name.endswith("Args")]
)
def test_the_signature_shows_declared_types_and_real_defaults(declared: type[Any]) -> None:
    # What help(), IPython and editors that run code show: no machinery (Prop, a sentinel).
    parameters = inspect.signature(declared).parameters
    for spec in specs(declared):
        if spec.output:
            assert spec.name not in parameters
            continue
        shown = parameters[spec.name]
        assert not re.search(r"\b(Prop|Value)\[", repr(shown.annotation)), shown
        if spec.required:
            assert shown.default is inspect.Parameter.empty, shown
            assert not repr(shown.annotation).endswith("| None"), shown
        else:
            assert shown.default == spec.default, shown
            assert repr(shown.annotation).endswith("| None"), shown


def test_a_resources_signature_shows_its_name_args_opts_then_its_arguments() -> None:
    shown = str(inspect.signature(ComputedTrait))
    assert shown.startswith(
        "(resource_name: str, args: ComputedTraitArgs | None = None, "
        "opts: pulumi.ResourceOptions | None = None, *, adopt_id: pulumi.Input[str] | None = None,"
    ), shown
    assert (
        "name: pulumi.Input[str]," in shown and "enabled: pulumi.Input[bool] | None = True" in shown
    )
    assert "REQUIRED" not in shown and "fields." not in shown
