"""The Profile API host follows the workspace's region: Segment serves EU workspaces' spaces
from its EU hosts (Public API ``eu1.api.segmentapis.com``, Profile API
``profiles.euw1.segment.com``), so naming the EU Public API endpoint brings the EU Profile API."""

from __future__ import annotations

from segment_unify.provider import _constants as c
from segment_unify.provider.config import resolve


def test_eu_public_endpoint_brings_the_eu_profile_endpoint() -> None:
    settings = resolve(config={"segment:endpoint": c.EU_PUBLIC_API_URL}, environ={})
    assert settings.profile_endpoint == c.EU_PROFILE_API_URL


def test_us_is_the_default_for_both() -> None:
    settings = resolve(environ={})
    assert (settings.endpoint, settings.profile_endpoint) == (
        c.US_PUBLIC_API_URL,
        c.US_PROFILE_API_URL,
    )


def test_an_explicit_profile_endpoint_wins() -> None:
    settings = resolve(
        config={"segment:endpoint": c.EU_PUBLIC_API_URL},
        environ={c.ENV_PROFILE_API_URL: "http://127.0.0.1:9/profiles"},
    )
    assert settings.profile_endpoint == "http://127.0.0.1:9/profiles"
