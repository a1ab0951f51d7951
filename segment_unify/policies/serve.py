"""Serving the pack to the engine (what the pack folders' ``__main__.py`` calls)."""

from __future__ import annotations

from pulumi_policy import PolicyPack

from segment_unify.policies import DEFAULT_ENFORCEMENT, PACK_DESCRIPTION, PACK_NAME, POLICIES


def serve() -> None:
    """Serve the pack's policies until the engine is done with them (``PolicyPack`` blocks)."""
    PolicyPack(
        name=PACK_NAME,
        policies=POLICIES,
        enforcement_level=DEFAULT_ENFORCEMENT,
        description=PACK_DESCRIPTION,
    )
