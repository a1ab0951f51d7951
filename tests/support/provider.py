"""A provider process configured for an emulator, as the engine configures it (over gRPC)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from segment_unify.localrun.engine import ProviderProcess

# The test process's own environment must not configure the provider behind the engine's back.
BLANK_ENV = {
    "SEGMENT_PUBLIC_API_TOKEN": "",
    "SEGMENT_PUBLIC_API_URL": "",
    "SEGMENT_PROFILE_API_URL": "",
}


@contextlib.contextmanager
def configured_provider(emulator: Any, log_level: str | None = None) -> Iterator[ProviderProcess]:
    with ProviderProcess(BLANK_ENV, log_level=log_level) as proc:
        proc.configure(
            {
                "segment:token": emulator.token,
                "segment:endpoint": emulator.url,
                "segment:profileEndpoint": emulator.profile_url,
            }
        )
        yield proc
