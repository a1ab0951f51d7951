"""Creates this machine sent whose answer it never read: evidence of ownership across processes.

A trait, audience or source whose key the program declares carries nothing in Segment that says
which stack made it, so when ``pulumi up`` (or the provider process) is killed after Segment made
one, the next ``up`` meets a conflict it cannot tell from an object someone else made, and must
refuse it. So before such a create the provider writes a small record, named by a hash of the
resource's identity in its stack (``autoname_seed``) and the key, and removes it once the create
has an answer. A record still there at the next ``up`` says this very resource sent that create
and never heard back: an object found under the key that holds what the program declares is
that create's result, and is taken over like one whose answer was lost in the same process.

Records live in ``$SEGMENT_UNIFY_STATE_DIR`` (default ``$XDG_STATE_HOME/segment-unify``, that is
``~/.local/state/segment-unify``), under ``pending-creates/``; they hold no secret (the
resource's description and when it was sent), and a machine that never saw the cut-off create
has none, so there the object is refused, naming the ``adopt_id`` that brings it in.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


def answered(seed: str, key: tuple[Any, ...]) -> None:
    """The create has an answer (made, adopted or refused): nothing is pending any more."""
    _record(seed, key).unlink(missing_ok=True)


def pending(seed: str, key: tuple[Any, ...]) -> bool:
    """Whether this resource sent a create for ``key`` and never read its answer."""
    return _record(seed, key).exists()


def identity(
    props: Mapping[str, Any], key: tuple[Any, ...] | None
) -> tuple[str, tuple[Any, ...]] | None:
    seed = props.get("autoname_seed")
    if not seed or key is None:
        return None
    return str(seed), key
