"""Owners, not superusers: each service database is owned, with every object in it, by its own
owner role, which is neither a superuser nor BYPASSRLS, so FORCE ROW LEVEL SECURITY binds it;
the superuser only creates roles and databases. Checked on the databases the fixtures
provision exactly as `kyodo up` and `kyodo migrate` do."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg
import pytest

from kyodo_common.db import asyncpg_dsn
from kyodo_launcher.catalogue import SERVICES
from kyodo_launcher.provision import with_database
from kyodo_testing import Infrastructure

pytestmark = pytest.mark.integration
SERVICE_NAMES = [spec.name for spec in SERVICES]
SANJO = "152048"

# Every object of the database that has an owner, with its owner's name.
OWNED = """
    SELECT 'relation ' || c.oid::regclass::text AS object, c.relowner AS owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'routine ' || p.oid::regprocedure::text, p.proowner
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'type ' || t.oid::regtype::text, t.typowner
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'
    UNION ALL
    SELECT 'schema ' || nspname, nspowner FROM pg_namespace WHERE nspname = 'public'
    UNION ALL
    SELECT 'database ' || datname, datdba FROM pg_database WHERE datname = current_database()
"""


async def _owned(infrastructure: Infrastructure, service: str) -> list[asyncpg.Record]:
    spec = Infrastructure.spec(service)
    conn = await asyncpg.connect(with_database(infrastructure.admin_url, spec.database))
    try:
        return list(await conn.fetch(
            f"SELECT o.object, r.rolname, r.rolsuper, r.rolbypassrls "  # noqa: S608
            f"FROM ({OWNED}) o JOIN pg_roles r ON r.oid = o.owner ORDER BY o.object"))
    finally:
        await conn.close()


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_no_object_is_owned_by_a_superuser_or_a_role_that_bypasses_rls(
    infrastructure: Infrastructure, service: str,
) -> None:
    owned = await _owned(infrastructure, service)
    assert any(r["object"].startswith("relation ") for r in owned)  # migrated
    privileged = [(r["object"], r["rolname"]) for r in owned
                  if r["rolsuper"] or r["rolbypassrls"]]
    assert privileged == []


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_the_services_owner_role_owns_everything_and_is_an_ordinary_role(
    infrastructure: Infrastructure, service: str,
) -> None:
    owner = Infrastructure.spec(service).owner_role
    others = [(r["object"], r["rolname"]) for r in await _owned(infrastructure, service)
              if r["rolname"] != owner]
    assert others == []
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url(service)))
    try:
        role = await conn.fetchrow(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication "
            "FROM pg_roles WHERE rolname = current_user")
        assert await conn.fetchval("SELECT current_user") == owner
    finally:
        await conn.close()
    assert role is not None and not any(role.values())


@pytest.mark.parametrize("service", SERVICE_NAMES)
async def test_every_security_definer_function_pins_its_search_path(
    infrastructure: Infrastructure, service: str,
) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url(service)))
    try:
        functions = await conn.fetch(
            "SELECT p.oid::regprocedure::text AS name, p.proconfig FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'public' AND p.prosecdef")
    finally:
        await conn.close()
    assert functions  # the outbox's queueing trigger at least
    unpinned = [r["name"] for r in functions
                if "search_path=pg_catalog, public, pg_temp" not in (r["proconfig"] or [])]
    assert unpinned == []


async def test_force_rls_binds_the_owner_it_sees_no_residents_without_a_tenant(
    infrastructure: Infrastructure,
) -> None:
    from kyodo_common.clock import today_in_japan
    from kyodo_common.db import Database, UnitOfWork
    from kyodo_residents.domain.resident import PersonDetails, Sex
    from kyodo_residents.service_layer.register import register_resident

    db = Database(infrastructure.urls("residents")["DATABASE_URL"])
    try:
        async with UnitOfWork(db, source="test", municipality_code=SANJO) as uow:
            event = await register_resident(
                uow=uow, details=PersonDetails(
                    family_name="三条", given_name="所有者", family_name_kana="さんじょう",
                    given_name_kana="ショユウシャ", birth_date=date(1980, 4, 1), sex=Sex.MALE),
                postal_code="955-8686", address="新潟県三条市旭町二丁目3番1号",
                today=today_in_japan())
            await uow.commit()
    finally:
        await db.dispose()
    resident = uuid.UUID(str(event.resident_id))
    owner = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("residents")))
    try:
        assert await owner.fetchval("SELECT count(*) FROM residents") == 0
        assert await owner.fetchval("SELECT count(*) FROM residents WHERE id = $1",
                                    resident) == 0
        # In the resident's municipality's transaction the same role sees it: the policy, not
        # a missing privilege, hid it.
        async with owner.transaction():
            await owner.execute("SELECT set_config('kyodo.municipality', $1, true)", SANJO)
            assert await owner.fetchval("SELECT count(*) FROM residents WHERE id = $1",
                                        resident) == 1
    finally:
        await owner.close()
