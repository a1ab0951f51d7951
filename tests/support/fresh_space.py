"""The examples' seed with the dev space fresh: a space as Segment's app makes it, before any
event, prediction or profile."""

from __future__ import annotations

from typing import Any

import yaml

from segment_unify import demo

SPACE = "unified-profiles-dev"


def fresh_seed(*, keep_events: bool = False) -> dict[str, Any]:
    """The seed document, the dev space with no events seen (unless ``keep_events``), no
    predictions, no profiles."""
    seed: dict[str, Any] = yaml.safe_load(demo.SEED.read_text())
    for workspace in seed["workspaces"]:
        for space in workspace.get("spaces", []):
            if space["slug"] == SPACE:
                if not keep_events:
                    space["events"] = []
                space["predictions"] = []
                space["profiles"] = []
    return seed
