"""The last three stages of ``UnifiedProfilesStack``: computed traits, predictions, audiences.

They are declared from what the space has (``space_readiness``), each stage after the one
before it: a trait whose events Segment has not seen, a prediction not made in Segment's app,
and an audience reading either become pending steps instead of resources that would fail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi

from segment_unify.components.pending_steps import (
    PendingStep,
    audience_waits,
    prediction_not_made,
    trait_waits_for_events,
)
from segment_unify.components.space_readiness import SpaceReadiness
from segment_unify.components.unified_profiles_config import (
    UnifiedProfilesStackArgs,
    audience_key,
    prediction_key,
    prediction_name,
    query_of,
    trait_key,
)
from segment_unify.provider.resources import (
    Audience,
    AudienceArgs,
    ComputedTrait,
    ComputedTraitArgs,
    Prediction,
    PredictionArgs,
)

# The component's options for a child (a fresh object each): after these resources; protected
# if it holds data.
Opts = Callable[..., pulumi.ResourceOptions]
# The listed steps after which the space receives these events.
Bringing = Callable[[Sequence[str]], list[PendingStep]]


@dataclass
class SpaceObjects:
    computed_traits: dict[str, ComputedTrait] = field(default_factory=dict)
    predictions: dict[str, Prediction] = field(default_factory=dict)
    audiences: dict[str, Audience] = field(default_factory=dict)
    deferred: list[PendingStep] = field(default_factory=list)
    """What waits for the space, in the stages' order."""

    def as_output(self, steps: Sequence[PendingStep]) -> pulumi.Output[dict[str, Any]]:
        """Their ids and the pending ``steps``, as one Output."""
        return pulumi.Output.from_input(
            {
                "computedTraitIds": {
                    key: trait.computed_trait_id for key, trait in self.computed_traits.items()
                },
                "predictionTraitKeys": {
                    key: prediction.trait_key for key, prediction in self.predictions.items()
                },
                "audienceIds": {key: a.audience_id for key, a in self.audiences.items()},
                "pendingSteps": [step.as_output() for step in steps],
            }
        )


def declare_space_objects(
    args: UnifiedProfilesStackArgs,
    state: SpaceReadiness,
    after: list[pulumi.Resource],
    *,
    name: str,
    space_id: pulumi.Input[str],
    opts: Opts,
    bringing: Bringing,
) -> SpaceObjects:
    """Declare the traits, predictions and audiences ``state`` allows, children named
    ``<name>-…``; the rest become pending steps, each naming the steps it waits for."""
    made = SpaceObjects()
    # trait key -> the pending step that makes it, for the audiences that read it
    waiting: dict[str, PendingStep] = {}
    ready_traits = []
    for trait in args.computed_traits:
        key = trait_key(trait)
        missing = state.events_missing_for(query_of(trait.definition))
        if missing:
            step = trait_waits_for_events(str(trait.name), key, missing, bringing(missing))
            made.deferred.append(step)
            waiting[key] = step
        else:
            ready_traits.append(trait)
    made.computed_traits = _traits(ready_traits, name, space_id, lambda: opts(after, data=True))
    after = list(made.computed_traits.values()) or after
    ready_predictions = []
    for config in args.predictions:
        key = prediction_key(config)
        if state.has_trait(key):
            ready_predictions.append(config)
        else:
            waiting[key] = prediction_not_made(str(config.kind), key)
            made.deferred.append(waiting[key])
    made.predictions = _predictions(ready_predictions, name, space_id, lambda: opts(after))
    after = list(made.predictions.values()) or after
    made_keys = {trait_key(trait) for trait in ready_traits} | {
        prediction_key(prediction) for prediction in ready_predictions
    }
    ready_audiences = []
    for audience in args.audiences:
        query = query_of(audience.definition)
        events, traits = state.audience_lacks(query, made_keys)
        if events or traits:
            waiting_on = bringing(events) if events else []
            waiting_on += [
                waiting[key] for key in traits if key in waiting and waiting[key] not in waiting_on
            ]
            reasons = state.lacks_for_audience(query, made_keys)
            made.deferred.append(audience_waits(str(audience.name), reasons, waiting_on))
        else:
            ready_audiences.append(audience)
    made.audiences = _audiences(ready_audiences, name, space_id, lambda: opts(after, data=True))
    return made


def _traits(
    traits: Sequence[ComputedTraitArgs],
    name: str,
    space_id: pulumi.Input[str],
    opts: Callable[[], pulumi.ResourceOptions],
) -> dict[str, ComputedTrait]:
    # The key is declared, so a rename that would change a key other queries read fails at
    # preview instead of replacing the trait.
    return {
        trait_key(trait): ComputedTrait(
            f"{name}-trait-{trait_key(trait)}",
            replace(trait, space_id=space_id, key=trait_key(trait)),
            opts(),
        )
        for trait in traits
    }


def _predictions(
    configs: Sequence[PredictionArgs],
    name: str,
    space_id: pulumi.Input[str],
    opts: Callable[[], pulumi.ResourceOptions],
) -> dict[str, Prediction]:
    return {
        prediction_name(config): Prediction(
            f"{name}-prediction-{prediction_name(config)}",
            replace(config, space_id=space_id),
            opts(),
        )
        for config in configs
    }


def _audiences(
    audiences: Sequence[AudienceArgs],
    name: str,
    space_id: pulumi.Input[str],
    opts: Callable[[], pulumi.ResourceOptions],
) -> dict[str, Audience]:
    return {
        audience_key(audience): Audience(
            f"{name}-audience-{audience_key(audience)}",
            replace(audience, space_id=space_id),
            opts(),
        )
        for audience in audiences
    }
