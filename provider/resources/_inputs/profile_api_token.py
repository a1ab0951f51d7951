"""What ``check`` validates of a ``ProfileApiToken``; the token stays out of reprs."""

from __future__ import annotations

from pydantic import Field

from segment_unify.provider.resources._inputs.base import SpaceInputs


class ProfileApiTokenInputs(SpaceInputs):
    token: str = Field(min_length=1, repr=False)
