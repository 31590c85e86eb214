"""The domain change and its event commit together, or neither does."""

from __future__ import annotations

import asyncpg
import pytest
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork, asyncpg_dsn
from kyodo_residents.service_layer.register import register_resident
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .factories import new_resident

pytestmark = pytest.mark.integration


class HandlerFailed(Exception):
    pass


async def _outbox_has(infrastructure: Infrastructure, resident_id: str) -> bool:
    conn = await asyncpg.connect(
        asyncpg_dsn(infrastructure.urls("residents")["RELAY_DATABASE_URL"])
    )
    try:
        return bool(await conn.fetchval("SELECT count(*) FROM outbox WHERE key = $1", resident_id))
    finally:
        await conn.close()


async def _resident_exists(db: Database, resident_id: str) -> bool:
    async with db.tenant_transaction(SANJO) as session:
        return bool(
            (
                await session.execute(
                    sa.text("SELECT count(*) FROM residents WHERE id = :id"), {"id": resident_id}
                )
            ).scalar_one()
        )


async def test_a_handler_failing_after_the_change_leaves_neither_change_nor_event(
    residents_db: Database,
    infrastructure: Infrastructure,
) -> None:
    resident_id = None
    with pytest.raises(HandlerFailed):
        async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
            event = await register_resident(uow=uow, **new_resident(), today=today_in_japan())
            resident_id = str(event.resident_id)
            raise HandlerFailed
    assert resident_id is not None
    assert not await _resident_exists(residents_db, resident_id)
    assert not await _outbox_has(infrastructure, resident_id)


async def test_a_failure_during_commit_leaves_neither(
    residents_db: Database,
    infrastructure: Infrastructure,
) -> None:
    """The outbox insert is part of the commit; if it fails, the change is rolled back too."""
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        event = await register_resident(uow=uow, **new_resident(), today=today_in_japan())
        # Stand-in for a crash inside commit: the event row violates the outbox's WITH CHECK.
        uow.municipality_code = "152021"
        # The outbox rows go out with the staged writes, straight through asyncpg.
        with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
            await uow.commit()
    assert not await _resident_exists(residents_db, str(event.resident_id))
    assert not await _outbox_has(infrastructure, str(event.resident_id))


async def test_a_committed_change_has_exactly_its_event(
    residents_db: Database,
    infrastructure: Infrastructure,
) -> None:
    async with UnitOfWork(residents_db, source="test", municipality_code=SANJO) as uow:
        event = await register_resident(uow=uow, **new_resident(), today=today_in_japan())
        await uow.commit()
    assert await _resident_exists(residents_db, str(event.resident_id))
    assert await _outbox_has(infrastructure, str(event.resident_id))
