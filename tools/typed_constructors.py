"""Each resource's typed constructors, written from its declaration (``make typed-constructors``).

A resource takes its arguments as one ``…Args`` object or as keywords, and the two cannot be
one typed signature once an argument is required (a required keyword would be required beside
``args`` too). So each resource class declares two ``__init__`` overloads, for type checkers
only (inside ``if TYPE_CHECKING:``; at run time ``SegmentResource.__init__`` takes both, and
``help()`` and ``inspect.signature`` show ``_signature``'s), as Pulumi's generated SDKs do:

- ``(resource_name, args: XArgs, opts=None, *, adopt_id=None)``;
- ``(resource_name, args=None, opts=None, *, <every argument>, adopt_id=None)``, where an
  argument the program must give (``Spec.required``) has no default and no ``| None``, and
  an optional one its real default.

A class body's own ``__init__`` wins over the one ``dataclass_transform`` makes (mypy and
pyright alike). The overloads are written here, between two marker comments at the end of the
class body, never by hand: ``tests/unit/test_typed_constructors.py`` fails when a module's
block is not what this writes (``--check`` says so too, without writing).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

START = "    # Typed constructors (tools/typed_constructors.py writes them from the declaration)."
END = "    # End of the typed constructors."
INDENT = " " * 8


def resource_classes() -> list[type[Any]]:
    """Every resource of the package (a ``SegmentResource`` it exports), by name."""
    from segment_unify.provider import resources
    from segment_unify.provider.resources._resource import SegmentResource

    found = [getattr(resources, name) for name in resources.__all__]
    return sorted(
        {cls for cls in found if isinstance(cls, type) and issubclass(cls, SegmentResource)},
        key=lambda cls: cls.__name__,
    )


def block(cls: type[Any]) -> str:
    """The marked block of ``cls``'s overloads, as its module holds it."""
    from segment_unify.provider.resources._declare import specs

    args_type: type[Any] = cls._args_type
    fields = [_parameter(args_type, spec) for spec in specs(args_type) if not spec.output]
    common = ["self,", "resource_name: str,"]
    adopt_id = "adopt_id: pulumi.Input[str] | None = None,"
    by_args = [*common, f"args: {args_type.__name__},", _OPTS, "*,", adopt_id]
    by_keywords = [*common, "args: None = None,", _OPTS, "*,", *fields, adopt_id]
    lines = [
        START,
        "    if TYPE_CHECKING:",
        "",
        *_overload(by_args),
        *_overload(by_keywords),
        f"{INDENT}def __init__(self, *args: Any, **kwargs: Any) -> None: ...",
        "",
        END,
    ]
    return "\n".join(lines) + "\n"


_OPTS = "opts: pulumi.ResourceOptions | None = None,"


def _overload(parameters: list[str]) -> list[str]:
    return [
        f"{INDENT}@overload",
        f"{INDENT}def __init__(",
        *(f"{INDENT}    {text}" for text in parameters),
        f"{INDENT}) -> None: ...",
    ]


def _parameter(args_type: type[Any], spec: Any) -> str:
    owner = spec.owner or args_type
    if owner.__module__ != args_type.__module__:
        raise TypeError(
            f"{args_type.__name__}.{spec.name} is declared in {owner.__module__}: its type's "
            "names may not be imported where the resource is"
        )
    annotation = inspect.get_annotations(owner)[spec.name]
    if not (isinstance(annotation, str) and annotation.startswith("Prop[")):
        raise TypeError(f"{args_type.__name__}.{spec.name}: a Prop[...] written as text")
    kind = f"pulumi.Input[{annotation[len('Prop[') : -1]}]"
    if spec.required:
        return f"{spec.name}: {kind},"
    # A default type checkers only read (the overload is never run) may be a dict.
    mutable = "  # noqa: B006" if isinstance(spec.default, dict | list) else ""
    return f"{spec.name}: {kind} | None = {_literal(spec.default)},{mutable}"


def _literal(value: Any) -> str:
    """``value`` as ruff's formatter writes it (double quotes)."""
    if isinstance(value, str):
        return json.dumps(value)
    text = repr(value)
    if ast.literal_eval(text) != value:
        raise TypeError(f"{value!r} cannot be written as a default")
    return text


def rewritten(cls: type[Any], source: str) -> str:
    """``source`` (``cls``'s module) with ``cls``'s block as ``block`` writes it."""
    lines = source.splitlines(keepends=True)
    (node,) = (
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__
    )
    first, last = node.lineno - 1, node.end_lineno or node.lineno
    start = next((i for i in range(first, last) if lines[i].rstrip("\n") == START), None)
    if start is None:
        return "".join([*lines[:last], "\n", block(cls), *lines[last:]])
    # The end marker is a comment after the class body's last statement.
    end = next(i for i in range(start, len(lines)) if lines[i].rstrip("\n") == END)
    return "".join([*lines[:start], block(cls), *lines[end + 1 :]])


def stale() -> list[str]:
    """The modules whose blocks are not what ``block`` writes."""
    return [str(path) for path, source, new in _modules() if source != new]


def _modules() -> list[tuple[Path, str, str]]:
    """Each resource module: its path, its source, and its source with fresh blocks."""
    done: dict[Path, tuple[str, str]] = {}
    for cls in resource_classes():
        path = Path(inspect.getfile(importlib.import_module(cls.__module__)))
        source, new = done.get(path) or (path.read_text(),) * 2
        done[path] = (source, rewritten(cls, new))
    return [(path, source, new) for path, (source, new) in done.items()]


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = stale()
        for path in found:
            print(f"stale typed constructors: {path} (python tools/typed_constructors.py)")
        return 1 if found else 0
    for path, source, new in _modules():
        if source != new:
            path.write_text(new)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
