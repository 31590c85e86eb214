"""Writes collected during a transaction and sent to PostgreSQL as one statement at commit.

A registration writes to six or seven tables (the rows, their history, the access log, the
stored idempotent response, the outbox). One statement each costs a round trip and, through
SQLAlchemy, about 0.3 ms of the API's CPU. Staged, they go out together: each table's rows as
one JSON array expanded by ``jsonb_populate_recordset`` in a data-modifying CTE of a single
statement. PostgreSQL runs every CTE of the statement exactly once; foreign keys are checked
at its end, so a parent and its child rows may be in the same flush. Row-level security applies
to each CTE as to any other statement.

Rows are written in the order they were staged (CTEs in staging order); within one statement,
no CTE sees another's rows, so staged writes must not depend on each other's results — which
is why they are staged only after every read of the transaction.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import asyncpg
from opentelemetry import trace
from opentelemetry.trace import SpanKind

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
tracer = trace.get_tracer("kyodo.db")


def _identifier(name: str) -> str:
    # Table and column names come from code, never from requests; still, refuse anything that
    # is not a plain lower-case identifier rather than quote it.
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "\\x" + bytes(value).hex()  # bytea's hex input format
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"cannot stage a value of type {type(value).__name__}")


def to_json(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps(rows, default=_json_default, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class _Write:
    table: str
    columns: tuple[str, ...]
    rows: list[Mapping[str, Any]]
    key: tuple[str, ...]  # empty: insert; else update the rows matched on these columns

    def sql(self, parameter: int) -> str:
        source = f"jsonb_populate_recordset(NULL::{self.table}, ${parameter}::jsonb)"
        if not self.key:
            columns = ", ".join(self.columns)
            # Identifiers checked by _identifier; the values travel as the JSON parameter.
            return f"INSERT INTO {self.table} ({columns}) SELECT {columns} FROM {source}"  # noqa: S608
        assignments = ", ".join(f"{c} = s.{c}" for c in self.columns if c not in self.key)
        match = " AND ".join(f"t.{c} = s.{c}" for c in self.key)
        return f"UPDATE {self.table} AS t SET {assignments} FROM {source} AS s WHERE {match}"  # noqa: S608


class StagedWrites:
    """``insert``/``update`` now, ``flush`` once: every staged row in one statement."""

    def __init__(self) -> None:
        self._writes: list[_Write] = []

    def __bool__(self) -> bool:
        return bool(self._writes)

    def insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rows of one table; each row's keys are the columns it writes."""
        self._stage(table, rows, key=())

    def update(self, table: str, rows: Sequence[Mapping[str, Any]], *,
               key: tuple[str, ...] = ("id",)) -> None:
        """Set the other given columns of the rows whose ``key`` columns match."""
        if not key:
            raise ValueError("an update needs the columns that find its rows")
        self._stage(table, rows, key=key)

    def _stage(self, table: str, rows: Sequence[Mapping[str, Any]], *,
               key: tuple[str, ...]) -> None:
        """Rows with the same columns share a CTE; rows that differ get one of their own."""
        by_columns: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
        for row in rows:
            by_columns.setdefault(tuple(row), []).append(row)
        for columns, same in by_columns.items():
            if key and (not set(key) <= set(columns) or len(columns) <= len(key)):
                raise ValueError(f"an update of {table} needs {key} and a column to set")
            previous = self._writes[-1] if self._writes else None
            if previous and (previous.table, previous.columns, previous.key) == (
                    table, columns, key):
                previous.rows.extend(same)  # the same shape again: one CTE for both
                continue
            self._writes.append(_Write(_identifier(table),
                                       tuple(_identifier(c) for c in columns), same, key))

    def rows(self, table: str) -> list[Mapping[str, Any]]:
        """The rows staged for ``table`` so far, in order (what a fake unit of work keeps)."""
        return [row for write in self._writes if write.table == table for row in write.rows]

    def statement(self) -> tuple[str, list[str]]:
        """The SQL and its parameters (one JSON array per staged write)."""
        ctes = ",\n".join(f"w{n} AS ({write.sql(n + 1)})" for n, write in enumerate(self._writes))
        return f"WITH {ctes}\nSELECT 1", [to_json(write.rows) for write in self._writes]

    async def flush(self, connection: asyncpg.Connection) -> None:
        if not self._writes:
            return
        sql, parameters = self.statement()
        # A span of its own: asyncpg is not instrumented, and this is the transaction's write.
        # Table names only: the values are personal data.
        tables = sorted({w.table for w in self._writes})
        with tracer.start_as_current_span(
                "staged writes", kind=SpanKind.CLIENT,
                attributes={"db.system": "postgresql", "db.operation": "WITH",
                            "kyodo.tables": tables,
                            "kyodo.rows": sum(len(w.rows) for w in self._writes)}):
            await connection.execute(sql, *parameters)
        self._writes.clear()


async def upsert(connection: asyncpg.Connection, table: str, rows: Sequence[Mapping[str, Any]],
                 *, conflict: tuple[str, ...], newer_by: str | None = None,
                 also_set: Mapping[str, str] | None = None) -> None:
    """Insert the rows now, or update the ones already there (matched on ``conflict``); with
    ``newer_by``, only where the incoming value of that column is greater (an older event never
    overwrites a newer one). ``also_set`` adds assignments written in SQL, where ``t`` is the
    row already there and ``excluded`` the incoming one. One statement whatever the count,
    unless rows repeat a key (several events of one resident in a consumer's run): then one
    statement per repetition, in order, so that each row meets the one before it as it would
    have alone (PostgreSQL refuses to update one row twice in a statement)."""
    if not rows:
        return
    columns = tuple(_identifier(c) for c in rows[0])
    names = ", ".join(columns)
    assignments = [f"{c} = excluded.{c}" for c in columns if c not in conflict]
    assignments += [f"{_identifier(c)} = {sql}" for c, sql in (also_set or {}).items()]
    where = f" WHERE t.{_identifier(newer_by)} < excluded.{newer_by}" if newer_by else ""
    sql = (f"INSERT INTO {_identifier(table)} AS t ({names}) "  # noqa: S608 - identifiers checked
           f"SELECT {names} FROM jsonb_populate_recordset(NULL::{table}, $1::jsonb) "
           f"ON CONFLICT ({', '.join(_identifier(c) for c in conflict)}) "
           f"DO UPDATE SET {', '.join(assignments)}{where}")
    for wave in _waves(rows, conflict):
        await connection.execute(sql, to_json(wave))


def _waves(rows: Sequence[Mapping[str, Any]],
           key: tuple[str, ...]) -> list[list[Mapping[str, Any]]]:
    """The rows in as few lists as possible with no key twice in a list, each key's rows in
    their order: the n-th row of a key goes to the n-th list."""
    waves: list[list[Mapping[str, Any]]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        values = tuple(row[c] for c in key)
        n = seen.get(values, 0)
        seen[values] = n + 1
        if n == len(waves):
            waves.append([])
        waves[n].append(row)
    return waves


async def insert_new(connection: asyncpg.Connection, table: str,
                     rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert the rows now; rows already there (any unique conflict) are left as they are."""
    if not rows:
        return
    names = ", ".join(_identifier(c) for c in rows[0])
    sql = (f"INSERT INTO {_identifier(table)} ({names}) "  # noqa: S608 - identifiers checked
           f"SELECT {names} FROM jsonb_populate_recordset(NULL::{table}, $1::jsonb) "
           "ON CONFLICT DO NOTHING")
    await connection.execute(sql, to_json(rows))
