"""Async SQLAlchemy engines and tenant-scoped transactions (row-level security)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from kyodo_common.tenancy import is_valid_municipality_code

TENANT_SETTING = "kyodo.municipality"
_SET_TENANT = text(f"SELECT set_config('{TENANT_SETTING}', :code, true)")


async def raw_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under a session, inside the session's transaction."""
    proxied = await (await session.connection()).get_raw_connection()
    connection: asyncpg.Connection = proxied.driver_connection
    if not connection.is_in_transaction():
        # SQLAlchemy sends BEGIN lazily, with the session's first statement: without one,
        # a statement sent here would commit on its own.
        await session.execute(text("SELECT 1"))
    return connection


def asyncpg_dsn(url: str) -> str:
    """The same URL for asyncpg itself (no SQLAlchemy driver suffix)."""
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def sqlalchemy_url(url: str) -> str:
    if url.startswith("postgresql://"):
        return url.replace("postgresql://", "postgresql+asyncpg://", 1)
    return url


class Database:
    """One engine per process; every transaction on tenant data names its tenant."""

    def __init__(self, url: str, *, pool_size: int = 20) -> None:
        self.engine: AsyncEngine = create_async_engine(
            sqlalchemy_url(url), pool_size=pool_size, max_overflow=pool_size // 2,
            pool_pre_ping=False,
        )
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def tenant_transaction(self, municipality_code: str) -> AsyncIterator[AsyncSession]:
        """A transaction that sees only this municipality's rows (SET LOCAL, enforced by RLS)."""
        if not is_valid_municipality_code(municipality_code):
            raise ValueError("invalid municipality code")
        async with self.sessions() as session, session.begin():
            await session.execute(_SET_TENANT, {"code": municipality_code})
            yield session

    @asynccontextmanager
    async def platform_transaction(self) -> AsyncIterator[AsyncSession]:
        """A transaction without tenant: sees platform tables only, no tenant rows."""
        async with self.sessions() as session, session.begin():
            yield session

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
