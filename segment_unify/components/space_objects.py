"""The last three stages of ``UnifiedProfilesStack``: computed traits, predictions, audiences.

They are declared from what the space has (``space_readiness``), each stage after the one
before it: a trait whose events Segment has not seen, a prediction not made in Segment's app,
and an audience reading either become pending steps instead of resources that would fail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pulumi

from segment_unify.components.flex_traits import TraitSpec
from segment_unify.components.pending_steps import (
    PendingStep,
    audience_waits,
    prediction_not_made,
    trait_waits_for_events,
)
from segment_unify.components.space_readiness import SpaceReadiness
from segment_unify.components.unified_profiles_config import (
    AudienceConfig,
    PredictionConfig,
    UnifiedProfilesStackArgs,
)
from segment_unify.provider.resources import (
    Audience,
    AudienceArgs,
    ComputedTrait,
    ComputedTraitArgs,
    Prediction,
    PredictionArgs,
)
from segment_unify.provider.resources.computed_trait import builder_options
from segment_unify.provider.resources.prediction import DEFAULT_TRAIT_KEYS

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
    for spec in args.computed_traits:
        missing = state.events_missing_for(spec.query)
        if missing:
            step = trait_waits_for_events(spec.name, spec.key, missing, bringing(missing))
            made.deferred.append(step)
            waiting[spec.key] = step
        else:
            ready_traits.append(spec)
    made.computed_traits = _traits(ready_traits, name, space_id, lambda: opts(after, data=True))
    after = list(made.computed_traits.values()) or after
    ready_predictions = []
    for config in args.predictions:
        trait_key = config.trait_key or DEFAULT_TRAIT_KEYS.get(config.kind, config.kind)
        if state.has_trait(trait_key):
            ready_predictions.append(config)
        else:
            waiting[trait_key] = prediction_not_made(config.kind, trait_key)
            made.deferred.append(waiting[trait_key])
    made.predictions = _predictions(ready_predictions, name, space_id, lambda: opts(after))
    after = list(made.predictions.values()) or after
    made_keys = {spec.key for spec in ready_traits} | {
        c.trait_key or DEFAULT_TRAIT_KEYS.get(c.kind, c.kind) for c in ready_predictions
    }
    ready_audiences = []
    for audience in args.audiences:
        value = audience.definition_value()
        query = value if isinstance(value, str) else str(value.get("query", ""))
        events, traits = state.audience_lacks(query, made_keys)
        if events or traits:
            waiting_on = bringing(events) if events else []
            waiting_on += [
                waiting[key] for key in traits if key in waiting and waiting[key] not in waiting_on
            ]
            reasons = state.lacks_for_audience(query, made_keys)
            made.deferred.append(audience_waits(audience.name, reasons, waiting_on))
        else:
            ready_audiences.append(audience)
    made.audiences = _audiences(ready_audiences, name, space_id, lambda: opts(after, data=True))
    return made


def _traits(
    specs: Sequence[TraitSpec],
    name: str,
    space_id: pulumi.Input[str],
    opts: Callable[[], pulumi.ResourceOptions],
) -> dict[str, ComputedTrait]:
    return {
        spec.key: ComputedTrait(
            f"{name}-trait-{spec.key}",
            ComputedTraitArgs(
                space_id=space_id,
                name=spec.name,
                # Declared, so a rename that would change a key Flex reads fails at check.
                key=spec.key,
                description=spec.description,
                definition=spec.definition.definition,
                options=builder_options(spec),
            ),
            opts(),
        )
        for spec in specs
    }


def _predictions(
    configs: Sequence[PredictionConfig],
    name: str,
    space_id: pulumi.Input[str],
    opts: Callable[[], pulumi.ResourceOptions],
) -> dict[str, Prediction]:
    return {
        config.key(): Prediction(
            f"{name}-prediction-{config.key()}",
            PredictionArgs(space_id=space_id, kind=config.kind, trait_key=config.trait_key),
            opts(),
        )
        for config in configs
    }


def _audiences(
    configs: Sequence[AudienceConfig],
    name: str,
    space_id: pulumi.Input[str],
    opts: Callable[[], pulumi.ResourceOptions],
) -> dict[str, Audience]:
    return {
        config.resource_key(): Audience(
            f"{name}-audience-{config.resource_key()}",
            AudienceArgs(
                space_id=space_id,
                name=config.name,
                description=config.description,
                audience_type=config.audience_type,
                definition=config.definition_value(),
                options=config.options,
            ),
            opts(),
        )
        for config in configs
    }
