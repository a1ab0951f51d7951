"""Twilio's recommended Flex computed traits in an existing Unify space, and nothing else.

Stack config (the ``segment:*`` keys are the provider's):

- ``spaceSlug``: the Unify space, made in Segment's app; adopted, never changed.
- ``traits``: which of the recommended traits, by key (all six if left out), e.g.
  ``["total_inbounds", "last_known_service_agent"]``.
- ``protect``: protect the traits and the space from ``pulumi destroy`` (production).
"""

from __future__ import annotations

from dataclasses import replace

import pulumi

from segment_unify.components.flex_traits import flex_traits
from segment_unify.provider import ComputedTrait, UnifySpace

config = pulumi.Config()
protect = config.get_bool("protect") or False

space = UnifySpace(
    "space",
    slug=config.require("spaceSlug"),
    opts=pulumi.ResourceOptions(protect=protect),
)
# Each recommended trait is a ComputedTraitArgs: only the space is left to fill in.
for spec in flex_traits(*(config.get_object("traits") or [])):
    trait = ComputedTrait(
        f"trait-{spec.key}",
        replace(spec, space_id=space.space_id),
        opts=pulumi.ResourceOptions(protect=protect),
    )
    pulumi.export(str(spec.key), trait.computed_trait_id)

pulumi.export("spaceId", space.space_id)
