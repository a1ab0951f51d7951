"""Creates this machine sent whose answer it never read: evidence of ownership across processes.

A trait, audience or source whose key the program declares carries nothing in Segment that says
which stack made it, so when ``pulumi up`` (or the provider process) is killed after Segment made
one, the next ``up`` meets a conflict it cannot tell from an object someone else made, and must
refuse it. So before such a create the provider writes a small record, named by a hash of the
resource's identity in its stack (``autoname_seed``) and the key, and adds the object's id once
Segment answers. The record is kept after the answer: the provider process outlives a killed
CLI and may read the answer that the engine never records. So at the next ``up``, a create of
this resource that meets its key taken looks at the record: an object with the recorded id, or
(no id recorded: the process died before the answer) one holding what the program declares, is
this resource's own and is taken over like one whose answer was lost in the same process. Any
other object under the key is refused. Deleting the resource removes its record.

Records live in ``$SEGMENT_UNIFY_STATE_DIR`` (default ``$XDG_STATE_HOME/segment-unify``, that is
``~/.local/state/segment-unify``), under ``pending-creates/``; they hold no secret (the
resource's description and when it was sent), and a machine that never saw the cut-off create
has none, so there the object is refused, naming the ``adopt_id`` that brings it in.

Autonamed objects use the record too: where one is held, the create looks for what the cut-off
create made before it sends anything (``_base``). Without one, the name alone finds it: the
create is sent and the name listed beside it (and again after it, when that list failed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from segment_unify.provider.resources._naming import AUTONAME_SEED

ENV_STATE_DIR = "SEGMENT_UNIFY_STATE_DIR"


def _folder() -> Path:
    root = os.environ.get(ENV_STATE_DIR)
    if root:
        return Path(root) / "pending-creates"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "segment-unify" / "pending-creates"


def _record(seed: str, key: tuple[Any, ...]) -> Path:
    material = json.dumps([seed, list(key)], default=str, separators=(",", ":"))
    return _folder() / (hashlib.sha256(material.encode("utf-8")).hexdigest()[:32] + ".json")


def sent(seed: str, key: tuple[Any, ...], what: str) -> None:
    """A create is about to go out."""
    path = _record(seed, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"what": what, "sentAt": time.time()}))
    except OSError:
        pass  # evidence is a help, not a precondition: without it a cut-off create is refused


def made(seed: str, key: tuple[Any, ...], id_: str) -> None:
    """Segment answered the create with ``id_`` (which the engine may yet never record)."""
    path = _record(seed, key)
    with contextlib.suppress(OSError):
        path.write_text(json.dumps({"id": id_, "madeAt": time.time()}))


def forget(seed: str, key: tuple[Any, ...]) -> None:
    """The create was refused, or the object deleted: nothing of it is left to claim."""
    _record(seed, key).unlink(missing_ok=True)


class Earlier:
    """The record an earlier create of this resource left, read before this one writes its own."""

    def __init__(self, seed: str, key: tuple[Any, ...]) -> None:
        try:
            record = json.loads(_record(seed, key).read_text())
        except (OSError, ValueError):
            record = None
        self.exists = isinstance(record, dict)
        self.id = record.get("id") if isinstance(record, dict) else None

    def claims(self, id_: str) -> bool | None:
        """True for the recorded id; None when a create was sent and its answer never read
        (an object holding what was sent is its result); False otherwise."""
        if not self.exists:
            return False
        if self.id is None:
            return None
        return bool(self.id == id_)


def identity(
    props: Mapping[str, Any], key: tuple[Any, ...] | None
) -> tuple[str, tuple[Any, ...]] | None:
    seed = props.get(AUTONAME_SEED)
    if not seed or key is None:
        return None
    return str(seed), key
