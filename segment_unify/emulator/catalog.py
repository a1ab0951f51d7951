"""The catalog of source, destination and warehouse metadata, read from `catalog.yaml`.

Only the entries this project uses are present (see the file's header for which ids are
Segment's and which are invented). Keys starting with `_` are emulator-only and are stripped
when rendered.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

JsonObject = dict[str, Any]

SECRET_OPTION_TYPE = "password"


def _public(entry: JsonObject) -> JsonObject:
    return {key: value for key, value in entry.items() if not key.startswith("_")}


class Catalog:
    """Lookup of metadata by id and by slug, per family."""

    def __init__(self, data: JsonObject) -> None:
        self._families: dict[str, list[JsonObject]] = {
            family: list(data.get(family, []))
            for family in ("sources", "destinations", "warehouses")
        }
        self._by_id = {
            family: {entry["id"]: entry for entry in entries}
            for family, entries in self._families.items()
        }

    def entries(self, family: str) -> list[JsonObject]:
        return [_public(entry) for entry in self._families[family]]

    def get(self, family: str, metadata_id: str) -> JsonObject | None:
        entry = self._by_id[family].get(metadata_id)
        return None if entry is None else _public(entry)

    def source_kind(self, metadata_id: str) -> str | None:
        """`event`, `cloud`, `retl` or `personas` for a source metadata id."""
        entry = self._by_id["sources"].get(metadata_id)
        return None if entry is None else str(entry.get("_kind", "event"))

    def source_id_by_slug(self, slug: str) -> str:
        for entry in self._families["sources"]:
            if entry["slug"] == slug:
                return str(entry["id"])
        raise KeyError(slug)

    def action(self, destination_metadata_id: str, action_id: str) -> JsonObject | None:
        entry = self._by_id["destinations"].get(destination_metadata_id)
        for action in (entry or {}).get("actions", []):
            if action["id"] == action_id:
                return dict(action)
        return None

    def secret_options(self, family: str, metadata_id: str) -> set[str]:
        entry = self._by_id[family].get(metadata_id) or {}
        return {
            str(option["name"])
            for option in entry.get("options", [])
            if option.get("type") == SECRET_OPTION_TYPE
        }

    def option_defaults(self, family: str, metadata_id: str) -> JsonObject:
        entry = self._by_id[family].get(metadata_id) or {}
        return {
            str(option["name"]): option["defaultValue"]
            for option in entry.get("options", [])
            if "defaultValue" in option
        }


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    text = resources.files(__package__).joinpath("catalog.yaml").read_text(encoding="utf-8")
    return Catalog(yaml.safe_load(text))
