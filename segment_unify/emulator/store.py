"""SQLite persistence of records: one JSON document per object.

`Store(":memory:")` for tests; a file path survives restarts. All access goes through one
re-entrant lock, so the backend can hold it across a read-check-write sequence
(`with store.lock:`). Row order (`seq`) is insertion order, which keeps pagination stable.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import TypeVar

from .records import Record

R = TypeVar("R", bound=Record)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    workspace_id TEXT NOT NULL,
    parent_id TEXT,
    doc TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS objects_by_owner ON objects (kind, workspace_id, parent_id);
"""


class Store:
    """Typed record storage over sqlite3."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self.lock:
            self._db.close()

    def put(self, record: Record) -> None:
        """Insert or replace, keeping the original position of an existing object."""
        doc = json.dumps(record.document(), separators=(",", ":"))
        with self.lock:
            self._db.execute(
                "INSERT INTO objects (kind, id, workspace_id, parent_id, doc) VALUES (?,?,?,?,?) "
                "ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc, "
                "workspace_id = excluded.workspace_id, parent_id = excluded.parent_id",
                (record.KIND, record.id, record.workspace_id, record.parent_id(), doc),
            )

    def get(self, cls: type[R], object_id: str) -> R | None:
        with self.lock:
            row = self._db.execute(
                "SELECT doc FROM objects WHERE kind = ? AND id = ?", (cls.KIND, object_id)
            ).fetchone()
        return None if row is None else cls.model_validate_json(row[0])

    def list(
        self, cls: type[R], workspace_id: str | None = None, parent_id: str | None = None
    ) -> list[R]:
        query = "SELECT doc FROM objects WHERE kind = ?"
        params: list[str] = [cls.KIND]
        if workspace_id is not None:
            query += " AND workspace_id = ?"
            params.append(workspace_id)
        if parent_id is not None:
            query += " AND parent_id = ?"
            params.append(parent_id)
        with self.lock:
            rows = self._db.execute(query + " ORDER BY seq", params).fetchall()
        return [cls.model_validate_json(row[0]) for row in rows]

    def delete(self, cls: type[Record], object_id: str) -> bool:
        with self.lock:
            cursor = self._db.execute(
                "DELETE FROM objects WHERE kind = ? AND id = ?", (cls.KIND, object_id)
            )
        return cursor.rowcount > 0

    def clear(self) -> None:
        with self.lock:
            self._db.execute("DELETE FROM objects")
