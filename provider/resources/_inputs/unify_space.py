"""What ``check`` validates of a ``UnifySpace``: its slug."""

from __future__ import annotations

from pydantic import Field

from segment_unify.provider.resources._inputs.base import Inputs


class UnifySpaceInputs(Inputs):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=100)
