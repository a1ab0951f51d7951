"""The documentation site builds from the checkout, with a reference page per resource and
component that the package exports, each listing every argument of its ``…Args``."""

from __future__ import annotations

import dataclasses
import html
import importlib.util
import inspect
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pulumi
import pulumi.dynamic
import pytest

from segment_unify import components, provider

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "build" / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_reference", ROOT / "tools" / "docs" / "gen_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exported(package: ModuleType, base: type[Any]) -> list[type[Any]]:
    values = [getattr(package, name) for name in package.__all__]
    return [v for v in values if inspect.isclass(v) and issubclass(v, base)]


# The Segment resources: the stack's identity is no resource a program declares.
RESOURCES = [
    c for c in _exported(provider, pulumi.dynamic.Resource) if c.__name__ != "StackIdentity"
]
COMPONENTS = _exported(components, pulumi.ComponentResource)


def _page(cls: type[Any]) -> Path:
    return SITE / "reference" / (re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower() + ".html")


def _text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def site() -> Path:
    done = subprocess.run(
        [sys.executable, "tools/docs/build.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return SITE


def test_the_package_exports_resources_and_a_component() -> None:
    # Guards the parametrization below against finding nothing to check.
    assert len(RESOURCES) >= 12
    assert [c.__name__ for c in COMPONENTS] == ["UnifiedProfilesStack"]


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_every_resource_has_a_reference_page_listing_its_arguments(
    site: Path, cls: type[Any]
) -> None:
    page = _page(cls)
    assert page.is_file(), f"no reference page for {cls.__name__}: {page}"
    text = _text(page)
    assert cls.type_token() in text
    for field in _generator().arguments(_generator().declaration_of(cls)):
        assert re.search(rf"^{field.name}( \(secret\))?$", text, re.M), (cls, field.name)
    for op in _generator().operations(sys.modules[cls.__module__], cls._segment_provider):
        assert op in text
    assert cls._segment_provider.import_id_form in text


@pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.__name__)
def test_a_resource_page_shows_its_typed_constructor_and_its_own_summary(
    site: Path, cls: type[Any]
) -> None:
    # The constructor is the one a program calls (each argument a typed keyword), not the
    # base class's ``args: Any, **kwargs``; the summary is the resource's own words, not
    # help()'s argument list run together into a paragraph above the tables.
    text = _text(_page(cls))
    constructor = text.split("Constructor", 2)[2].split("Pass a ", 1)[0]
    assert "**kwargs" not in constructor, constructor
    for field in _generator().arguments(_generator().declaration_of(cls)):
        assert re.search(rf"^\s+{field.name}: pulumi\.Input\[", constructor, re.M), field.name
    assert "Arguments (keywords" not in text.split("Constructor", 1)[1].split("Constructor")[0]


@pytest.mark.parametrize("cls", COMPONENTS, ids=lambda c: c.__name__)
def test_every_component_has_a_reference_page(site: Path, cls: type[Any]) -> None:
    page = _page(cls)
    assert page.is_file(), f"no reference page for {cls.__name__}: {page}"
    text = _text(page)
    for field in dataclasses.fields(components.UnifiedProfilesStackArgs):
        assert re.search(rf"^{field.name}$", text, re.M), field.name


def test_reference_index_links_every_page(site: Path) -> None:
    index = (SITE / "reference" / "index.html").read_text(encoding="utf-8")
    for cls in [*RESOURCES, *COMPONENTS]:
        assert f'href="{_page(cls).name}"' in index, cls.__name__


def test_a_missing_docstring_is_shown_as_missing_not_invented() -> None:
    gen = _generator()

    @dataclasses.dataclass
    class Args:
        documented: int = 1
        """Says what it is."""
        bare: str = ""

    rows = "\n".join(gen.args_table(Args))
    assert "| `documented` | `int` | `1` | Says what it is. |" in rows
    assert f"| `bare` | `str` | `''` | {gen.MISSING} |" in rows


def test_the_rate_limits_shown_are_the_pacing_table(site: Path) -> None:
    from segment_unify.provider import _constants as c

    text = (SITE / "reference" / "computed_trait.html").read_text(encoding="utf-8")
    row = re.search(r"CreateComputedTrait</code></td>\s*<td>(\d+)</td>", text)
    assert row is not None
    assert int(row.group(1)) == c.PER_MINUTE["CreateComputedTrait"]


def test_static_pages_are_built(site: Path) -> None:
    for name in ("index", "getting-started", "emulator", "emulator-seed", "benchmarks", "using"):
        assert (SITE / f"{name}.html").is_file(), name
    seed = _text(SITE / "emulator-seed.html")
    assert "profileApiToken" in seed and "connectedSources" in seed
    benchmarks = _text(SITE / "benchmarks.html")
    assert "Start-up: provider modules' import over" in benchmarks  # the README's table


def test_resource_pages_list_the_failures_their_code_raises(site: Path) -> None:
    # Read from the resource modules' own messages, not written for the page.
    space = _text(SITE / "reference" / "unify_space.html")
    assert "Segment's Public API cannot create spaces: create it in Segment under" in space
    trait = _text(SITE / "reference" / "computed_trait.html")
    assert "reads events Segment has not seen in space {space_id}" in trait


def test_a_declaration_s_docs_and_outputs_are_read_from_its_field_specs() -> None:
    # Fields may carry their declaration in metadata (doc, output, replaces, secret) instead of
    # a docstring under them: the page reads it, and a declared output takes no argument.
    gen = _generator()

    @dataclasses.dataclass(frozen=True)
    class Spec:
        doc: str
        output: bool = False
        replaces: bool = False
        secret: bool = False

    @dataclasses.dataclass
    class Declared:
        slug: str | None = dataclasses.field(
            default=None, metadata={"spec": Spec("The slug.", replaces=True)}
        )
        token: str | None = dataclasses.field(
            default=None, metadata={"spec": Spec("The token.", secret=True)}
        )
        made_id: str | None = dataclasses.field(
            default=None, init=False, metadata={"spec": Spec("Segment's id.", output=True)}
        )

    rows = "\n".join(gen.args_table(Declared, replaces=()))
    assert "| `slug` | `str | None` | `None` | yes | The slug. |" in rows
    assert "| `token` (secret) |" in rows
    assert "made_id" not in rows
    outputs = "\n".join(gen.outputs_table(Declared, computed=(), secret=(), declaration=Declared))
    assert "| `made_id` | `str | None` | Segment | Segment's id. |" in outputs
    assert "| `slug` | `str | None` | the argument, as Segment holds it | The slug. |" in outputs


def test_the_component_page_documents_every_argument_with_short_defaults() -> None:
    # It showed 24 "(no docstring yet)", `made by <lambda>()` for factory defaults, and the six
    # Flex traits' nested reprs (two screens) as one default.
    page = _generator().component_page(components.UnifiedProfilesStack)
    assert "no docstring yet" not in page
    assert "made by" not in page
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    defaults = [row.split(" | ")[2] for row in rows if row.count(" | ") >= 3]
    assert defaults and max(len(cell) for cell in defaults) < 240, max(defaults, key=len)
    assert "6 `ComputedTraitArgs`: `total_inbounds`" in page
    # A default reads as the code that makes it, not a dataclass's field dump.
    assert "ReverseEtlSchedule(strategy=" not in page
    assert "`ReverseEtlSchedule.periodic('1h')`" in page
    assert "1 `SourceArgs`: `javascript`" in page


def test_the_query_language_guide_is_in_the_site(site: Path) -> None:
    page = (site / "query-language.html").read_text()
    assert "Writing traits and audiences" in page
    assert "query-language.html" in (site / "getting-started.html").read_text()


def test_the_docs_say_why_segment_profiles_hangs_off_the_reverse_etl_source() -> None:
    """The new-workspace guide names the Salesforce source; the stack puts Segment Profiles on
    the Reverse ETL source, and the docs say why, naming Segment's direct integration too."""
    page = (ROOT / "docs" / "using.md").read_text(encoding="utf-8")
    section = page.split("## Why Segment Profiles hangs off the Reverse ETL source", 1)
    assert len(section) == 2, "the section is missing"
    text = section[1].split("\n## ", 1)[0]
    for words in ("Cloud App *Object* source", "Salesforce Unify Direct", "Selective Sync"):
        assert words in text
