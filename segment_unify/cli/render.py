"""Python source of an exported program, laid out as ``ruff format`` lays it out.

Every call and every non-empty collection is written one item a line with a trailing comma
(ruff's "magic trailing comma" keeps such a layout as it is), strings in double quotes, so the
program passes ``ruff format --check`` without ruff being installed where ``export`` runs.
"""

from __future__ import annotations

import json
import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

INDENT = "    "


@dataclass(frozen=True)
class Code:
    """An expression written as it is (a reference to another variable, a config read)."""

    text: str


@dataclass(frozen=True)
class Call:
    """``func(arg, ..., name=value, ...)``, laid out one argument a line."""

    func: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()


@dataclass
class Decl:
    """One resource of the program: ``var = cls("name", field=value, ..., adopt_id=...)``."""

    var: str
    cls: str
    name: str
    fields: dict[str, Any]
    adopt_id: str | None = None
    comment: str | None = None


@dataclass
class Program:
    decls: list[Decl] = field(default_factory=list)
    config_reads: list[str] = field(default_factory=list)
    """Lines after ``config = pulumi.Config()`` (secret reads)."""
    exports: dict[str, str] = field(default_factory=dict)
    query_imports: set[str] = field(default_factory=set)
    """The query builders the definitions use."""
    protect: bool = False
    """Every resource protected: ``destroy`` deletes nothing until it is lifted."""


def string(value: str) -> str:
    # ruff's choice: double quotes, unless that needs more escapes than single quotes.
    if '"' in value and "'" not in value:
        return repr(value)
    # JSON's escapes are Python's for every string JSON can hold; non-ASCII kept readable.
    return json.dumps(value, ensure_ascii=False)


def literal(value: Any, depth: int = 0) -> str:
    """``value`` as Python source at indentation ``depth``."""
    if isinstance(value, Code):
        return value.text
    pad, inner = INDENT * depth, INDENT * (depth + 1)
    if isinstance(value, Call):
        items = [literal(arg, depth + 1) for arg in value.args]
        items += [f"{name}={literal(arg, depth + 1)}" for name, arg in value.kwargs]
        return f"{value.func}(\n" + "".join(f"{inner}{item},\n" for item in items) + pad + ")"
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        items = [f"{inner}{string(str(k))}: {literal(v, depth + 1)},\n" for k, v in value.items()]
        return "{\n" + "".join(items) + pad + "}"
    if isinstance(value, Sequence):
        if not value:
            return "[]"
        return "[\n" + "".join(f"{inner}{literal(v, depth + 1)},\n" for v in value) + pad + "]"
    raise TypeError(f"cannot write a {type(value).__name__} as Python: {value!r}")


def call(decl: Decl, *, protect: bool = False) -> str:
    lines = [f"{decl.var} = {decl.cls}(\n", f"{INDENT}{string(decl.name)},\n"]
    for name, value in decl.fields.items():
        lines.append(f"{INDENT}{name}={literal(value, 1)},\n")
    if protect:
        lines.append(f"{INDENT}opts=pulumi.ResourceOptions(protect=True),\n")
    if decl.adopt_id is not None:
        lines.append(f"{INDENT}adopt_id={string(decl.adopt_id)},\n")
    lines.append(")\n")
    head = f"# {decl.comment}\n" if decl.comment else ""
    return head + "".join(lines)


def identifier(text: str, prefix: str, taken: set[str]) -> str:
    """A readable snake_case variable name for ``text``, unique among ``taken``."""
    words = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    base = f"{prefix}_{words}" if words else prefix
    if keyword.iskeyword(base) or base[0].isdigit():
        base = f"{prefix}_{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def resource_name(var: str) -> str:
    return var.replace("_", "-")


def _classes(decl: Decl) -> set[str]:
    """The package's classes a declaration's values construct (``TraitOptions(...)``)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, Call):
            if value.func[:1].isupper():
                found.add(value.func)
            for item in (*value.args, *(v for _, v in value.kwargs)):
                walk(item)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)

    for value in decl.fields.values():
        walk(value)
    return found


def _query_imports(names: set[str]) -> list[str]:
    if not names:
        return []
    listed = "".join(f"{INDENT}{name},\n" for name in sorted(names))
    return [f"from segment_unify.query import (\n{listed})\n"]


def _wrapped(line: str, width: int = 88) -> str:
    """``name = f("arg")`` split after its bracket when longer than ruff's default width."""
    if len(line) <= width:
        return line + "\n"
    head, _, rest = line.partition("(")
    return f"{head}(\n{INDENT}{rest[:-1]}\n)\n"


def program_text(program: Program, header: str) -> str:
    classes = sorted({decl.cls for decl in program.decls}.union(*map(_classes, program.decls)))
    imports = "".join(f"{INDENT}{name},\n" for name in classes)
    parts = [
        f'"""{header}"""\n\n',
        "from collections.abc import Mapping\n",
        "from typing import Any\n\n",
        "import pulumi\n",
        f"from segment_unify.provider import (\n{imports})\n",
        *_query_imports(program.query_imports),
        "\n",
        "config = pulumi.Config()\n",
        *(_wrapped(line) for line in program.config_reads),
        "\n\n",
        "def with_secrets(\n",
        f"{INDENT}settings: Mapping[str, Any], **secrets: pulumi.Output[str] | None\n",
        ") -> dict[str, Any]:\n",
        f'{INDENT}"""Settings plus the secrets set in config: Segment masks them, and one left\n',
        f'{INDENT}unset is left as Segment holds it."""\n',
        f"{INDENT}return {{**settings, **{{k: v for k, v in secrets.items() if v is not None}}}}\n",
        "\n\n",
    ]
    parts += [call(decl, protect=program.protect) + "\n" for decl in program.decls]
    parts += [f"pulumi.export({string(k)}, {v})\n" for k, v in program.exports.items()]
    return "".join(parts).rstrip("\n") + "\n"
