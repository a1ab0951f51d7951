"""The pack's rules, one module per area, collected in an explicit registry.

- :mod:`.definitions`: ``definition-valid``, ``most-frequent-minimum-frequency``
- :mod:`.limits`: ``time-window-maximum``, ``expression-count-limit``
- :mod:`.privacy`: ``no-personal-data-in-definitions``
- :mod:`.naming`: ``trait-key-snake-case``, ``trait-keys-unique`` (stack)
- :mod:`.production`: ``production-traits-include-historical-data``,
  ``production-data-resources-protected``

Importing builds the policy objects only; nothing is started.
"""

from __future__ import annotations

from pulumi_policy import Policy

from segment_unify.policies.registry import PolicyRegistry
from segment_unify.policies.rules import definitions, limits, naming, privacy, production

__all__ = ["POLICIES", "REGISTRY"]

REGISTRY = PolicyRegistry()
for _module in (definitions, limits, privacy, naming, production):
    REGISTRY.register(_module.POLICIES)

POLICIES: list[Policy] = REGISTRY.policies()
