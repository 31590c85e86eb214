"""Async SQLAlchemy engines and tenant-scoped transactions (row-level security)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from kyodo_common import privacy
from kyodo_common.tenancy import is_valid_municipality_code

TENANT_SETTING = "kyodo.municipality"
# Sessions run SQLAlchemy in autocommit mode on a connection whose transaction is begun and
# ended here, on asyncpg directly: BEGIN and the tenant go in one round trip, and the three
# statements cost no SQLAlchemy work (about a quarter of a small write's CPU before).
_AUTOCOMMIT = {"isolation_level": "AUTOCOMMIT"}


def _begin_sql(municipality_code: str | None) -> str:
    """BEGIN, the tenant and what the caller may see of protected people (支援措置), in one
    round trip; both settings in one SELECT: every transaction of the platform begins so, and
    a statement less is a parse, plan and result less for PostgreSQL and asyncpg."""
    if municipality_code is None:
        return f"BEGIN; {privacy.setting_sql()}"
    # A literal in a simple query (no parameters there): the code is six checked digits.
    if not (is_valid_municipality_code(municipality_code) and municipality_code.isdigit()):
        raise ValueError("invalid municipality code")
    return (f"BEGIN; SELECT set_config('{TENANT_SETTING}', '{municipality_code}', true), "
            f"{privacy.setting_call()}")


async def begin(session: AsyncSession, municipality_code: str | None) -> asyncpg.Connection:
    """Begin the session's transaction (seeing only this municipality's rows, by row-level
    security; none of any municipality without one); returns its asyncpg connection."""
    sql = _begin_sql(municipality_code)
    # One trip into SQLAlchemy's greenlet for the checkout and the driver's connection (two
    # awaits, and an AsyncConnection proxy built, before).
    connection: asyncpg.Connection = await session.run_sync(_autocommit_driver_connection)
    try:
        await connection.execute(sql)
    except _GONE:
        # Statements here go to asyncpg directly, past SQLAlchemy's disconnect handling:
        # without this the dead connection went back to the pool.
        await (await session.connection()).invalidate()
        raise
    session.info[_BEGUN_ON] = connection
    return connection


# The asyncpg connection ``begin`` began the session's transaction on, kept in the session's
# info for ``raw_connection`` while the session holds that connection: forgotten when the
# transaction ends (``rollback``, ``forget_connection``), before the session lets it go.
_BEGUN_ON = "kyodo.begun_on"


def forget_connection(session: AsyncSession) -> None:
    session.info.pop(_BEGUN_ON, None)


def _autocommit_driver_connection(session: Session) -> Any:
    return session.connection(execution_options=_AUTOCOMMIT).connection.driver_connection


# A connection the server has closed or lost (PostgreSQL restarted, its backend killed).
_GONE = (asyncpg.InterfaceError, asyncpg.ConnectionDoesNotExistError,
         asyncpg.AdminShutdownError, asyncpg.CannotConnectNowError, OSError)


async def rollback(session: AsyncSession, connection: asyncpg.Connection) -> None:
    """End the transaction without its changes; a connection that cannot is not reused."""
    forget_connection(session)
    try:
        if connection.is_closed():
            raise asyncpg.InterfaceError("connection is closed")
        if connection.is_in_transaction():
            await connection.execute("ROLLBACK")
    except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
        await (await session.connection()).invalidate()


def _discard_closed(dbapi_connection: object, record: object, proxy: object) -> None:
    """On checkout, a connection the server closed meanwhile (PostgreSQL restarted) is
    discarded and another taken: asyncpg knows without a round trip, so this costs nothing,
    unlike a pre-ping."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the server closed this connection")


async def raw_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under a session, inside the session's transaction."""
    begun: asyncpg.Connection | None = session.info.get(_BEGUN_ON)
    if begun is not None and begun.is_in_transaction():
        # The transaction ``begin`` started is still open on it: no need to ask the session
        # (two greenlet switches and SQLAlchemy's bookkeeping, for every statement a consumer
        # or a read sends to asyncpg; issue #22).
        return begun
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
            # SQLAlchemy puts a failed statement's parameters in its error's message, and
            # that message reaches logs: names, addresses and numbers must not.
            hide_parameters=True,
        )
        event.listen(self.engine.sync_engine, "checkout", _discard_closed)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def tenant_transaction(self, municipality_code: str) -> AsyncIterator[AsyncSession]:
        """A transaction that sees only this municipality's rows (SET LOCAL, enforced by RLS)."""
        _begin_sql(municipality_code)  # refuse a bad code before taking a connection
        async with self._transaction(municipality_code) as session:
            yield session

    @asynccontextmanager
    async def platform_transaction(self) -> AsyncIterator[AsyncSession]:
        """A transaction without tenant: sees platform tables only, no tenant rows."""
        async with self._transaction(None) as session:
            yield session

    @asynccontextmanager
    async def _transaction(self, municipality_code: str | None) -> AsyncIterator[AsyncSession]:
        """Commits when the block ends normally, rolls back when it raises."""
        async with self.sessions() as session:
            connection = await begin(session, municipality_code)
            try:
                yield session
            except BaseException:
                await rollback(session, connection)
                raise
            finally:
                forget_connection(session)
            await connection.execute("COMMIT")

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def reachable(self) -> bool:
        try:
            await asyncio.wait_for(self.ping(), timeout=5)
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
