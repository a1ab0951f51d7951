"""The computed traits Twilio's Unified Profiles guide recommends for Flex.

Six traits over the events Flex sends through its ``flex-unify-server-source``:
``Flex - Engagement Initiated`` (``direction``, ``channelType``, ``lastKnownAgentWorkerSid``,
``duration``) and ``Flex - Engagement Completed`` (``sentiment``). Property names follow
Segment's guide (lower case); Twilio's own table capitalises ``Duration`` and ``Direction``, so
check a real payload if a trait stays empty. The queries are inferred from the guide's
descriptions; Segment does not publish them.

Not handled here: creating the traits (that is the stack component's job), the Flex interaction
Segment requires before they can be created, and the ``Flex - Wrap Up Completed`` event of
2024 drafts, which current docs no longer list.
"""

from __future__ import annotations

from segment_unify.provider.resources.computed_trait import ComputedTraitArgs
from segment_unify.query import (
    TraitOptions,
    TraitQuery,
    event_counter,
    last,
    most_frequent,
    prop,
)

__all__ = [
    "ENGAGEMENT_COMPLETED",
    "ENGAGEMENT_INITIATED",
    "FLEX_TRAITS",
    "FLEX_TRAIT_KEYS",
    "TraitSpec",
    "flex_traits",
]

ENGAGEMENT_INITIATED = "Flex - Engagement Initiated"
ENGAGEMENT_COMPLETED = "Flex - Engagement Completed"

# Programs written before the component took ``ComputedTraitArgs`` name a trait so.
TraitSpec = ComputedTraitArgs


def _flex_trait(name: str, key: str, description: str, definition: TraitQuery) -> ComputedTraitArgs:
    # The key is declared, so a rename that would change a key Flex reads fails at preview;
    # historical data is Segment's documented default, and saying so keeps it in the payload.
    return ComputedTraitArgs(
        name=name,
        key=key,
        description=description,
        definition=definition,
        options=TraitOptions(include_historical_data=True),
    )


_INBOUND = prop("direction") == "Inbound"
_OUTBOUND = prop("direction") == "Outbound"

FLEX_TRAITS: tuple[ComputedTraitArgs, ...] = (
    _flex_trait(
        name="Total inbounds",
        key="total_inbounds",
        description="How many inbound Flex interactions the customer has had.",
        definition=event_counter(ENGAGEMENT_INITIATED).where(_INBOUND),
    ),
    _flex_trait(
        name="Frequent inbound channel",
        key="frequent_inbound_channel",
        description="The channel the customer most often uses to contact the contact center.",
        definition=most_frequent(ENGAGEMENT_INITIATED, "channelType", min_frequency=2).where(
            _INBOUND
        ),
    ),
    _flex_trait(
        name="Total outbounds",
        key="total_outbounds",
        description="How many outbound Flex interactions agents have had with the customer.",
        definition=event_counter(ENGAGEMENT_INITIATED).where(_OUTBOUND),
    ),
    _flex_trait(
        name="Last known service agent",
        key="last_known_service_agent",
        description="The worker SID of the last agent who handled the customer.",
        definition=last(ENGAGEMENT_INITIATED, "lastKnownAgentWorkerSid"),
    ),
    _flex_trait(
        name="Last interaction duration",
        key="last_interaction_duration",
        description="How long the customer's last Flex interaction lasted, in seconds.",
        definition=last(ENGAGEMENT_INITIATED, "duration"),
    ),
    _flex_trait(
        name="Sentiment in last interaction",
        key="sentiment_in_last_interaction",
        description="The sentiment of the customer's last interaction (positive, neutral or "
        "negative), from Agent Copilot's wrap-up.",
        definition=last(ENGAGEMENT_COMPLETED, "sentiment"),
    ),
)

_BY_KEY = {str(spec.key): spec for spec in FLEX_TRAITS}
FLEX_TRAIT_KEYS: tuple[str, ...] = tuple(_BY_KEY)


def flex_traits(*keys: str) -> tuple[ComputedTraitArgs, ...]:
    """The recommended traits with these keys, in the order given (all six if none).

    Raises KeyError naming the unknown keys and listing the valid ones.
    """
    if not keys:
        return FLEX_TRAITS
    unknown = [key for key in keys if key not in _BY_KEY]
    if unknown:
        raise KeyError(
            f"unknown Flex trait key(s): {', '.join(map(repr, unknown))}; "
            f"valid keys are {', '.join(_BY_KEY)}"
        )
    return tuple(_BY_KEY[key] for key in dict.fromkeys(keys))
