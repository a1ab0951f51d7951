"""One lifecycle case per resource: what to create, change, replace and break out of band.

``test_lifecycle.py`` runs every case through the same engine steps, so adding a resource means
adding a case here, not another copy of the lifecycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from segment_unify.provider.resources._resource import SegmentResource
from tests.support.engine import PROVIDER_KEY, Engine, provider_blob


def props_of(cls: type[SegmentResource], resource_name: str, /, **kwargs: Any) -> dict[str, Any]:
    """What the program would register for ``cls(name, **kwargs)``: None values are dropped."""
    props = {k: v for k, v in cls.build_props(resource_name, **kwargs).items() if v is not None}
    props[PROVIDER_KEY] = provider_blob(cls._segment_provider)
    return props


Changes = dict[str, Any] | Callable[[Engine], dict[str, Any]]

# A fault rule's match for the POST of a create, not Segment's Test Connection that a warehouse,
# Profiles Sync warehouse or Reverse ETL source sends first (it makes nothing; a fault there is
# ``tests/resources/test_test_connection.py``'s).
CREATES: dict[str, str] = {"method": "POST", "path": "^(?!/warehouses/validation$)"}


@dataclass
class Case:
    """A resource's lifecycle: ``args(engine)`` may create prerequisites through the engine."""

    cls: type[SegmentResource]
    args: Callable[[Engine], dict[str, Any]]
    update: Changes
    """Changed arguments applied in place; may be empty only for adopted objects (``creates``
    False) whose every input replaces. A callable gets the engine (for prerequisites' ids)."""
    replace: Changes
    """Changed arguments that make a new object (for adopted ones: adopt another one)."""
    delete_out_of_band: Callable[[httpx.Client, Any, str, dict[str, Any]], None]
    bad: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    """Arguments merged over ``args`` that must fail check, and the field each names."""
    creates: bool = True
    """False for adopted objects: create finds and verifies what the UI made."""
    gone_message: str | None = None
    """Adopted objects: what the failing ``up`` after an out-of-band delete must say (the UI
    step that makes the object again)."""
    write_only: tuple[str, ...] = ()
    """Inputs Segment never shows again (a read from the id alone cannot return them)."""
    prepare: Callable[[Any], None] | None = None
    """Seeds, through the emulator's control plane, what Segment's API cannot create."""
    count_in_segment: Callable[[httpx.Client, dict[str, Any]], int] | None = None
    """How many objects Segment holds with these outputs' natural key (lost-response tests)."""

    def changes(self, which: Changes, engine: Engine) -> dict[str, Any]:
        return which(engine) if callable(which) else dict(which)

    @property
    def id(self) -> str:
        return self.cls.__name__


def delete_path(template: str) -> Callable[[httpx.Client, Any, str, dict[str, Any]], None]:
    """Out-of-band delete through the Public API: ``template`` formats with the id's parts."""

    def run(http: httpx.Client, emulator: Any, id_: str, outs: dict[str, Any]) -> None:
        parts = id_.split("/")
        response = http.delete(template.format(*parts, **outs))
        assert response.status_code == 200, response.text

    return run


def _source_args(engine: Engine) -> dict[str, Any]:
    return {"catalog_slug": "javascript", "name": "Website"}


def _count_sources(http: httpx.Client, outs: dict[str, Any]) -> int:
    sources = http.get("/sources", params={"pagination.count": 1000}).json()["data"]["sources"]
    return sum(1 for s in sources if s["slug"] == outs["slug"])


def _all_cases() -> list[Case]:
    from segment_unify.provider.resources.source import Source
    from tests.protocol import cases_data, cases_spaces

    return [
        Case(
            cls=Source,
            args=_source_args,
            update={"name": "Website (renamed)", "enabled": False},
            replace={"catalog_slug": "http-api"},
            delete_out_of_band=delete_path("/sources/{0}"),
            bad=[
                ({"catalog_slug": "No such thing"}, "catalog_slug"),
                ({"slug": "Not A Slug"}, "slug"),
                ({"enabled": "sometimes"}, "enabled"),
            ],
            count_in_segment=_count_sources,
        ),
        *cases_data.CASES,
        *cases_spaces.CASES,
    ]


CASES = _all_cases()
