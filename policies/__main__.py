"""Entry point the Pulumi CLI runs for ``--policy-pack policies`` (``python -m pulumi.policy``
runs this file as ``__main__``): serves the pack's policies to the engine until it exits."""

from __future__ import annotations

from pulumi_policy import PolicyPack

from segment_unify.policies import DEFAULT_ENFORCEMENT, PACK_DESCRIPTION, PACK_NAME, POLICIES

if __name__ == "__main__":
    PolicyPack(
        name=PACK_NAME,
        policies=POLICIES,
        enforcement_level=DEFAULT_ENFORCEMENT,
        description=PACK_DESCRIPTION,
    )
