"""Catalog ids a person cannot remember, by the slugs they can.

These are Segment's published metadata ids (segment-docs catalog data and the Public API SDK
examples). ``check`` resolves slugs from this table, so a preview makes no API call; for a catalog
entry not listed here, pass its ``metadata_id`` directly.
"""

from __future__ import annotations

from typing import Final

SOURCES: Final[dict[str, str]] = {
    "javascript": "IqDTy1TpoU",
    "http-api": "iUM16Md8P2",
    "salesforce": "2baks93n",
    "bigquery-reverse-etl": "78PbvP2yv8",
    "snowflake-reverse-etl": "BQp3zGUgjV",
    "postgres-reverse-etl": "WvlvcGEJsT",
    "redshift-reverse-etl": "0yMe8VfuDc",
    "databricks-reverse-etl": "aSPS4yE0CZ",
}

WAREHOUSES: Final[dict[str, str]] = {
    "postgres": "55d3d3aea3c",
    "redshift": "aea3c55dsz",
    "bigquery": "kwX50Df0hr",
    "snowflake": "CCIl4HLQPz",
}

# A Reverse ETL source reads from a warehouse of the same kind.
REVERSE_ETL_SOURCE_FOR_WAREHOUSE: Final[dict[str, str]] = {
    "postgres": "postgres-reverse-etl",
    "redshift": "redshift-reverse-etl",
    "bigquery": "bigquery-reverse-etl",
    "snowflake": "snowflake-reverse-etl",
}

# The Salesforce source's setting that picks the Salesforce it signs in to (Segment stores it in
# the source's settings; it must be right before the OAuth sign-in in Segment's app).
SALESFORCE_ENVIRONMENT: Final = "salesforce-environment"
SALESFORCE_ENVIRONMENTS: Final = ("production", "sandbox")

SEGMENT_PROFILES_DESTINATION: Final = "639c2dbb1309fdcad13951b6"
SEND_IDENTIFY_ACTION: Final = "vm2tNA5U1zxUusQkdC4D7Z"
SEGMENT_PROFILES_ACTIONS: Final[dict[str, str]] = {
    "sendIdentify": SEND_IDENTIFY_ACTION,
    "sendGroup": "zfCkGpUYbWN9ns5jr1jvU",
    "sendSubscription": "bJDm8aeYaQaGLVGtnRa28W",
    "sendTrack": "ujsJxBdpg7XkYwKSKREnQt",
}
DESTINATIONS: Final[dict[str, str]] = {"actions-segment-profiles": SEGMENT_PROFILES_DESTINATION}

# The slug of the internal source every Unify space has; its write key feeds Send Identify.
PERSONAS_COMPUTE_SLUG: Final = "personas-compute"


def resolve(table: dict[str, str], slug: str | None, metadata_id: str | None) -> str | None:
    """The metadata id for a slug (or the id given); None when the slug is not in the table."""
    if slug is None:
        return metadata_id
    return table.get(slug)
