"""An audience on a computed trait of the same program, with no ``depends_on``.

Config ``how``: ``resource`` (``trait(inbound) >= 3``) or ``apply``
(``inbound.key.apply(lambda k: trait(k) >= 3)``); ``traitName`` is the trait's name, whose key
the audience must follow when it changes.
"""

import pulumi

from segment_unify.provider import Audience, ComputedTrait, UnifySpace
from segment_unify.query import event_counter, prop, trait

config = pulumi.Config()
space = UnifySpace("space", slug=config.require("spaceSlug"))
inbound = ComputedTrait(
    "inbound",
    space_id=space.space_id,
    name=config.require("traitName"),
    definition=event_counter("Flex - Engagement Initiated")
    .where(prop("direction") == "Inbound")
    .within(days=30),
)
if config.require("how") == "apply":
    definition = inbound.key.apply(lambda key: trait(key) >= 3)
else:
    definition = trait(inbound) >= 3
callers = Audience(
    "frequent-callers", space_id=space.space_id, name="Frequent callers", definition=definition
)
pulumi.export("traitKey", inbound.key)
pulumi.export("audienceId", callers.audience_id)
