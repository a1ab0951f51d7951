"""Where the clients get their settings: arguments, then Pulumi config, then the environment.

| setting | pulumi config | environment | default |
|---|---|---|---|
| token | ``segment:token`` (secret) | ``SEGMENT_PUBLIC_API_TOKEN`` | none: required |
| endpoint | ``segment:endpoint`` | ``SEGMENT_PUBLIC_API_URL`` | ``https://api.segmentapis.com`` |
| profile endpoint | ``segment:profileEndpoint`` | ``SEGMENT_PROFILE_API_URL`` |
| | | | ``https://profiles.segment.com``; with the EU endpoint, ``profiles.euw1`` |

The dynamic provider is pickled into every resource's state, so it holds no settings: its
``configure()`` hands the stack's config to the process's runtime (``runtime``), which resolves
it here and builds the clients from it. This module builds no client: the clients import it.
Importing it imports no pydantic (for ``SecretStr``): the provider process pays for that when
it first resolves settings to call Segment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from segment_unify.provider import _constants as c

if TYPE_CHECKING:
    from pydantic import SecretStr


class ConfigurationError(Exception):
    """A setting is missing or malformed; the message names the config key and env variable."""


@dataclass(frozen=True)
class Settings:
    """Resolved client settings. The token is a ``SecretStr`` so that reprs never show it."""

    token: SecretStr | None = field(default=None, repr=False)
    endpoint: str = c.US_PUBLIC_API_URL
    profile_endpoint: str = c.US_PROFILE_API_URL
    rate_limit_window: float = c.RATE_LIMIT_WINDOW
    # Where each value came from, for messages: a config key, an environment variable...
    token_from: str = f"segment:token or {c.ENV_PUBLIC_API_TOKEN}"
    endpoint_from: str = "the default"
    profile_endpoint_from: str = "the default"

    def require_token(self) -> SecretStr:
        if self.token is None or not self.token.get_secret_value():
            raise ConfigurationError(
                "No Segment Public API token: set it with "
                "`pulumi config set --secret segment:token <token>` or the "
                f"{c.ENV_PUBLIC_API_TOKEN} environment variable."
            )
        return self.token


def resolve(
    *,
    token: str | None = None,
    endpoint: str | None = None,
    profile_endpoint: str | None = None,
    config: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from arguments, then Pulumi config (``segment:*`` keys), then the environment."""
    from pydantic import SecretStr

    env = os.environ if environ is None else environ
    cfg = config or {}

    def pick_from(
        arg: str | None, key: str, var: str, default: str | None
    ) -> tuple[str | None, str]:
        """The value and where it came from, in the order settings are looked up."""
        named = ("an argument", f"pulumi config segment:{key}", f"environment variable {var}")
        values = (arg, cfg.get(f"segment:{key}"), env.get(var))
        for value, source in zip(values, named, strict=True):
            if value not in (None, ""):
                return str(value), source
        return default, f"the default (set segment:{key} or {var} to change it)"

    window = env.get(c.ENV_RATE_LIMIT_WINDOW)
    try:
        rate_window = float(window) if window else c.RATE_LIMIT_WINDOW
    except ValueError as exc:
        raise ConfigurationError(
            f"{c.ENV_RATE_LIMIT_WINDOW} must be a number of seconds, got {window!r}"
        ) from exc
    picked_token, token_from = pick_from(token, "token", c.ENV_PUBLIC_API_TOKEN, None)
    raw_token = clean_token(picked_token)
    picked, endpoint_from = pick_from(
        endpoint, "endpoint", c.ENV_PUBLIC_API_URL, c.US_PUBLIC_API_URL
    )
    public = _url(picked, "endpoint", endpoint_from, base_only=True)
    # An EU workspace's spaces live in the EU too: its Profile API is the EU host, not the US one.
    region_profile = c.EU_PROFILE_API_URL if public == c.EU_PUBLIC_API_URL else c.US_PROFILE_API_URL
    profile, profile_from = pick_from(
        profile_endpoint, "profileEndpoint", c.ENV_PROFILE_API_URL, region_profile
    )
    return Settings(
        token=SecretStr(raw_token) if raw_token else None,
        endpoint=public,
        profile_endpoint=_url(profile, "profileEndpoint", profile_from, base_only=False),
        rate_limit_window=rate_window,
        token_from=token_from if raw_token else Settings.token_from,
        endpoint_from=endpoint_from,
        profile_endpoint_from=profile_from,
    )


def clean_token(raw: str | None) -> str | None:
    """The token without the white space a paste or ``echo`` leaves around it.

    What is left must be printable ASCII with no space: a CR or LF would make the header
    illegal, and HTTP libraries quote an illegal header, token and all, in their errors. The
    message names the setting and the position, never the token.
    """
    if raw is None:
        return None
    token = raw.strip()
    for position, char in enumerate(token, start=1):
        if not "!" <= char <= "~":
            raise ConfigurationError(
                f"The Segment Public API token (segment:token or {c.ENV_PUBLIC_API_TOKEN}) has "
                f"white space or a control character at position {position}, which a token "
                "cannot hold; set it again with `pulumi config set --secret segment:token` "
                "(paste only the token)."
            )
    return token or None


def _url(value: str | None, key: str, source: str, *, base_only: bool) -> str:
    """``value`` as a URL the clients put paths after, or a ConfigurationError that names the
    setting, where it came from and the value to set instead.

    The Public API's paths start at its host (``/sources``, ``/spaces``...), so an endpoint with
    a path (``…/v1``) would put it before every path: Segment answers 404, which reads as
    "gone" on a read and only fails at the first write. The Profile API endpoint may have one
    (the emulator serves it under ``/profile-api``).
    """
    from urllib.parse import urlsplit

    assert value is not None
    default = c.US_PUBLIC_API_URL if base_only else c.US_PROFILE_API_URL
    parsed = urlsplit(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        bare = value.strip().lstrip("/")
        # Segment is https; a loopback address is the emulator, which serves plain http.
        scheme = "http" if bare.startswith(("127.", "localhost", "[::1]")) else "https"
        guess = f"{scheme}://{bare}" if "://" not in value else default
        raise ConfigurationError(
            f"segment:{key} is {value!r} (from {source}), which is not an http(s) URL; "
            f"give its scheme too: {_set_hint(key, source, guess)}"
        )
    if base_only and parsed.path.strip("/"):
        base = f"{parsed.scheme}://{parsed.netloc}"
        raise ConfigurationError(
            f"segment:{key} is {value!r} (from {source}): the Public API's paths start at the "
            f"host, so its path {parsed.path!r} would go before every call's and Segment would "
            f"answer 404 Not Found; give the base URL only: {_set_hint(key, source, base)}"
        )
    return value.strip().rstrip("/")


def _set_hint(key: str, source: str, url: str) -> str:
    """How to set ``segment:<key>`` to ``url``, where the current value came from."""
    variable = {"endpoint": c.ENV_PUBLIC_API_URL, "profileEndpoint": c.ENV_PROFILE_API_URL}[key]
    if source.startswith("environment variable"):
        return f"export {variable}={url}"
    return f"pulumi config set segment:{key} {url}"
