"""The Segment Unify policy pack: rules on computed traits, audiences and production stacks.

``POLICIES`` is the list ``__main__.py`` hands to ``PolicyPack``; importing this package only
builds policy objects (no analyzer is started), so tests and other tools can use the rules.
Run the pack with the Pulumi CLI: ``pulumi preview --policy-pack policies`` (README.md).
"""

from __future__ import annotations

from pulumi_policy import EnforcementLevel

from segment_unify.policies.rules import POLICIES, REGISTRY

__all__ = ["DEFAULT_ENFORCEMENT", "PACK_DESCRIPTION", "PACK_NAME", "POLICIES", "REGISTRY"]

PACK_NAME = "segment-unify"
PACK_DESCRIPTION = "Rules for Segment Unify setups: definitions, personal data, keys, production."
# Violations warn unless the stack's --policy-pack-config raises them (config.prod.json).
DEFAULT_ENFORCEMENT = EnforcementLevel.ADVISORY
