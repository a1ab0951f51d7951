"""Where the policy pack folder is for this Python, for ``pulumi preview --policy-pack``.

The package carries the pack (``pack/``: PulumiPolicy.yaml, ``__main__.py``, the dev and prod
configs). The CLI runs a Python pack with the interpreter its PulumiPolicy.yaml names (option
``virtualenv``) or, without one, the ``python3`` on PATH; a pack inside a virtualenv the user
has not activated would meet a Python without this package. So in a virtualenv the folder
handed out is a copy made beside it (``<venv>/share/segment-unify/policy-pack``) whose
PulumiPolicy.yaml names that virtualenv; elsewhere it is the shipped folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent / "pack"
FILES = ("__main__.py", "config.dev.json", "config.prod.json")


def in_virtualenv() -> bool:
    return sys.prefix != sys.base_prefix


def pack_folder() -> Path:
    """The folder to pass to ``--policy-pack`` for the Python running this."""
    if not in_virtualenv():
        return SHIPPED
    target = Path(sys.prefix) / "share" / "segment-unify" / "policy-pack"
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        _write_if_changed(target / name, (SHIPPED / name).read_text())
    project = (
        (SHIPPED / "PulumiPolicy.yaml")
        .read_text()
        .replace(
            "runtime: python\n",
            # json.dumps quotes like YAML's double-quoted scalars do, whatever the path holds.
            f"runtime:\n  name: python\n  options:\n    virtualenv: {_quoted(sys.prefix)}\n",
        )
    )
    _write_if_changed(target / "PulumiPolicy.yaml", project)
    return target


def config_file(stack_kind: str) -> Path:
    """``config.dev.json`` or ``config.prod.json`` of the pack folder."""
    return pack_folder() / f"config.{stack_kind}.json"


def _quoted(text: str) -> str:
    import json

    return json.dumps(text)


def _write_if_changed(path: Path, text: str) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
