"""A service's pool after PostgreSQL restarted: the connections the server closed are never
handed out again, so requests work on their first try once the server is back (issue #21:
`make chaos` found every API answering 500 for good after a restart)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

from kyodo_common.db import Database, asyncpg_dsn
from kyodo_common.db.unit_of_work import UnitOfWork
from kyodo_testing import Infrastructure

pytestmark = pytest.mark.integration
SANJO = "152048"


async def _cut_every_connection(infrastructure: Infrastructure, role: str) -> None:
    """What a restart does to a client's connections: the server closes them."""
    admin = await asyncpg.connect(asyncpg_dsn(infrastructure.admin_url))
    try:
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE usename = $1 AND pid <> pg_backend_pid()", role)
    finally:
        await admin.close()
    await asyncio.sleep(0.3)  # the clients' sockets see the close


async def _works(db: Database) -> None:
    async with db.tenant_transaction(SANJO) as session:
        assert (await session.execute(text("SELECT 1"))).scalar() == 1
    async with UnitOfWork(db, source="test", municipality_code=SANJO) as uow:
        assert await (await uow.connection()).fetchval("SELECT 1") == 1
        await uow.commit()


async def test_pooled_connections_the_server_closed_are_not_handed_out(
        infrastructure: Infrastructure) -> None:
    spec = infrastructure.spec("residents")
    db = Database(infrastructure.urls("residents")["DATABASE_URL"], pool_size=2)
    try:
        await asyncio.gather(_works(db), _works(db))  # two connections in the pool
        await _cut_every_connection(infrastructure, spec.app_role)
        for _ in range(3):
            await _works(db)
    finally:
        await db.dispose()


async def test_a_connection_cut_inside_a_transaction_is_not_reused(
        infrastructure: Infrastructure) -> None:
    spec = infrastructure.spec("residents")
    db = Database(infrastructure.urls("residents")["DATABASE_URL"], pool_size=1)
    try:
        await _works(db)
        with pytest.raises((asyncpg.InterfaceError, asyncpg.PostgresError, OSError)):
            async with UnitOfWork(db, source="test", municipality_code=SANJO) as uow:
                await _cut_every_connection(infrastructure, spec.app_role)
                await (await uow.connection()).fetchval("SELECT 1")
        for _ in range(2):
            await _works(db)
    finally:
        await db.dispose()
