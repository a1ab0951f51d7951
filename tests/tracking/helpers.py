"""Shared pieces of the tracking tests: a source connected to a space, and senders."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass
from typing import Any

import httpx

from segment_unify.emulator.testing import InProcessEmulator

JAVASCRIPT = "IqDTy1TpoU"
DEV_SPACE = "unified-profiles-dev"


@dataclass
class Feed:
    """A `javascript` source made through the Public API and connected to a space."""

    emulator: InProcessEmulator
    source_id: str
    write_key: str
    space_id: str

    def send(
        self,
        kind: str,
        body: dict[str, Any],
        write_key: str | None = None,
        compress: bool = False,
    ) -> httpx.Response:
        return send(self.emulator, kind, body, write_key or self.write_key, compress)

    def admin(self, method: str, path: str) -> Any:
        response = httpx.request(method, f"{self.emulator.url}/__emulator{path}", timeout=30)
        response.raise_for_status()
        return response.json()

    def profiles(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.admin("GET", f"/spaces/{self.space_id}/profiles")[
            "profiles"
        ]
        return result

    def profile_of(self, id_type: str, value: str) -> dict[str, Any]:
        matches = [p for p in self.profiles() if {"type": id_type, "id": value} in p["externalIds"]]
        assert len(matches) == 1, matches
        return matches[0]

    def events_seen(self) -> dict[str, str]:
        with self.emulator.client() as api:
            events = api.get(f"/spaces/{self.space_id}/events").json()["data"]["events"]
        return {event["name"]: event["type"] for event in events}


def basic(write_key: str) -> str:
    return "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()


def send(
    emulator: InProcessEmulator,
    kind: str,
    body: dict[str, Any],
    write_key: str | None,
    compress: bool = False,
) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if write_key is not None:
        headers["Authorization"] = basic(write_key)
    content = json.dumps(body).encode()
    if compress:
        content = gzip.compress(content)
        headers["Content-Encoding"] = "gzip"
    return httpx.post(f"{emulator.url}/v1/{kind}", content=content, headers=headers, timeout=30)


def space_id(emulator: InProcessEmulator, slug: str = DEV_SPACE) -> str:
    with emulator.client() as api:
        spaces = api.get("/spaces").json()["data"]["spaces"]
    return str(next(space["id"] for space in spaces if space["slug"] == slug))


def new_feed(
    emulator: InProcessEmulator, slug: str = "web", connect: bool = True, space: str = DEV_SPACE
) -> Feed:
    with emulator.client() as api:
        response = api.post(
            "/sources", json={"slug": slug, "enabled": True, "metadataId": JAVASCRIPT}
        )
        response.raise_for_status()
        source = response.json()["data"]["source"]
    feed = Feed(emulator, source["id"], source["writeKeys"][0], space_id(emulator, space))
    if connect:
        feed.admin("PUT", f"/spaces/{feed.space_id}/sources/{feed.source_id}")
    return feed
