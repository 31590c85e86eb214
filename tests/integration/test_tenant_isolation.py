"""Row-level security: a municipality's context sees and changes only its own rows."""

from __future__ import annotations

import asyncpg
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork, asyncpg_dsn
from kyodo_residents.service_layer.register import register_resident
from kyodo_testing import Infrastructure

from .conftest import MITSUKE, NAGAOKA, SANJO
from .factories import new_resident

pytestmark = pytest.mark.integration


async def _register(db: Database, code: str) -> str:
    async with UnitOfWork(db, source="test", municipality_code=code) as uow:
        event = await register_resident(uow=uow, **new_resident(), today=today_in_japan())
        await uow.commit()
    return str(event.resident_id)


async def test_raw_sql_in_one_municipality_cannot_read_or_change_another(
    residents_db: Database,
) -> None:
    sanjo_id = await _register(residents_db, SANJO)
    nagaoka_id = await _register(residents_db, NAGAOKA)

    async with residents_db.tenant_transaction(SANJO) as session:
        seen = set((await session.execute(
            sa.text("SELECT municipality_code FROM residents"))).scalars())
        visible = (await session.execute(
            sa.text("SELECT count(*) FROM residents WHERE id = :id"), {"id": nagaoka_id}
        )).scalar_one()
        updated = await session.execute(
            sa.text("UPDATE residents SET address = 'x' WHERE id = :id"), {"id": nagaoka_id})
        deleted = await session.execute(
            sa.text("DELETE FROM residents WHERE id = :id"), {"id": nagaoka_id})
        own = (await session.execute(
            sa.text("SELECT count(*) FROM residents WHERE id = :id"), {"id": sanjo_id}
        )).scalar_one()

    assert seen == {SANJO}
    assert visible == 0
    assert updated.rowcount == 0 and deleted.rowcount == 0  # type: ignore[attr-defined]
    assert own == 1
    async with residents_db.tenant_transaction(NAGAOKA) as session:
        address = (await session.execute(
            sa.text("SELECT address FROM residents WHERE id = :id"), {"id": nagaoka_id}
        )).scalar_one()
    assert address != "x"


async def test_writing_a_row_for_another_municipality_is_refused(residents_db: Database) -> None:
    sanjo_id = await _register(residents_db, SANJO)
    with pytest.raises(DBAPIError, match="row-level security"):
        async with residents_db.tenant_transaction(SANJO) as session:
            await session.execute(
                sa.text("UPDATE residents SET municipality_code = :other WHERE id = :id"),
                {"other": MITSUKE, "id": sanjo_id})


async def test_without_a_tenant_nothing_is_visible(residents_db: Database) -> None:
    await _register(residents_db, SANJO)
    async with residents_db.platform_transaction() as session:
        count = (await session.execute(sa.text("SELECT count(*) FROM residents"))).scalar_one()
    assert count == 0


async def test_service_role_cannot_bypass_rls_nor_read_the_outbox(
    infrastructure: Infrastructure,
) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("residents")["DATABASE_URL"]))
    try:
        role = await conn.fetchrow(
            "SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user")
        assert role is not None
        assert role["rolbypassrls"] is False and role["rolsuper"] is False
        owner = await conn.fetchval(
            "SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'residents'")
        assert owner is False
        # Switching the tenant setting off entirely shows nothing either.
        async with conn.transaction():
            await conn.execute("SELECT set_config('kyodo.municipality', '', true)")
            assert await conn.fetchval("SELECT count(*) FROM residents") == 0
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.fetch("SELECT * FROM outbox")
        # It appends events (their trigger queues them), but cannot dequeue one unpublished.
        for statement in ("SELECT * FROM outbox_pending", "DELETE FROM outbox_pending",
                          "INSERT INTO outbox_pending (id) VALUES (1)"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()


async def test_the_service_role_cannot_reach_another_services_database(
    infrastructure: Infrastructure,
) -> None:
    residents_role = infrastructure.urls("residents")["DATABASE_URL"]
    certificates_db = infrastructure.urls("certificates")["DATABASE_URL"].rsplit("/", 1)[1]
    url = residents_role.rsplit("/", 1)[0] + "/" + certificates_db
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await asyncpg.connect(asyncpg_dsn(url))


@pytest.mark.parametrize("service", ["identity", "residents", "certificates", "tax", "disaster"])
async def test_every_tenant_policy_compares_as_bpchar_so_indexes_serve_it(
    infrastructure: Infrastructure, service: str,
) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url(service)))
    try:
        policies = await conn.fetch(
            "SELECT tablename, policyname, coalesce(qual, '') || coalesce(with_check, '') AS p "
            "FROM pg_policies WHERE policyname IN ('tenant_isolation', 'tenant_writes')")
    finally:
        await conn.close()
    assert policies
    stale = [(r["tablename"], r["policyname"]) for r in policies
             if "::bpchar" not in r["p"] or "::text = current_setting" in r["p"]]
    assert stale == []


async def test_a_lookup_that_names_only_the_key_uses_the_tenants_index(
    residents_db: Database,
) -> None:
    async with residents_db.tenant_transaction(SANJO) as session:
        await session.execute(sa.text("SET LOCAL enable_seqscan = off"))  # tiny test tables
        plan = "\n".join((await session.execute(sa.text(
            "EXPLAIN SELECT status FROM idempotency_keys WHERE caller = 'c' AND key = 'k'"
        ))).scalars())
    # The policy's condition is an index condition on the (municipality_code, caller, key) key.
    assert "Index Cond: ((municipality_code = " in plan and "(key = 'k'" in plan, plan
