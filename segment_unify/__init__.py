"""Segment Unify / Twilio Unified Profiles setup as Pulumi Python code.

Subpackages: ``provider`` (clients and dynamic resources), ``components``
(``UnifiedProfilesStack``), ``emulator`` (a local Segment), ``policies`` (the policy pack's rules).
Importing this package has no side effects.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
