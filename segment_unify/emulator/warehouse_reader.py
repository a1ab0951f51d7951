"""Reading a Reverse ETL model's rows from the warehouse its source's settings point at.

Only Postgres is read (psycopg, imported when a model first runs): the settings are Segment's
Postgres form (`hostname`, `port`, `database`, `username`, `password`). A query the database
refuses, a warehouse that cannot be reached and a result without the model's identifier column
raise :class:`WarehouseQueryError` carrying the database's own message, which the sync status
and the query preview show. Values come back as JSON does (decimals and times as numbers and
ISO text), as Segment's extract hands them to mappings.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

__all__ = ["ModelRows", "WarehouseQueryError", "read_model_rows"]

POSTGRES_SOURCE_SLUG = "postgres"


class WarehouseQueryError(Exception):
    """The model's query could not give rows; ``code`` is a short reason, the message the
    database's (or what is missing)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ModelRows:
    columns: list[str]
    rows: list[dict[str, Any]]


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return bytes(value).hex()
    return value


def read_model_rows(
    catalog_slug: str,
    settings: dict[str, Any],
    query: str,
    identifier_column: str,
    limit: int | None = None,
) -> ModelRows:
    """The model's rows (at most ``limit``), keyed by column name."""
    if catalog_slug != POSTGRES_SOURCE_SLUG:
        raise WarehouseQueryError(
            "UNSUPPORTED_WAREHOUSE",
            f"the emulator reads Postgres warehouses only, not {catalog_slug!r}",
        )
    import psycopg
    from psycopg import sql

    missing = [k for k in ("hostname", "database", "username") if not settings.get(k)]
    if missing:
        raise WarehouseQueryError(
            "INVALID_SETTINGS", f"the source's settings lack {', '.join(missing)}"
        )
    statement: Any = query.strip().rstrip(";")
    if limit is not None:
        statement = sql.SQL("SELECT * FROM ({}) AS model_preview LIMIT {}").format(
            sql.SQL(statement), sql.Literal(limit)
        )
    try:
        with psycopg.connect(
            host=str(settings["hostname"]),
            port=int(settings.get("port") or 5432),
            dbname=str(settings["database"]),
            user=str(settings["username"]),
            password=str(settings.get("password") or ""),
            connect_timeout=10,
        ) as connection:
            connection.read_only = True
            cursor = connection.execute(statement)
            columns = [c.name for c in cursor.description or ()]
            fetched = cursor.fetchall()
    except psycopg.OperationalError as error:
        raise WarehouseQueryError("CONNECTION_FAILED", str(error).strip()) from None
    except psycopg.Error as error:
        raise WarehouseQueryError("QUERY_FAILED", str(error).strip()) from None
    if identifier_column not in columns:
        raise WarehouseQueryError(
            "MISSING_IDENTIFIER_COLUMN",
            f'column "{identifier_column}" (the model\'s identifier column) is not in the '
            f"query's results: {', '.join(columns) or 'no columns'}",
        )
    rows = [
        {name: _json_value(value) for name, value in zip(columns, row, strict=True)}
        for row in fetched
    ]
    return ModelRows(columns, rows)
