"""The register store's reads go to the unit of work's asyncpg connection as it holds it, not
through the SQLAlchemy session (issue #22: finding the connection again per statement cost two
greenlet switches and SQLAlchemy's bookkeeping on every registration)."""

from __future__ import annotations

import uuid
from typing import Any

from kyodo_residents.adapters.store import RegisterStore


class _Connection:
    def __init__(self) -> None:
        self.statements: list[str] = []

    async def fetchrow(self, sql: str, *args: Any) -> Any:
        self.statements.append(sql)
        return None

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        self.statements.append(sql)
        return []


class _NoSession:
    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the store asked the session for {name}")


class _UnitOfWork:
    municipality_code = "152048"

    def __init__(self) -> None:
        self.conn = _Connection()
        self.session = _NoSession()

    async def connection(self) -> _Connection:
        return self.conn


async def test_reads_use_the_unit_of_works_connection() -> None:
    uow = _UnitOfWork()
    store = RegisterStore(uow)  # type: ignore[arg-type]
    assert await store.person(uuid.uuid4()) is None
    assert await store.household(uuid.uuid4()) is None
    assert len(uow.conn.statements) == 2
    assert uow.conn.statements[0].startswith("SELECT") and "FROM residents" in (
        uow.conn.statements[0])
