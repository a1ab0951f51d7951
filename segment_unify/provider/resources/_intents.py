"""Creates this machine sent whose answer it never read: evidence of ownership across processes.

A trait, audience or source whose key the program declares carries nothing in Segment that says
which stack made it, so when ``pulumi up`` (or the provider process) is killed after Segment
made one, the next ``up`` meets a conflict it cannot tell from an object someone else made, and
must refuse it. So before such a create the provider writes a small record, named by a hash of
the stack's identity (``StackIdentity``, kept in the stack's state) and the key, holding which
resource of the stack sent it (its seed and name), and adds the object's id once Segment
answers. The record is kept after the answer: the provider process outlives a killed CLI and
may read the answer that the engine never records. So at the next ``up``, a create of this
resource that meets its key taken looks at the record: an object with the recorded id, or (no
id recorded: the process died before the answer) one holding what the program declares, is this
resource's own and is taken over like one whose answer was lost in the same process. Any other
object under the key is refused; one that the record shows another resource of this stack made
(a resource renamed in the program) is refused naming it, with the ``aliases`` that keep it.
Deleting the resource removes its record, unless another resource of the stack holds the key by
then. Two stacks never share a record, whatever their project and stack names.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from segment_unify.provider.resources._naming import AUTONAME_BASE, AUTONAME_SEED
from segment_unify.provider.resources.stack_identity import STACK_IDENTITY

ENV_STATE_DIR = "SEGMENT_UNIFY_STATE_DIR"


@dataclass(frozen=True)
class Mine:
    """A resource's create, as its record names it."""

    stack: str
    """The stack's identity (a resource made before stacks had one: its seed)."""
    seed: str
    resource: str
    key: tuple[Any, ...]


def _folder() -> Path:
    root = os.environ.get(ENV_STATE_DIR)
    if root:
        return Path(root) / "pending-creates"
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "segment-unify" / "pending-creates"


def _record(mine: Mine) -> Path:
    material = json.dumps([mine.stack, list(mine.key)], default=str, separators=(",", ":"))
    return _folder() / (hashlib.sha256(material.encode("utf-8")).hexdigest()[:32] + ".json")


def _read(mine: Mine) -> dict[str, Any] | None:
    try:
        record = json.loads(_record(mine).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _write(mine: Mine, record: Mapping[str, Any]) -> None:
    path = _record(mine)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"seed": mine.seed, "resource": mine.resource, **record}))
    except OSError:
        pass  # evidence is a help, not a precondition: without it a cut-off create is refused


def sent(mine: Mine, what: str) -> None:
    """A create is about to go out."""
    _write(mine, {"what": what, "sentAt": time.time()})


def made(mine: Mine, id_: str) -> None:
    """Segment answered the create with ``id_`` (which the engine may yet never record)."""
    earlier = _read(mine) or {}
    sent_at = earlier.get("sentAt") if earlier.get("seed") == mine.seed else None
    _write(mine, {"id": id_, "madeAt": time.time(), "sentAt": sent_at})


def forget(mine: Mine) -> None:
    """The create was refused, or the object deleted: nothing of it is left to claim (unless
    another resource of the stack holds the key by now: its record stays)."""
    record = _read(mine)
    if record is None or record.get("seed") in (None, mine.seed):
        with contextlib.suppress(OSError):
            _record(mine).unlink(missing_ok=True)


class Earlier:
    """The record an earlier create under this key left, read before this one writes its own."""

    def __init__(self, mine: Mine) -> None:
        record = _read(mine) or {}
        own = bool(record) and record.get("seed") in (None, mine.seed)
        self.exists = own
        self.id = record.get("id") if own else None
        self.sent_at = record.get("sentAt") if own else None
        # Another resource of this stack made the object under this key: its name.
        self._other = (record.get("resource"), record.get("id")) if record and not own else None

    def claims(self, id_: str) -> bool | None:
        """True for the recorded id; None when a create was sent and its answer never read
        (an object holding what was sent is its result); False otherwise."""
        if not self.exists:
            return False
        if self.id is None:
            return None
        return bool(self.id == id_)

    def held_by(self, id_: str) -> str | None:
        """The other resource of this stack whose create made ``id_``, if a record says so."""
        if self._other is None or self._other[1] != id_ or not self._other[0]:
            return None
        return str(self._other[0])


def identity(props: Mapping[str, Any], key: tuple[Any, ...] | None) -> Mine | None:
    seed = props.get(AUTONAME_SEED)
    if not seed or key is None:
        return None
    stack = props.get(STACK_IDENTITY)
    return Mine(
        stack=str(stack) if isinstance(stack, str) and stack else str(seed),
        seed=str(seed),
        resource=str(props.get(AUTONAME_BASE) or ""),
        key=key,
    )
