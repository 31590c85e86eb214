"""The unit of work: one tenant transaction holding the domain change and its events."""

from __future__ import annotations

from types import TracebackType

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db.engine import Database, begin, rollback
from kyodo_common.db.staged import StagedWrites
from kyodo_common.events.model import DomainEvent
from kyodo_common.events.outbox import outbox_rows
from kyodo_common.tenancy import is_valid_municipality_code


class UnitOfWork:
    """``async with UnitOfWork(...) as uow``: change things, ``uow.record(event)``, ``commit()``.

    Nothing is written unless ``commit`` is called; the events are written to the outbox in the
    same transaction as the change, so either both happen or neither does. Hot paths stage
    their rows in ``uow.staged``: at commit they go out in one statement with the outbox rows.
    """

    def __init__(self, db: Database, *, source: str, municipality_code: str) -> None:
        if not is_valid_municipality_code(municipality_code):
            raise ValueError("invalid municipality code")
        self._db = db
        self.source = source
        self.municipality_code = municipality_code
        self._events: list[DomainEvent] = []
        self._session: AsyncSession | None = None
        self._connection: asyncpg.Connection | None = None
        self.staged = StagedWrites()

    @property
    def session(self) -> AsyncSession:
        assert self._session is not None, "use the unit of work inside 'async with'"
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._db.sessions()
        try:
            self._connection = await begin(self._session, self.municipality_code)
        except BaseException:
            await self._session.close()
            self._session = None
            raise
        return self

    async def connection(self) -> asyncpg.Connection:
        """The transaction's own asyncpg connection: statements on it skip SQLAlchemy's
        per-statement cost (about 0.2 ms of CPU each) and are in the same transaction."""
        assert self._connection is not None, "use the unit of work inside 'async with'"
        return self._connection

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        if self._events:
            self.staged.insert("outbox", outbox_rows(
                self._events, source=self.source, municipality_code=self.municipality_code))
        connection = await self.connection()
        if self.staged:
            await self.staged.flush(connection)
        await connection.execute("COMMIT")
        self._events.clear()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        self.staged = StagedWrites()
        assert session is not None and connection is not None
        try:
            await rollback(session, connection)  # nothing to undo after a commit
        finally:
            await session.close()
            self._events.clear()
