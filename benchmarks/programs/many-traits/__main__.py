"""``count`` computed traits in one Unify space (the refresh-at-scale benchmark's stack)."""

import pulumi

from segment_unify.provider import ComputedTrait, ComputedTraitArgs, UnifySpace

config = pulumi.Config()
space = UnifySpace("space", slug=config.require("spaceSlug"))
for n in range(config.require_int("count")):
    ComputedTrait(
        f"trait-{n}",
        ComputedTraitArgs(
            space_id=space.space_id,
            name=f"Trait {n}",
            definition={"type": "USERS", "query": "event('Flex - Engagement Initiated').count()"},
        ),
    )
