"""A trait made in Segment's app, brought under the stack: ``adopt_id``, or Pulumi's ``import_``.

Config ``how``: ``adopt_id`` (this package's argument, which works) or ``import_`` (Pulumi's
resource option, which cannot serve dynamic resources; the e2e test shows the error).
"""

import pulumi

from segment_unify.provider import ComputedTrait, ComputedTraitArgs, UnifySpace

config = pulumi.Config()
existing = config.require("existingId")
space = UnifySpace("space", slug=config.require("spaceSlug"))
args = ComputedTraitArgs(
    space_id=space.space_id,
    name=config.require("name"),
    description=config.get("description"),
    definition={"type": "USERS", "query": config.require("query")},
)
if config.require("how") == "import_":
    trait = ComputedTrait("adopted", args, opts=pulumi.ResourceOptions(import_=existing))
else:
    trait = ComputedTrait("adopted", args, adopt_id=existing)
pulumi.export("traitId", trait.computed_trait_id)
pulumi.export("traitName", trait.name)
