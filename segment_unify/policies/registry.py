"""The pack's explicit registry of policies.

Every rule module hands its policies to :class:`PolicyRegistry`; a second policy under a name
already taken is an error at import time rather than a silently shadowed rule (the engine keys
configuration and enforcement levels by policy name, so two policies with one name would share
them).
"""

from __future__ import annotations

from collections.abc import Iterable

from pulumi_policy import Policy

__all__ = ["DuplicatePolicyError", "PolicyRegistry"]


class DuplicatePolicyError(ValueError):
    """Two policies were registered under the same name."""


class PolicyRegistry:
    """An ordered set of policies keyed by name; registration order is report order."""

    def __init__(self) -> None:
        self._policies: dict[str, Policy] = {}

    def register(self, policies: Iterable[Policy]) -> None:
        for policy in policies:
            if policy.name in self._policies:
                raise DuplicatePolicyError(
                    f"The policy name {policy.name!r} is registered twice; "
                    "give each policy its own name."
                )
            self._policies[policy.name] = policy

    def names(self) -> list[str]:
        return list(self._policies)

    def policies(self) -> list[Policy]:
        return list(self._policies.values())
