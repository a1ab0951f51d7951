"""The reference pages, generated from the code: one per resource and per component.

Run by ``tools/docs/build.py`` (``make docs``). Everything a page says about a resource is read
from the package: the ``…Args`` dataclass and its attribute docstrings (arguments), the
resource class's ``pulumi.Output`` annotations and their docstrings (outputs), the provider's
declarations (what replaces, the adopt id, the natural key, whether Segment's app makes it),
the Segment operations named in the resource's module with the limits of the client's pacing
table (``segment_unify/provider/_constants.py``), and the error classes of
``segment_unify/provider/errors.py``. A missing docstring is shown as missing, never filled in here.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from segment_unify.provider.resources._docs import attribute_docs as own_attribute_docs

MISSING = "*(no docstring yet)*"
# Segment operation names (``CreateComputedTrait``): a verb, then a noun, CamelCase.
OPERATION = re.compile(r"^(Get|List|Create|Update|Remove|Delete|Add|Replace)[A-Z][A-Za-z]+$")

# What a person does about each error the provider can end with. Keyed by class name; the
# build fails when an error class of ``segment_unify/provider/errors.py`` has no entry here.
WHAT_TO_DO: dict[str, str] = {
    "SegmentResourceError": "The message says what to do (a UI step, an `adopt_id`, a name "
    "that is taken); nothing else was changed unless it says so.",
    "BadRequestError": "A value Segment refused as malformed or too large: fix the argument "
    "the message names.",
    "ValidationError": "Segment refused an input: the message names the field and Segment's "
    "reason; fix it in the program and run `pulumi up` again.",
    "UnauthorizedError": "The token is missing, wrong or lacks access: set it with `pulumi "
    "config set --secret segment:token` (or `SEGMENT_PUBLIC_API_TOKEN`); it must belong to "
    "the workspace the objects live in.",
    "NotFoundError": "The object is not in this workspace: check the id (or the `adopt_id`); "
    "`pulumi refresh` drops objects deleted in Segment's app, and the next `up` makes them "
    "again.",
    "ConflictError": "Segment already holds an object with this key: declare another key, or "
    "bring the object under the stack with `adopt_id`.",
    "RateLimitedError": "Segment asked to wait longer than the client waits on its own: run "
    "`pulumi up` again later, or with fewer changes at once.",
    "ServerError": "Segment failed; for a write the change may or may not have been made: run "
    "`pulumi up` again, which finds an object that was made before making another.",
    "SegmentConnectionError": "No answer from the endpoint (`segment:endpoint` / "
    "`SEGMENT_PUBLIC_API_URL`): the message names the URL and whether the write may have "
    "been applied; check the endpoint and network, then run `pulumi up` again.",
    "ConfigurationError": "A setting is missing or malformed: the message names the config "
    "key and environment variable to set.",
}


# -- what the package exports --------------------------------------------------------------


def resource_classes() -> list[type[Any]]:
    """Every Segment resource ``segment_unify.provider`` exports (not ``StackIdentity``, which
    a program never declares: ``docs/using.md`` describes it under "Ownership")."""
    from segment_unify import provider
    from segment_unify.provider.resources._resource import SegmentResource

    found = [getattr(provider, name) for name in provider.__all__]
    return sorted(
        (c for c in found if inspect.isclass(c) and issubclass(c, SegmentResource)),
        key=lambda c: c.__name__,
    )


def component_classes() -> list[type[Any]]:
    """Every ``pulumi.ComponentResource`` subclass ``segment_unify.components`` exports."""
    import pulumi

    from segment_unify import components

    found = [getattr(components, name) for name in components.__all__]
    return sorted(
        (c for c in found if inspect.isclass(c) and issubclass(c, pulumi.ComponentResource)),
        key=lambda c: c.__name__,
    )


def page_name(cls: type[Any]) -> str:
    """``ComputedTrait`` -> ``computed_trait``: the page's file name without ``.md``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


# -- reading docstrings from source ------------------------------------------------------------


def attribute_docs(cls: type[Any]) -> dict[str, str]:
    """The docstrings written under a class's annotated attributes (its bases' first), read as
    the package reads a declaration's."""
    docs: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if base.__module__ != "builtins":
            docs.update(own_attribute_docs(base))
    return docs


def annotations(cls: type[Any]) -> dict[str, str]:
    """A class's attribute annotations as written (strings under postponed evaluation)."""
    out: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        for name, value in vars(base).get("__annotations__", {}).items():
            out[name] = value if isinstance(value, str) else _type_name(value)
    return out


def _type_name(value: Any) -> str:
    return value.__name__ if isinstance(value, type) else str(value).replace("typing.", "")


def field_spec(field: dataclasses.Field[Any]) -> Any:
    """A field's declaration, where its metadata carries one (an object with a ``doc``)."""
    for value in (field.metadata or {}).values():
        if isinstance(getattr(value, "doc", None), str):
            return value
    return None


def field_doc(cls: type[Any], field: dataclasses.Field[Any]) -> str:
    """A dataclass field's doc: its declaration's (or ``doc`` metadata), else the docstring
    written under it."""
    spec = field_spec(field)
    doc = spec.doc if spec is not None else (field.metadata or {}).get("doc")
    if isinstance(doc, str) and doc.strip():
        return inspect.cleandoc(doc)
    return attribute_docs(cls).get(field.name, "")


def arguments(args_type: type[Any]) -> list[dataclasses.Field[Any]]:
    """The fields a program passes (outputs declared beside them take no argument)."""
    return [f for f in dataclasses.fields(args_type) if f.init]


def declared_type(field: dataclasses.Field[Any]) -> str:
    """A field's type as written, without the declaration's ``Prop[...]`` wrapper."""
    text = str(field.type)
    match = re.fullmatch(r"(?:Prop|Value)\[(.*)\]", text.strip())
    return match.group(1) if match else text


def operations(module: ModuleType, provider: Any = None) -> list[str]:
    """The Segment operations a resource's code names: string constants in its module and in
    the modules of its provider's base classes, f-strings there built from the provider's own
    attributes (``f"Create{self.noun}"``), and names its class holds, in the order Segment's
    verbs run."""
    modules = [module]
    for base in type(provider).__mro__ if provider is not None else ():
        found = sys.modules.get(base.__module__)
        if (
            found is not None
            and found not in modules
            and base.__module__.startswith("segment_unify.provider.resources")
        ):
            modules.append(found)
    seen: dict[str, None] = {}
    for each in modules:
        try:
            tree = ast.parse(inspect.getsource(each))
        except (OSError, TypeError):
            continue
        for node in ast.walk(tree):
            text = _render_with(node, provider) if isinstance(node, ast.JoinedStr) else None
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            if text is not None and OPERATION.match(text):
                seen.setdefault(text, None)
    # Names the provider's class holds (an ``operations`` table derived from Segment's noun).
    for base in type(provider).__mro__ if provider is not None else ():
        for value in vars(base).values():
            values = value.values() if isinstance(value, Mapping) else [value]
            for each_value in values:
                if isinstance(each_value, str) and OPERATION.match(each_value):
                    seen.setdefault(each_value, None)
    verbs = ["Create", "Add", "Get", "List", "Update", "Replace", "Remove", "Delete"]
    return sorted(
        seen, key=lambda op: (next(i for i, v in enumerate(verbs) if op.startswith(v)), op)
    )


def _render_with(node: ast.JoinedStr, provider: Any) -> str | None:
    """An f-string whose every computed part is ``self.<attribute>`` of ``provider``."""
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value))
            continue
        expr = value.value if isinstance(value, ast.FormattedValue) else None
        if not (
            isinstance(expr, ast.Attribute)
            and isinstance(expr.value, ast.Name)
            and expr.value.id == "self"
            and isinstance(getattr(provider, expr.attr, None), str)
        ):
            return None
        parts.append(getattr(provider, expr.attr))
    return "".join(parts)


def _render(node: ast.expr, constants: dict[str, str] | None = None) -> str | None:
    """A message expression as text: literal parts as written, a module's string constants
    inlined, other computed parts as ``{expr}``."""
    known = constants or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                expr = ast.unparse(value.value)
                parts.append(known.get(expr, "{" + expr + "}"))
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _render(node.left, known), _render(node.right, known)
        return None if left is None or right is None else left + right
    return None


def _messages_in(
    tree: ast.AST, functions: dict[str, ast.FunctionDef], constants: dict[str, str]
) -> Iterator[str]:
    """The texts of ``SegmentResourceError``s raised and ``CheckFailure``s made under ``tree``;
    a message built by a function of the same module is read from that function's return."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = ast.unparse(node.func).rsplit(".", 1)[-1]
        if name not in ("SegmentResourceError", "CheckFailure"):
            continue
        message = node.args[-1] if name == "CheckFailure" else node.args[0]
        text = _render(message, constants)
        if text is None and isinstance(message, ast.Call):
            made_by = functions.get(ast.unparse(message.func))
            returns = (
                [r.value for r in ast.walk(made_by) if isinstance(r, ast.Return)] if made_by else []
            )
            texts = [_render(r, constants) for r in returns if r is not None]
            text = next((t for t in texts if t), None)
        # A message that only passes another one on ("{what}: {exc}") says nothing here.
        if text and len(re.sub(r"\{[^}]*\}", "", text).split()) >= 4:
            yield " ".join(text.split())


def _string_constants(module: ModuleType) -> dict[str, str]:
    return {k: v for k, v in vars(module).items() if k.isupper() and isinstance(v, str)}


def failure_messages(module: ModuleType, provider: Any = None) -> list[str]:
    """What this resource's own code fails with: the messages of its module and of the modules
    its provider's base classes come from (the shared scaffold ``_base`` aside), and those of
    the helper functions they import from the resource package's private modules (one level)."""
    modules = [module]
    for base in type(provider).__mro__ if provider is not None else ():
        found_module = sys.modules.get(base.__module__)
        if (
            found_module is not None
            and found_module not in modules
            and base.__module__.startswith("segment_unify.provider.resources.")
            and not base.__module__.endswith("._base")
        ):
            modules.append(found_module)
    found: dict[str, None] = {}
    for each in modules:
        found.update(dict.fromkeys(_module_messages(each)))
    return list(found)


def _module_messages(module: ModuleType) -> Iterator[str]:
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return
    functions = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    yield from _messages_in(tree, functions, _string_constants(module))
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("segment_unify.provider.resources._")
        ):
            continue
        helper = sys.modules.get(node.module)
        if helper is None:
            continue
        helper_tree = ast.parse(inspect.getsource(helper))
        helper_functions = {
            n.name: n for n in ast.walk(helper_tree) if isinstance(n, ast.FunctionDef)
        }
        for alias in node.names:
            function = helper_functions.get(alias.name)
            if function is not None:
                yield from _messages_in(function, helper_functions, _string_constants(helper))


# -- markdown --------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text for one table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|") or MISSING


def _no_tags(text: str) -> str:
    """``<spaceId>`` outside code spans shown as written, not taken for an HTML tag."""
    parts = text.split("`")
    return "`".join(p.replace("<", "&lt;") if i % 2 == 0 else p for i, p in enumerate(parts))


def _code(text: str) -> str:
    # Python-Markdown's tables do not split cells at a pipe inside a code span.
    return "`" + text.replace("`", "'") + "`"


def _default(field: dataclasses.Field[Any]) -> str:
    if getattr(field_spec(field), "required", False) is True:
        return "required"  # declared so; Python's default is None so both forms stay optional
    if field.default is not dataclasses.MISSING:
        return _short(field.default)
    if field.default_factory is not dataclasses.MISSING:
        # The value the factory makes, as a reader would write it, not the factory's name
        # (``<lambda>``, ``_default_traits``).
        return _short(field.default_factory())
    return "required"


SHORT = 80


def _label(value: Any) -> Any:
    """What names one entry of a sequence default: its key (or name), as attribute or method."""
    for attribute in ("key", "name", "slug", "catalog_slug"):
        label = getattr(value, attribute, None)
        label = label() if callable(label) else label
        if isinstance(label, str):
            return label
    return None


def _short(value: Any) -> str:
    """A default as a table cell: its repr where short, else what it holds in a few words
    (a tuple of six trait specs was two screens of nested reprs)."""
    text = repr(value)
    if len(text) <= SHORT:
        return _code(text)
    if isinstance(value, list | tuple) and value:
        labels = [_label(v) for v in value]
        kind = type(value[0]).__name__
        if all(isinstance(label, str) for label in labels):
            return f"{len(value)} `{kind}`: " + ", ".join(_code(str(label)) for label in labels)
        return f"{len(value)} `{kind}`"
    if isinstance(value, dict):
        return f"{len(value)} entries: " + ", ".join(_code(str(k)) for k in value)
    for attribute in ("spec", "expression", "query"):
        shown = getattr(value, attribute, None)
        if isinstance(shown, str):
            return f"`{type(value).__name__}` {_code(shown)}"
    return f"a `{type(value).__name__}`"


def _signature(cls: type[Any]) -> str:
    """``Name(arg: type, ...)`` as a program calls it, one parameter a line."""
    # A resource's own signature (help()'s: the typed keywords of its declaration), else
    # its __init__'s.
    params = list(inspect.signature(cls).parameters.values())
    shown = [str(p).replace("'", "") for p in params]
    return f"{cls.__name__}(\n" + "".join(f"    {p},\n" for p in shown) + ")"


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__) if obj.__doc__ else ""


def _from_module_doc(module: ModuleType) -> str:
    """A module docstring as markdown: reST's double backquotes become code spans."""
    return _doc(module).replace("``", "`")


def args_table(
    args_type: type[Any], *, replaces: Iterable[str] | None = None, secret: Iterable[str] = ()
) -> list[str]:
    """One row per field of an ``…Args`` dataclass; a "replaces" column for resources."""
    replace_set, secret_set = set(replaces or ()), set(secret)
    head = ["argument", "type", "default", *(["replaces"] if replaces is not None else []), "doc"]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for field in arguments(args_type):
        spec = field_spec(field)
        secret = field.name in secret_set or bool(getattr(spec, "secret", False))
        name = _code(field.name) + (" (secret)" if secret else "")
        doc = field_doc(args_type, field) or MISSING
        cells = [name, _code(declared_type(field)), _default(field)]
        if replaces is not None:
            replaced = field.name in replace_set or bool(getattr(spec, "replaces", False))
            cells.append("yes" if replaced else "")
        cells.append(_cell(doc.replace("``", "`")))
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def outputs_table(
    cls: type[Any],
    *,
    computed: Iterable[str],
    secret: Iterable[str],
    declaration: type[Any] | None = None,
) -> list[str]:
    """The resource's outputs: its ``pulumi.Output`` annotations, or every declared field of
    its declaration (arguments are outputs too; declared outputs are Segment's)."""
    computed_set, secret_set = set(computed), set(secret)
    docs = attribute_docs(cls)
    rows = ["| output | type | set by | doc |", "| --- | --- | --- | --- |"]
    found: list[tuple[str, str, bool, bool, str]] = []
    for name, annotation in annotations(cls).items():
        match = re.fullmatch(r"(?:pulumi\.)?Output\[(.*)\]", annotation.strip())
        if match is not None:
            found.append((name, match.group(1), name in computed_set, name in secret_set, ""))
    if not found and declaration is not None and dataclasses.is_dataclass(declaration):
        for field in dataclasses.fields(declaration):
            spec = field_spec(field)
            if spec is None:
                continue
            by_segment = bool(getattr(spec, "output", False)) or field.name in computed_set
            hidden = bool(getattr(spec, "secret", False)) or field.name in secret_set
            doc = field_doc(declaration, field)
            found.append((field.name, declared_type(field), by_segment, hidden, doc))
    for name, shown_type, by_segment, hidden, doc in found:
        by = "Segment" if by_segment else "the argument, as Segment holds it"
        label = _code(name) + (" (secret)" if hidden else "")
        text = (doc or docs.get(name, "")).replace("``", "`") or MISSING
        rows.append(f"| {label} | {_code(shown_type)} | {by} | {_cell(text)} |")
    return rows


def declaration_of(cls: type[Any]) -> type[Any]:
    """The ``…Args`` a resource declares its fields in."""
    found = getattr(cls, "_args_type", None) or getattr(cls._segment_provider, "declaration", None)
    if found is None:
        raise SystemExit(f"tools/docs/gen_reference.py: no Args found for {cls.__name__}")
    return found


def limits_table(ops: list[str]) -> list[str]:
    from segment_unify.provider import _constants as c

    if not ops:
        return ["This resource makes no call of its own to Segment's Public API."]
    rows = ["| Segment operation | limit (per minute, per workspace) |", "| --- | --- |"]
    for op in ops:
        limit = c.PER_MINUTE.get(op)
        shown = (
            f"{limit}"
            if limit is not None
            else f"{c.DEFAULT_PER_MINUTE} (no published limit; the client's assumption)"
        )
        rows.append(f"| `{op}` | {shown} |")
    return rows


def errors_section() -> list[str]:
    from segment_unify.provider import config, errors

    classes = [
        errors.SegmentResourceError,
        config.ConfigurationError,
        *sorted(
            (
                cls
                for cls in vars(errors).values()
                if inspect.isclass(cls)
                and issubclass(cls, errors.SegmentError)
                and cls not in (errors.SegmentError, errors.SegmentApiError)
            ),
            key=lambda cls: cls.__name__,
        ),
    ]
    missing = [cls.__name__ for cls in classes if cls.__name__ not in WHAT_TO_DO]
    if missing:
        raise SystemExit(f"tools/docs/gen_reference.py: no advice for {', '.join(missing)}")
    rows = ["| error | when | what to do |", "| --- | --- | --- |"]
    for cls in classes:
        when = _cell(_doc(cls).replace("``", "`"))
        rows.append(f"| `{cls.__name__}` | {when} | {_cell(WHAT_TO_DO[cls.__name__])} |")
    return rows


# -- pages -------------------------------------------------------------------------------------


def resource_page(cls: type[Any]) -> str:
    provider = cls._segment_provider
    module = sys.modules[cls.__module__]
    args_type = declaration_of(cls)
    secret = (*getattr(cls, "_secret_outputs", ()), *getattr(provider, "secret_fields", ()))
    replaces = sorted(provider.replace_on)
    key = provider.natural_key or provider.autoname_field
    lines = [
        f"# {cls.__name__}",
        "",
        f"`from {cls.__module__.rsplit('.', 1)[0].rsplit('.', 1)[0]} import {cls.__name__}, "
        f"{args_type.__name__}` &middot; type token `{cls.type_token()}`",
        "",
        cls.summary.replace("``", "`") or MISSING,
        "",
        _from_module_doc(module),
        "",
        "## Constructor",
        "",
        "```python",
        _signature(cls),
        "```",
        "",
        f"Pass a `{args_type.__name__}` as `args`, or its fields as keyword arguments (both "
        "together: the keywords override the args). `opts` are Pulumi's resource options; "
        "`adopt_id` brings an object made in Segment's app under the stack (below).",
        "",
        "## Arguments",
        "",
        *args_table(args_type, replaces=replaces, secret=secret),
        "",
        "## Outputs",
        "",
        "Outputs are what Segment holds after each write, so a change made in Segment's app "
        "shows at the next `pulumi preview`. Every argument is an output too.",
        "",
        *outputs_table(
            cls,
            computed=getattr(cls, "_computed", ()),
            secret=secret,
            declaration=args_type,
        ),
        "",
        "## What replaces it",
        "",
        (
            "A change of " + ", ".join(f"`{name}`" for name in replaces) + " makes it another "
            "object in Segment: `pulumi preview` shows a replacement, and the old object is "
            "deleted."
            if replaces
            else "Nothing: every argument is changed in place."
        ),
        "",
        "## Identity, adoption and import",
        "",
        f"- Pulumi id and `adopt_id` form: `{provider.import_id_form}`.",
    ]
    if provider.adopted:
        lines.append(
            "- Made in Segment's app only: `pulumi up` finds and verifies it (failing with the UI "
            "step to take when it is missing); `pulumi destroy` only drops it from the stack."
        )
    else:
        lines.append(
            "- A stack changes and deletes only what it made. An object made in Segment's app "
            'is brought under the stack with `adopt_id="<id>"` (Pulumi\'s `import_` option and '
            "`pulumi import` cannot serve dynamic resources)."
        )
    if key:
        lines.append(
            f"- Natural key: `{key}`"
            + (
                f" (left out, it is derived from the project, stack and resource name: "
                f"`{provider.autoname_field}`)"
                if provider.autoname_field
                else ""
            )
            + "; an object Segment already holds under it is refused unless this stack made it."
        )
    lines += [
        "",
        "## Segment API calls and rate limits",
        "",
        "The operations this resource's module calls, with the limits the client paces them to "
        "(a call that waits for its turn longer than a couple of seconds says so in the "
        "`pulumi up` output):",
        "",
        *limits_table(operations(module, provider)),
        "",
        "## Errors and what to do",
        "",
        "Bad input is a check failure at `pulumi preview`, on the argument, naming the resource "
        "and what was expected. Errors from Segment name the operation, the object, the URL "
        "and Segment's message, and whether anything may have been applied:",
        "",
        *errors_section(),
        "",
        "What this resource's own code says when it stops (read from its module; `{…}` is "
        "filled in when it happens), besides the input model's checks and the scaffold's "
        "messages about ownership and lost answers:",
        "",
        *(
            [f"- {_no_tags(_cell(m))}" for m in failure_messages(module, provider)]
            or ["- nothing of its own"]
        ),
        "",
    ]
    return "\n".join(lines)


def _dataclasses_of(module: ModuleType) -> Iterator[type[Any]]:
    for name in getattr(module, "__all__", ()):
        value = getattr(module, name)
        if inspect.isclass(value) and dataclasses.is_dataclass(value):
            yield value


def component_page(cls: type[Any]) -> str:
    module = sys.modules[cls.__module__]
    init = inspect.signature(cls.__init__)
    args_name = str(init.parameters["args"].annotation) if "args" in init.parameters else ""
    package = cls.__module__.rsplit(".", 1)[0]
    lines = [
        f"# {cls.__name__}",
        "",
        f"`from {package} import {cls.__name__}` &middot; a Pulumi component resource",
        "",
        _doc(cls).replace("``", "`") or MISSING,
        "",
        _from_module_doc(module),
        "",
        "## Constructor",
        "",
        "```python",
        _signature(cls),
        "```",
        "",
    ]
    args_type = getattr(sys.modules[package], args_name, None)
    parts = sys.modules[args_type.__module__ if args_type is not None else cls.__module__]
    if args_type is not None:
        lines += [_from_module_doc(parts), ""]
    for part in sorted(_dataclasses_of(parts), key=lambda c: c.__name__ != args_name):
        lines += [
            f"## {part.__name__}",
            "",
            _doc(part).replace("``", "`") or MISSING,
            "",
            *args_table(part),
            "",
        ]
    lines += [
        "## Outputs",
        "",
        *outputs_table(cls, computed=(), secret=("profile_api_token",)),
        "",
    ]
    for name, member in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and member.__qualname__.startswith(cls.__name__):
            lines += [f"### `{name}{inspect.signature(member)}`", "", _doc(member) or MISSING, ""]
    return "\n".join(lines)


def index_page(resources: list[type[Any]], components: list[type[Any]]) -> str:
    lines = [
        "# Reference",
        "",
        "Generated from the code at every build (`tools/docs/gen_reference.py`).",
        "",
        "## Components",
        "",
    ]
    lines += [f"- [{c.__name__}]({page_name(c)}.md): {_first_line(c)}" for c in components]
    lines += ["", "## Resources", ""]
    lines += [f"- [{c.__name__}]({page_name(c)}.md): {_first_line(c)}" for c in resources]
    return "\n".join([*lines, ""])


def _first_line(cls: type[Any]) -> str:
    module_doc = _doc(sys.modules[cls.__module__])
    first = (module_doc or _doc(cls)).split("\n\n")[0]
    return " ".join(first.replace("``", "`").split())


def seed_page() -> str:
    """The emulator's seed format, from its pydantic models."""
    from pydantic import BaseModel

    from segment_unify.emulator import seed

    models = [
        value
        for value in vars(seed).values()
        if inspect.isclass(value)
        and issubclass(value, BaseModel)
        and value.__module__ == seed.__name__
        and value is not seed.SeedModel
    ]
    order = ["SeedDocument", "SeedWorkspace", "SeedSpace", "SeedSource"]
    models.sort(key=lambda m: (order.index(m.__name__) if m.__name__ in order else 99, m.__name__))
    lines = [
        "# The emulator's seed file",
        "",
        _from_module_doc(seed),
        "",
        "A YAML (or JSON) document; `examples/seed.yaml` is the one the demo and the tests use. "
        "Unknown keys are refused, naming them. Generated from "
        "`segment_unify/emulator/seed.py`'s models:",
        "",
    ]
    for model in models:
        lines += [f"## {model.__name__.removeprefix('Seed') or 'Document'}", ""]
        if model.__doc__ and model.__doc__ != BaseModel.__doc__:
            lines += [_doc(model).replace("``", "`"), ""]
        lines += ["| key | type | default | meaning |", "| --- | --- | --- | --- |"]
        for name, info in model.model_fields.items():
            alias = info.alias or name
            annotation = _type_name(info.annotation).replace(f"{seed.__name__}.", "")
            if info.is_required():
                default = "required"
            elif info.default_factory is not None:
                default = "empty"
            else:
                default = _code(repr(info.default))
            meaning = _cell((info.description or "").replace("``", "`"))
            lines.append(f"| `{alias}` | {_code(annotation)} | {default} | {meaning} |")
        lines.append("")
    example = Path(__file__).resolve().parents[2] / "examples" / "seed.yaml"
    lines += ["## Example", "", "```yaml", example.read_text(encoding="utf-8").rstrip(), "```", ""]
    return "\n".join(lines)


def write_pages(out: Path) -> list[Path]:
    """Every generated page under ``out``; returns their paths."""
    resources, components = resource_classes(), component_classes()
    reference = out / "reference"
    reference.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = {
        **{page_name(c): component_page(c) for c in components},
        **{page_name(c): resource_page(c) for c in resources},
        "index": index_page(resources, components),
    }
    for name, text in pages.items():
        path = reference / f"{name}.md"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        written.append(path)
    seed = out / "emulator-seed.md"
    seed.write_text(seed_page(), encoding="utf-8")
    written.append(seed)
    return written


if __name__ == "__main__":
    for page in write_pages(Path(sys.argv[1] if len(sys.argv) > 1 else "build/docs-src")):
        print(page)
