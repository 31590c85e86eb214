"""A unit of work in the platform's pseudo-tenant: operators' idempotency keys and audit chain."""

from __future__ import annotations

from types import TracebackType

import asyncpg
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import Database
from kyodo_common.db.engine import TENANT_SETTING, raw_connection
from kyodo_common.db.staged import StagedWrites
from kyodo_identity.adapters.store import IdentityStore
from kyodo_identity.domain.platform import PLATFORM_CODE

_SET_PLATFORM = sa.text(f"SELECT set_config('{TENANT_SETTING}', :code, true)")


class PlatformUnit:
    """``async with PlatformUnit(db) as work``: change platform rows, ``commit()``.

    Tenant RLS still applies: the transaction sees platform tables and the rows whose
    municipality_code is the platform's own, never a municipality's. Like a tenant's unit of
    work it has a store and staged writes (the write pipeline's answer and access log), written
    at commit; the platform records no events.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._session: AsyncSession | None = None
        self.municipality_code = PLATFORM_CODE
        self.staged = StagedWrites()
        self.store = IdentityStore(self)

    @property
    def session(self) -> AsyncSession:
        assert self._session is not None, "use the platform unit inside 'async with'"
        return self._session

    async def __aenter__(self) -> PlatformUnit:
        self._session = self._db.sessions()
        await self._session.begin()
        await self._session.execute(_SET_PLATFORM, {"code": PLATFORM_CODE})
        return self

    async def connection(self) -> asyncpg.Connection:
        """The transaction's own asyncpg connection, as a tenant's unit of work has (the
        write pipeline claims its Idempotency-Key on it)."""
        return await raw_connection(self.session)

    def record(self, event: object) -> None:
        raise NotImplementedError("the platform records no events")

    async def commit(self) -> None:
        if self.staged:
            await self.staged.flush(await raw_connection(self.session))
        await self.session.commit()

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        session, self._session = self._session, None
        self.staged = StagedWrites()
        assert session is not None
        if session.in_transaction():
            await session.rollback()
        await session.close()
