"""Twilio's recommended Flex computed traits in an existing Unify space, and nothing else.

Stack config (the ``segment:*`` keys are the provider's):

- ``spaceSlug``: the Unify space, made in Segment's app; adopted, never changed.
- ``traits``: which of the recommended traits, by key (all six if left out), e.g.
  ``["total_inbounds", "last_known_service_agent"]``.
- ``protect``: protect the traits and the space from ``pulumi destroy`` (production).
"""

from __future__ import annotations

import pulumi

from segment_unify.components.flex_traits import flex_traits
from segment_unify.provider import ComputedTrait, ComputedTraitArgs, TraitOptions, UnifySpace

config = pulumi.Config()
protect = config.get_bool("protect") or False

space = UnifySpace(
    "space",
    slug=config.require("spaceSlug"),
    opts=pulumi.ResourceOptions(protect=protect),
)
for spec in flex_traits(*(config.get_object("traits") or [])):
    trait = ComputedTrait(
        f"trait-{spec.key}",
        ComputedTraitArgs(
            space_id=space.space_id,
            name=spec.name,
            description=spec.description,
            definition=spec.definition.definition,
            options=TraitOptions(
                include_historical_data=spec.options.include_historical_data,
                include_anonymous_users=spec.options.include_anonymous_users,
                backfill_days=spec.options.backfill_days,
            ),
        ),
        opts=pulumi.ResourceOptions(protect=protect),
    )
    pulumi.export(spec.key, trait.computed_trait_id)

pulumi.export("spaceId", space.space_id)
