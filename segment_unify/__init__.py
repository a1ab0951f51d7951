"""Segment Unify / Twilio Unified Profiles setup as Pulumi Python code.

Subpackages: ``provider`` (clients and dynamic resources), ``components``
(``UnifiedProfilesStack``), ``emulator`` (a local Segment), ``policies`` (the policy pack's rules).
Importing this package has no side effects.
"""

from pkgutil import extend_path

# In a checkout, this folder holds only part of the package (``provider/`` and the others are
# mapped in by the build backend). Run from the checkout's root, the folder is found first:
# the rest comes from the other ``segment_unify`` folders on the path, such as the link tree a
# strict editable install lays out (see the Makefile). An installed wheel has only one.
__path__ = extend_path(__path__, __name__)

__version__ = "0.1.0"
__all__ = ["__version__"]
