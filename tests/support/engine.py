"""The engine harness lives in the package (the demo uses it where the Pulumi CLI is missing)."""

from segment_unify.localrun.engine import (
    PROVIDER_KEY,
    CheckFailedError,
    Diff,
    Engine,
    ProviderProcess,
    Resource,
    from_struct,
    provider_blob,
    to_struct,
)

__all__ = [
    "PROVIDER_KEY",
    "CheckFailedError",
    "Diff",
    "Engine",
    "ProviderProcess",
    "Resource",
    "from_struct",
    "provider_blob",
    "to_struct",
]
