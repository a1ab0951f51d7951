"""trait-key-snake-case and the trait-keys-unique stack policy, through the analyzer servicer."""

from __future__ import annotations

import pytest

from segment_unify.emulator.ids import snake_case
from segment_unify.policies.resources import trait_key
from segment_unify.provider import Audience, ComputedTrait, Prediction
from tests.policies.analyzer import Analyzer
from tests.policies.helpers import (
    CALLED_AGAIN,
    INBOUNDS,
    SPACE_ID,
    only,
    reported,
    run_program,
    trait,
)

SNAKE = "trait-key-snake-case"
UNIQUE = "trait-keys-unique"


def test_passes_if_a_trait_name_gives_a_snake_case_key(default_config: Analyzer) -> None:
    assert reported(default_config, SNAKE, trait(name="Total Inbounds (30d)")) == []


def test_fails_if_a_trait_name_gives_a_key_starting_with_a_digit(
    default_config: Analyzer,
) -> None:
    digits_first = trait("spend-30d", name="30 Day Spend")

    assert reported(default_config, SNAKE, digits_first) == [
        'Computed trait "spend-30d" is named "30 Day Spend", which Segment turns into the key '
        '"30_day_spend"; trait keys must match ^[a-z][a-z0-9]*(_[a-z0-9]+)*$, so rename it so '
        "that its key is snake_case and starts with a letter (for example total_inbounds_30d)."
    ]


def test_fails_if_a_prediction_key_is_not_snake_case(default_config: Analyzer) -> None:
    dotted = only(
        lambda: Prediction(
            "churn", space_id=SPACE_ID, kind="churn", trait_key="likelihood.to.churn"
        )
    )

    (message,) = reported(default_config, SNAKE, dotted)

    assert message.startswith(
        'Prediction "churn" writes the trait key "likelihood.to.churn"; trait keys must match'
    )


@pytest.mark.parametrize(
    "name", ["Total Inbounds", "Total Calls (30d)", "frequentChannel", "  Last  -- agent "]
)
def test_trait_keys_are_derived_as_the_emulator_derives_them(name: str) -> None:
    assert trait_key(name) == snake_case(name)


def test_passes_if_every_key_in_the_stack_is_distinct(default_config: Analyzer) -> None:
    resources = run_program(
        lambda: [
            ComputedTrait(
                "total-calls", space_id=SPACE_ID, name="Total Calls", definition=INBOUNDS
            ),
            Audience(
                "called-again", space_id=SPACE_ID, name="Called Again", definition=CALLED_AGAIN
            ),
            Prediction("churn", space_id=SPACE_ID, kind="churn"),
        ]
    )

    assert [d for d in default_config.analyze_stack(resources) if d.policy == UNIQUE] == []


def test_fails_if_a_computed_trait_and_an_audience_share_a_key(default_config: Analyzer) -> None:
    resources = run_program(
        lambda: [
            ComputedTrait(
                "total-calls", space_id=SPACE_ID, name="Total Calls", definition=INBOUNDS
            ),
            Audience(
                "calls-audience", space_id=SPACE_ID, name="total_calls", definition=CALLED_AGAIN
            ),
        ]
    )

    (diagnostic,) = [d for d in default_config.analyze_stack(resources) if d.policy == UNIQUE]

    assert diagnostic.detail == (
        'Computed trait "total-calls" has the trait key "total_calls", as does audience '
        '"calls-audience" in this stack; rename one of them so that each key means one trait.'
    )
    assert diagnostic.urn == next(r.urn for r in resources if r.name == "total-calls")


def test_fails_if_a_computed_trait_shares_a_predictions_key(default_config: Analyzer) -> None:
    resources = run_program(
        lambda: [
            Prediction("churn", space_id=SPACE_ID, kind="churn"),
            ComputedTrait(
                "churn-score", space_id=SPACE_ID, name="Likelihood to Churn", definition=INBOUNDS
            ),
        ]
    )

    (diagnostic,) = [d for d in default_config.analyze_stack(resources) if d.policy == UNIQUE]

    assert diagnostic.detail.startswith(
        'Computed trait "churn-score" has the trait key "likelihood_to_churn", as does '
        'prediction "churn" in this stack;'
    )
