"""A Reverse ETL model synced into profiles, and a computed trait, under names the test renames.

Config: ``spaceSlug``; ``names`` (``old`` or ``new``: the resource names, as a program renamed);
``aliases`` (``true``: the new names carry ``aliases`` to the old ones); ``traitAdoptId``;
``copyAdoptId`` (a second trait, ``fav-channel-copy``, declared beside the first with this
``adopt_id``; ``copy`` = ``true`` declares it without);
``withMappings`` (``true``: two Send Identify mappings of the model, one named ``mappingName``,
one autonamed).
"""

import pulumi

from segment_unify.provider import (
    ComputedTrait,
    Destination,
    DestinationSubscription,
    ReverseEtlModel,
    ReverseEtlSchedule,
    SendIdentifyMapping,
    Source,
    UnifySpace,
)
from segment_unify.query import event_counter

config = pulumi.Config()
renamed = config.get("names") == "new"
aliased = config.get_bool("aliases") or False


def named(old: str, new: str) -> tuple[str, pulumi.ResourceOptions | None]:
    if not renamed:
        return old, None
    return new, pulumi.ResourceOptions(aliases=[pulumi.Alias(name=old)]) if aliased else None


space = UnifySpace("space", slug=config.require("spaceSlug"))
name, opts = named("retl", "retl-renamed")
retl = Source(name, catalog_slug="postgres-reverse-etl", opts=opts)
model = ReverseEtlModel(
    "accounts",
    source_id=retl.id,
    query="SELECT id, email FROM salesforce.accounts",
    query_identifier_column="id",
)
profiles = Destination("profiles", source_id=retl.id, catalog_slug="actions-segment-profiles")
if config.get_bool("withMappings"):
    mapping = SendIdentifyMapping(
        engage_space=space.write_key, user_id="id", traits={"email": "email"}
    )
    for resource, mapping_name in (("named", config.require("mappingName")), ("auto", None)):
        DestinationSubscription(
            resource,
            destination_id=profiles.id,
            model_id=model.id,
            name=mapping_name,
            mapping=mapping,
            schedule=ReverseEtlSchedule.periodic("1h"),
        )
name, opts = named("fav-channel", "favourite-channel")
trait = ComputedTrait(
    name,
    space_id=space.space_id,
    name="Favourite channel",
    definition=event_counter("Flex - Engagement Initiated").within(days=30),
    adopt_id=config.get("traitAdoptId"),
    opts=opts,
)
if config.get("copyAdoptId") or config.get_bool("copy"):
    ComputedTrait(
        "fav-channel-copy",
        space_id=space.space_id,
        name="Favourite channel (copy)",
        definition=event_counter("Flex - Engagement Initiated").within(days=30),
        adopt_id=config.get("copyAdoptId"),
        opts=pulumi.ResourceOptions(depends_on=[trait]),
    )
pulumi.export("sourceSlug", retl.slug)
pulumi.export("traitId", trait.computed_trait_id)
