"""``ProviderRuntime``: everything the provider process keeps, in one object.

The dynamic provider is pickled by reference into every resource's state, so it can hold no
token, client or lock: the engine's ``configure()`` is the one place a process learns its
settings, and ``configure`` here makes (or re-configures) the process's runtime there. The
resources take it with ``current()`` at the top of an engine call and pass it down.

What it holds, one rule per kind:

- the stack's config and the settings resolved from it (``config.resolve``), the Public API
  client and one Profile API client per space token; a config that differs builds them again;
- one ``Session`` per endpoint and workspace (pacing, read listings, read-ahead, catalog
  listings, passed Test Connections), kept across re-configuration so pacing still counts
  the calls already made in the window;
- the stack's claims (``claims.Claims``): which resource declared which natural key and holds
  which object.

``reset()`` forgets it all (the state of a fresh process: tests, and a process that serves
one program after another).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from segment_unify.provider.claims import Claims
from segment_unify.provider.config import Settings, resolve
from segment_unify.provider.session import Session, workspace_key

if TYPE_CHECKING:
    from segment_unify.provider.client import SegmentClient
    from segment_unify.provider.profile_client import ProfileClient


class ProviderRuntime:
    """The provider process's settings, clients, sessions and the stack's claims."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._config: dict[str, Any] = {}
        self._settings: Settings | None = None
        self._public: SegmentClient | None = None
        self._profiles: dict[str, ProfileClient] = {}
        self._sessions: dict[tuple[str, str], Session] = {}
        self.claims = Claims()

    def __repr__(self) -> str:
        return f"ProviderRuntime(sessions={len(self._sessions)})"

    def configure(self, config: Mapping[str, Any]) -> None:
        """Take the stack's config (``segment:*`` keys) for every client built from now on."""
        with self._lock:
            # Every resource type's provider is configured, from several threads; all get the
            # same stack config, and a client another thread is using must not be closed.
            if dict(config) == self._config:
                return
            self._config = dict(config)
            self._settings = None
            self._public = None
            self._profiles = {}

    def settings(self) -> Settings:
        with self._lock:
            if self._settings is None:
                self._settings = resolve(config=self._config)
            return self._settings

    def session(self, endpoint: str, token: str) -> Session:
        """The session of ``endpoint`` and the workspace of ``token`` (keyed by a digest)."""
        key = (endpoint, workspace_key(token))
        with self._lock:
            found = self._sessions.get(key)
            if found is None:
                found = self._sessions[key] = Session(*key)
            return found

    def sessions(self) -> list[Session]:
        with self._lock:
            return list(self._sessions.values())

    def public_client(self) -> SegmentClient:
        """The Public API client, built on first use."""
        from segment_unify.provider.client import SegmentClient

        with self._lock:
            if self._public is not None:  # every engine call asks; most find it built
                return self._public
        settings = self.settings()
        token = settings.require_token()
        session = self.session(settings.endpoint, token.get_secret_value())
        with self._lock:
            if self._public is None:
                self._public = SegmentClient.from_settings(settings, session=session)
            return self._public

    def profile_client(self, space_token: str) -> ProfileClient:
        """A Profile API client for one space's access token (one per token)."""
        from segment_unify.provider.profile_client import ProfileClient

        settings = self.settings()
        with self._lock:
            client = self._profiles.get(space_token)
            if client is None:
                client = ProfileClient(
                    space_token,
                    base_url=settings.profile_endpoint,
                    endpoint_from=settings.profile_endpoint_from,
                )
                self._profiles[space_token] = client
            return client

    def drop_reads(self) -> None:
        """After a write: the listings that serve a refresh's reads may be stale."""
        for session in self.sessions():
            session.reads.drop_all()

    def close(self) -> None:
        """Wait for what the sessions list ahead, and close the clients."""
        for session in self.sessions():
            session.ahead.settle_all()
        with self._lock:
            public, self._public = self._public, None
            profiles, self._profiles = list(self._profiles.values()), {}
        if public is not None:
            public.close()
        for client in profiles:
            client.close()


# The one place the process keeps its runtime: the engine gives a dynamic provider nowhere else
# (its provider objects are pickled into state). Replaced whole, never changed in place.
_holder: list[ProviderRuntime] = []
_holder_lock = threading.Lock()


def current() -> ProviderRuntime:
    """The process's runtime; an unconfigured one (settings from the environment) before the
    engine's first ``configure()``."""
    with _holder_lock:
        if not _holder:
            _holder.append(ProviderRuntime())
        return _holder[0]


def configure(config: Mapping[str, Any]) -> ProviderRuntime:
    """The engine's ``configure()``: the process's runtime, with ``config``."""
    runtime = current()
    runtime.configure(config)
    return runtime


def reset() -> None:
    """Forget the runtime (the state of a fresh process), closing its clients."""
    with _holder_lock:
        old = _holder.pop() if _holder else None
    if old is not None:
        old.close()
