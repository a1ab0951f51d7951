"""Each resource's typed constructors (two ``__init__`` overloads, for type checkers only) are
what ``tools/typed_constructors.py`` writes from its declaration, and change nothing at run time.

mypy and pyright reading them (a required argument left out is an error in the keyword form,
an autonamed name is not) is ``tests/test_typed_api.py``'s.
"""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from types import ModuleType

import pytest

from segment_unify.provider import ComputedTrait, ComputedTraitArgs, Source
from segment_unify.provider.resources._declare import specs

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "typed_constructors", ROOT / "tools" / "typed_constructors.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_resource_module_holds_the_constructors_its_declaration_gives(
    tool: ModuleType,
) -> None:
    assert tool.resource_classes(), "no resources found"
    assert tool.stale() == [], "run: python tools/typed_constructors.py"


def test_a_stale_block_is_found_and_rewritten(tool: ModuleType) -> None:
    source = Path(inspect.getfile(ComputedTrait)).read_text()
    fresh = tool.block(ComputedTrait)
    assert fresh in source
    # A field the declaration gained, or one it lost, since the block was written.
    older = source.replace("            name: pulumi.Input[str],\n", "", 1)
    assert older != source
    assert tool.rewritten(ComputedTrait, older) == source
    # A module written before the blocks existed gets one at the end of the class.
    bare = source.replace(fresh, "").replace("\n\n" + tool.START, tool.START)
    assert tool.START not in bare
    assert tool.rewritten(ComputedTrait, bare.rstrip("\n") + "\n") == source


def test_the_keyword_form_requires_what_the_program_must_give(tool: ModuleType) -> None:
    trait = tool.block(ComputedTrait)
    required = [spec.name for spec in specs(ComputedTraitArgs) if spec.required]
    assert required == ["space_id", "name", "definition"]
    for name in required:
        assert f"            {name}: pulumi.Input[" in trait
        assert f"{name}: pulumi.Input[str] | None" not in trait
    assert "            enabled: pulumi.Input[bool] | None = True,\n" in trait
    # The args form takes the Args alone (with opts and adopt_id).
    assert "            args: ComputedTraitArgs,\n" in trait
    # An autonamed name is optional.
    assert "            name: pulumi.Input[str] | None = None,\n" in tool.block(Source)


def test_the_constructor_at_run_time_is_unchanged() -> None:
    # Overloads live under TYPE_CHECKING: the class keeps SegmentResource's __init__, and
    # help() and inspect.signature show the declaration's signature.
    assert "__init__" not in vars(ComputedTrait)
    shown = inspect.signature(ComputedTrait)
    assert list(shown.parameters)[:4] == ["resource_name", "args", "opts", "adopt_id"]
    assert shown.parameters["name"].default is inspect.Parameter.empty
    assert shown.parameters["key"].default is None
    # A required argument left out is no Python error (a CheckFailure at preview).
    assert ComputedTraitArgs(space_id="spa_1", definition="q").name is None
