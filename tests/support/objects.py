"""Segment objects the client tests make through the Public API to have something to change."""

from __future__ import annotations

from segment_unify.provider.catalog import SEGMENT_PROFILES_DESTINATION, SEND_IDENTIFY_ACTION
from segment_unify.provider.client import SegmentClient


def subscription_path(client: SegmentClient, source_slug: str) -> str:
    """A Send Identify mapping on a new source's Segment Profiles destination: its path."""
    source = client.post(
        "CreateSource",
        "/sources",
        {"slug": source_slug, "enabled": True, "metadataId": "IqDTy1TpoU"},
    )["source"]
    destination = client.post(
        "CreateDestination",
        "/destinations",
        {"sourceId": source["id"], "metadataId": SEGMENT_PROFILES_DESTINATION, "settings": {}},
    )["destination"]
    sub = client.post(
        "CreateDestinationSubscription",
        f"/destinations/{destination['id']}/subscriptions",
        {
            "name": "s",
            "actionId": SEND_IDENTIFY_ACTION,
            "trigger": 'type = "identify"',
            "enabled": True,
        },
    )["destinationSubscription"]
    return f"/destinations/{destination['id']}/subscriptions/{sub['id']}"
