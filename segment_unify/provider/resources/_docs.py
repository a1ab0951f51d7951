"""The docstrings written under a declared class's fields, read from its module's source.

A field's doc is the string literal right after its annotated assignment, where editors
(pyright, Pylance) show it on hover; ``Spec.doc``, ``help()`` and the reference pages read it
from here. The source is parsed once per module, when a doc is first asked for.
"""

from __future__ import annotations

import inspect
import itertools
import sys
from typing import Any

_DOCS: dict[type[Any], dict[str, str]] = {}
_MODULE_TREES: dict[str, Any] = {}


def attribute_docs(cls: type[Any]) -> dict[str, str]:
    """The docstrings written under ``cls``'s own annotated attributes, read from its module's
    source once (from an installed wheel too); empty where the source cannot be had."""
    found = _DOCS.get(cls)
    if found is None:
        found = _DOCS[cls] = _read_docs(cls)
    return found


def _read_docs(cls: type[Any]) -> dict[str, str]:
    import ast  # only when a doc is first asked for: help(), the docs build

    tree = _MODULE_TREES.get(cls.__module__)
    if tree is None:
        try:
            source = inspect.getsource(sys.modules[cls.__module__])
        except (OSError, TypeError, KeyError):
            return {}
        tree = _MODULE_TREES[cls.__module__] = ast.parse(source)
    node = _class_node(tree.body, cls.__qualname__.split("."))
    docs: dict[str, str] = {}
    body = node.body if node is not None else []
    for here, after in itertools.pairwise(body):
        if (
            isinstance(here, ast.AnnAssign)
            and isinstance(here.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[here.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _class_node(body: list[Any], path: list[str]) -> Any:
    """The class statement at ``path`` (a ``__qualname__`` split at its dots) in ``body``."""
    import ast

    head, rest = path[0], path[1:]
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name == head:
            return _class_node(node.body, rest) if rest else node
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name == head
            and rest[:1] == ["<locals>"]
        ):
            return _class_node(node.body, rest[1:]) if rest[1:] else None
    return None
