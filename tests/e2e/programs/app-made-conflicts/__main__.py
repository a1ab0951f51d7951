"""A source slug, a trait name and an audience name that objects made in Segment's app hold.

The e2e test makes those objects first; ``pulumi up`` must refuse all three (naming each and
the ``adopt_id`` that would bring it in) and ``pulumi destroy`` must leave them as they were.
"""

import pulumi

from segment_unify.provider import (
    Audience,
    AudienceArgs,
    ComputedTrait,
    ComputedTraitArgs,
    Source,
    SourceArgs,
    UnifySpace,
)

config = pulumi.Config()
space = UnifySpace("space", slug=config.require("spaceSlug"))
Source(
    "web", SourceArgs(catalog_slug="javascript", slug=config.require("sourceSlug"), name="Website")
)
ComputedTrait(
    "inbounds",
    ComputedTraitArgs(
        space_id=space.space_id,
        name=config.require("traitName"),
        definition={"type": "USERS", "query": config.require("traitQuery")},
    ),
)
Audience(
    "frequent",
    AudienceArgs(
        space_id=space.space_id,
        name=config.require("audienceName"),
        definition=config.require("audienceQuery"),
    ),
)
