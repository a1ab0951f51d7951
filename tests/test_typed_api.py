"""The public API is typed: a program's mistakes are errors for mypy and pyright.

A small user program written through the README's import path (``from segment_unify.provider
import ComputedTrait``) with a misspelled argument, mistyped ones, in both constructor forms,
and an output read as the wrong type, is checked by mypy and by pyright: each mistake is
reported on its line, and a correct program passes. Once against the wheel installed into a
fresh virtualenv (a project that installs the package), once against this checkout's editable
install (``make``'s ``pip install -e .``: one path entry to the checkout, which type checkers
follow). Also: every declared argument and output has a docstring, and ``help()`` shows a
resource's own parameters; an editor (pyright's language server, which Pylance and most editors
run) shows a field's doc on hovering over a keyword argument and over an output.
"""

from __future__ import annotations

import html
import pydoc
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from segment_unify.provider import resources
from segment_unify.provider.resources._declare import specs
from tests.support.lsp import LanguageServer
from tests.support.wheel import install_wheel

ROOT = Path(__file__).resolve().parents[1]

BAD = """\
import pulumi

from segment_unify.provider import ComputedTrait, ComputedTraitArgs, Source

ComputedTrait("a", space_id="spa_1", nmae="Calls", definition="event('x').count()")
ComputedTrait("b", space_id="spa_1", name=42, definition="event('x').count()")
ComputedTrait("c", space_id="spa_1", name="Calls", enabled="yes", definition="q")
ComputedTrait("d", ComputedTraitArgs(space_id="spa_1", nmae="Calls", name="C", definition="q"))
ComputedTrait("e", ComputedTraitArgs(space_id="spa_1", name="C", enabled="yes", definition="q"))
trait = ComputedTrait("f", space_id="spa_1", name="Calls", definition="q")
key: int = trait.key
source = Source("web", catalog_slug="javascript", enabeld=True)
ComputedTrait("g", space_id="spa_1", definition="event('x').count()")
ComputedTrait("h", ComputedTraitArgs(space_id="spa_1", definition="event('x').count()"))
"""
# The line of each mistake, and a word each checker's message for it holds (mypy's, pyright's).
# A resource's two forms are two overloads of its constructor (``tools/typed_constructors.py``):
# where neither takes the keywords given (one misspelled, or a required one left out), pyright
# says only that no overload matches, and mypy lists the two (a required one left out: line 13).
MISTAKES = {
    5: ("nmae", "No overloads"),
    6: ("name", "name"),
    7: ("enabled", "enabled"),
    8: ("nmae", "nmae"),
    9: ("enabled", "enabled"),
    11: ("int", "int"),
    12: ("enabeld", "No overloads"),
    13: ("No overload variant", "No overloads"),
    14: ('"name"', '"name"'),
}

GOOD = """\
import pulumi

from dataclasses import replace

from segment_unify.provider import (
    ComputedTrait,
    ComputedTraitArgs,
    Destination,
    Source,
    TraitOptions,
    UnifySpace,
)
from segment_unify.query import event_counter

space = UnifySpace("dev", slug="acme-dev")
# A name Segment's objects are autonamed with is no required argument, in either form.
web = Source("web", catalog_slug="javascript")
hooks = Destination("hooks", source_id=web.id, catalog_slug="webhooks")
# The space may be left out of an Args, for whoever makes the resource to fill in.
template = ComputedTraitArgs(name="Later", definition="event('Call Completed').count()")
later = ComputedTrait("later", replace(template, space_id=space.space_id))
calls = ComputedTrait(
    "calls",
    space_id=space.space_id,
    name="Calls",
    definition=event_counter("Call Completed").within(days=30),
    opts=pulumi.ResourceOptions(protect=True),
)
again = ComputedTrait(
    "again",
    ComputedTraitArgs(
        space_id=space.space_id,
        name="Again",
        enabled=False,
        definition="event('Call Completed').count()",
        options=TraitOptions(include_historical_data=True, backfill_days=30),
    ),
    pulumi.ResourceOptions(depends_on=[calls]),
    adopt_id="spa_1/ct_1",
)
key: pulumi.Output[str] = calls.key
trait_id: pulumi.Output[str] = again.computed_trait_id
"""


def programs(where: Path) -> Path:
    """The two programs in a folder of their own, outside the checkout (whose top-level
    folders would otherwise stand in for the installed package)."""
    where.mkdir(parents=True, exist_ok=True)
    (where / "bad.py").write_text(BAD)
    (where / "good.py").write_text(GOOD)
    return where


def mypy(python: Path, where: Path) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--python-executable",
            str(python),
            "--cache-dir",
            str(where / ".mypy_cache"),
            "bad.py",
            "good.py",
        ],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def pyright_binary(name: str = "pyright") -> str:
    binary = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if binary is None or shutil.which("node") is None:
        pytest.skip("pyright (a dev dependency) runs on node, and node is not on PATH")
    return binary


def pyright(python: Path, where: Path) -> str:
    binary = pyright_binary()
    done = subprocess.run(
        [binary, "--pythonpath", str(python), "bad.py", "good.py"],
        cwd=where,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def assert_reported(report: str, checker: str) -> None:
    lines = report.splitlines()
    assert "cannot find" not in report.lower() and "not resolved" not in report.lower(), report
    assert not [line for line in lines if "good.py" in line and "error" in line], report
    for line, words in MISTAKES.items():
        word = words[checker == "pyright"]
        marks = (f"bad.py:{line}:", f"bad.py:{line} ")
        found = [text for text in lines if any(mark in text for mark in marks)]
        assert found, f"{checker} did not report line {line} of bad.py:\n{report}"
        assert any(word in text for text in found), f"{checker}, line {line}:\n{report}"


@pytest.fixture(scope="module")
def wheel_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a fresh virtualenv that installed the wheel (``install_wheel``)."""
    return install_wheel(tmp_path_factory.mktemp("wheel")).python


@pytest.mark.timeout(600)
def test_mypy_reports_each_mistake_through_the_installed_wheel(
    wheel_python: Path, tmp_path: Path
) -> None:
    assert_reported(mypy(wheel_python, programs(tmp_path)), "mypy")


@pytest.mark.timeout(600)
def test_pyright_reports_each_mistake_through_the_installed_wheel(
    wheel_python: Path, tmp_path: Path
) -> None:
    assert_reported(pyright(wheel_python, programs(tmp_path)), "pyright")


@pytest.mark.timeout(600)
def test_mypy_reports_each_mistake_through_the_editable_install(tmp_path: Path) -> None:
    report = mypy(Path(sys.executable), programs(tmp_path))
    assert "cannot find" not in report.lower(), (
        "the editable install is invisible to mypy: install it as `make` does "
        f"(pip install -e .)\n{report}"
    )
    assert_reported(report, "mypy")


@pytest.mark.timeout(600)
def test_pyright_reports_each_mistake_through_the_editable_install(tmp_path: Path) -> None:
    assert_reported(pyright(Path(sys.executable), programs(tmp_path)), "pyright")


RESOURCES = [getattr(resources, name) for name in resources.__all__ if name.endswith("Args")]


@pytest.mark.parametrize("args", RESOURCES, ids=lambda cls: cls.__name__)
def test_every_argument_and_output_has_a_docstring(args: type) -> None:
    declared = specs(args)
    assert declared, f"{args.__name__} declares no fields"
    assert [spec.name for spec in declared if len(spec.doc.strip()) < 10] == []


def test_help_shows_the_resources_own_parameters_and_outputs() -> None:
    from segment_unify.provider import ComputedTrait

    text = pydoc.render_doc(ComputedTrait, renderer=pydoc.plaintext)
    signature = text.split("Method resolution order")[0]
    for name in ("space_id", "name", "definition", "options", "adopt_id", "opts", "args"):
        assert f"{name}:" in signature or f"{name}=" in signature, signature
    assert "Outputs" in signature and "computed_trait_id" in signature
    # Pulumi's own constructor parameters are not this resource's.
    assert "custom" not in signature.split("Arguments")[0]
    assert "dependency" not in signature


HOVERED = """\
from segment_unify.provider import ComputedTrait

trait = ComputedTrait("x", space_id="spa_1", name="Calls", definition="event('x').count()")
status = trait.status
"""


def _hover_text(server: LanguageServer, document: dict[str, str], line: int, column: int) -> str:
    found = server.at("textDocument/hover", document, line, column)
    assert found is not None, f"no hover at {line}:{column}"
    # Markdown as the editor renders it (pyright turns ``x`` into `x` and escapes HTML), its
    # escapes and line breaks aside.
    text = html.unescape(str(found["contents"]["value"])).replace("\\", "")
    return " ".join(text.split())


@pytest.mark.timeout(600)
def test_an_editor_shows_a_fields_doc_on_hover_through_the_installed_wheel(
    wheel_python: Path, tmp_path: Path
) -> None:
    from segment_unify.provider import ComputedTraitArgs

    docs = {spec.name: " ".join(spec.doc.split()) for spec in specs(ComputedTraitArgs)}
    program = tmp_path / "program.py"
    program.write_text(HOVERED)
    lines = HOVERED.splitlines()
    keyword = (2, lines[2].index("name="))
    output = (3, lines[3].index("status", len("status =")))
    command = [pyright_binary("pyright-langserver"), "--stdio"]
    with LanguageServer(command, tmp_path, wheel_python) as server:
        document = server.open(program)
        on_keyword = _hover_text(server, document, *keyword)
        on_output = _hover_text(server, document, *output)

    # The hover is the field's, resolved: its type in the keyword form (required: no None).
    assert "name: Input[str] ```" in on_keyword, on_keyword
    assert docs["name"].replace("``", "`") in on_keyword.replace("``", "`"), on_keyword
    assert "status: Output[str | None]" in on_output, on_output
    assert docs["status"] in on_output, on_output


SHOWN = """\
from segment_unify.provider import ComputedTrait, ComputedTraitArgs, SourceArgs

reveal_type(SourceArgs.__init__)
reveal_type(ComputedTrait.__init__)
reveal_type(ComputedTraitArgs.__init__)
"""


@pytest.mark.timeout(600)
def test_an_editor_shows_real_defaults_not_the_declarations_helpers(tmp_path: Path) -> None:
    # What pyright (Pylance's engine) shows of a constructor: a default as the value a field
    # gets (None, True, {}); none for one the program must give (``...`` for the space, which
    # an Args may leave for whoever makes the resource to fill in).
    (tmp_path / "shown.py").write_text(SHOWN)
    done = subprocess.run(
        [pyright_binary(), "--pythonpath", sys.executable, "shown.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    shown = [line for line in done.stdout.splitlines() if "Type of" in line]
    assert len(shown) == 3, done.stdout + done.stderr
    source, trait, trait_args = shown
    assert "catalog_slug: str | Awaitable[str] | Output[str] | None = None," in source, source
    assert "enabled: bool | Awaitable[bool] | Output[bool] | None = True," in source, source
    assert "| None = {})" in source, source
    # The resource's two forms: one ``args``, or keywords (a required one without default).
    assert "args: ComputedTraitArgs, opts: ResourceOptions | None = None, *, adopt_id" in trait
    assert "name: str | Awaitable[str] | Output[str], key:" in trait, trait
    assert "enabled: bool | Awaitable[bool] | Output[bool] | None = True," in trait, trait
    assert "name: str | Awaitable[str] | Output[str] | None, key:" in trait_args, trait_args
    assert "space_id: str | Awaitable[str] | Output[str] | None = ...," in trait_args, trait_args
    for machinery in ("fields.", "REQUIRED", "arg("):
        assert machinery not in source + trait + trait_args, machinery
