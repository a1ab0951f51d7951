"""The pickled provider in every resource's ``__provider``: small, and never holding a token."""

from __future__ import annotations

import base64

import pytest

from segment_unify.localrun.engine import provider_blob
from segment_unify.provider import runtime
from segment_unify.provider.resources._resource import SegmentResource
from tests.resources.check_fuzz import RESOURCES

TOKEN = "sgp_FAKE_pickle_test_token_value_0000"


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_serialized_provider_is_small_and_holds_no_token(
    cls: type[SegmentResource], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The program's process knows the token and has built a client: none of it may be pickled.
    monkeypatch.setenv("SEGMENT_PUBLIC_API_TOKEN", TOKEN)
    runtime.configure({"segment:token": TOKEN, "segment:endpoint": "http://127.0.0.1:9"})
    runtime.current().public_client()
    blob = provider_blob(cls._segment_provider)
    raw = base64.b64decode(blob)
    assert len(blob) < 4096, len(blob)
    assert TOKEN.encode() not in raw
    assert b"SegmentClient" not in raw
    # By reference: the class is named, its code is not carried.
    assert cls._segment_provider.__class__.__module__.encode() in raw
    runtime.reset()
