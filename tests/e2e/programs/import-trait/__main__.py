"""A trait made in Segment's app, brought under the stack with ``import_`` (its id in the space)."""

import pulumi

from segment_unify.provider import ComputedTrait, ComputedTraitArgs, UnifySpace

config = pulumi.Config()
space = UnifySpace("space", slug=config.require("spaceSlug"))
trait = ComputedTrait(
    "adopted",
    ComputedTraitArgs(
        space_id=space.space_id,
        name=config.require("name"),
        definition={"type": "USERS", "query": config.require("query")},
    ),
    opts=pulumi.ResourceOptions(import_=config.require("importId")),
)
pulumi.export("traitId", trait.computed_trait_id)
