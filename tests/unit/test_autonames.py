"""Autonames are ASCII, whatever script the Pulumi resource name is written in.

A slug Segment accepts is lowercase ASCII; a Unicode resource name used to become a slug such as
``源-gmsfum9`` that ``check`` itself then refused. Letters with accents lose them, other scripts
are dropped, and a name with nothing left falls back to the resource kind's stem.
"""

from __future__ import annotations

from typing import Any

import pytest

from segment_unify.provider.resources._naming import autoname
from segment_unify.provider.resources.source import Source
from segment_unify.provider.resources.warehouse import Warehouse


def _check(cls: Any, resource_name: str, **kwargs: Any) -> tuple[dict[str, Any], list[Any]]:
    props = {k: v for k, v in cls.build_props(resource_name, **kwargs).items() if v is not None}
    result = cls._segment_provider.check({}, props)
    return dict(result.inputs), list(result.failures or [])


@pytest.mark.parametrize("resource_name", ["源", "Données clients", "web-源-site", "🚀"])
def test_a_unicode_resource_name_autonames_a_slug_check_accepts(resource_name: str) -> None:
    inputs, failures = _check(Source, resource_name, catalog_slug="javascript")

    assert failures == []
    assert inputs["slug"].isascii()
    stem, _, suffix = inputs["slug"].rpartition("-")
    assert stem and len(suffix) == 7 and suffix.isalnum()


def test_accents_are_folded_and_other_scripts_dropped() -> None:
    def named(base: str, *, slug: bool) -> str:
        return autoname(base, slug=slug, seed="project/dev/source", salt={})

    assert named("Données clients", slug=True).startswith("donnees-clients-")
    assert named("web-源-site", slug=True).startswith("web-site-")
    assert named("Entrepôt 源", slug=False).startswith("Entrepot-")


@pytest.mark.parametrize("resource_name", ["倉庫", "Entrepôt"])
def test_a_unicode_resource_name_autonames_an_ascii_name(resource_name: str) -> None:
    inputs, failures = _check(
        Warehouse, resource_name, catalog_slug="postgres", settings={"hostname": "h"}
    )

    assert failures == []
    assert inputs["name"].isascii()


def test_every_autoname_segment_takes_twice_is_listed_with_all_its_matches() -> None:
    """The look for an earlier, cut-off create tells it from the one just made by id, so such a
    resource lists every object under its name (``segment_matches``), not only the first."""
    from segment_unify.provider import resources
    from segment_unify.provider.resources._base import SegmentProvider

    providers = {
        type(cls._segment_provider)
        for cls in (getattr(resources, name) for name in resources.__all__)
        if isinstance(getattr(cls, "_segment_provider", None), SegmentProvider)
    }
    twice = {p for p in providers if p.autoname_field and not p.unique_key and not p.adopted}

    assert len(twice) == 5, sorted(p.__name__ for p in twice)
    assert [p.__name__ for p in twice if p.segment_matches is SegmentProvider.segment_matches] == []
