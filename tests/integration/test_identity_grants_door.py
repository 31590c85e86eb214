"""The one cross-tenant read (active grants for the gateway) is narrow, also when the owner
is not a superuser (as in production, where FORCE RLS binds the owner too)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import asyncpg
import pytest

from kyodo_common.migrations import upgrade
from kyodo_launcher.provision import with_database
from kyodo_launcher.testing import Infrastructure

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
DB, PASSWORD = "kyodo_identity_door", "door-check-password"
GRANTOR, GRANTEE = "152048", "152021"
# (valid_from, valid_until from now; revoked): only the first one is in force now.
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
GRANTS = [(-HOUR, DAY, False), (HOUR, DAY, False), (-HOUR, DAY, True)]


def _url(infrastructure: Infrastructure, role: str) -> str:
    return with_database(infrastructure.admin_url, DB, user=role, password=PASSWORD)


async def _database_owned_by_a_plain_role(infrastructure: Infrastructure) -> None:
    admin = await asyncpg.connect(infrastructure.admin_url)
    try:
        for role in (DB, f"{DB}_app", f"{DB}_relay"):
            await admin.execute(f"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS "
                                f"PASSWORD '{PASSWORD}'")
        await admin.execute(f'CREATE DATABASE "{DB}" OWNER "{DB}"')
    finally:
        await admin.close()
    conn = await asyncpg.connect(with_database(infrastructure.admin_url, DB))
    try:
        await conn.execute(f'GRANT ALL ON SCHEMA public TO "{DB}"')
        for role in (f"{DB}_app", f"{DB}_relay"):
            await conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    finally:
        await conn.close()


async def _grants(app: asyncpg.Connection) -> None:
    async with app.transaction():
        await app.execute("SELECT set_config('kyodo.municipality', $1, true)", GRANTOR)
        for valid_from, valid_until, revoked in GRANTS:
            await app.execute(
                "INSERT INTO support_grants (id, municipality_code, grantee_staff_id, "
                "grantee_municipality, grantee_login, scopes, valid_from, valid_until, "
                "created_by, revoked_at) VALUES ($1, $2, $3, $4, 'helper', '{residents:read}', "
                "now() + $5, now() + $6, 'admin', "
                "CASE WHEN $7 THEN now() END)",
                uuid.uuid4(), GRANTOR, uuid.uuid4(), GRANTEE, valid_from, valid_until, revoked)


def test_only_active_grants_pass_and_only_the_app_may_ask(
    infrastructure: Infrastructure,
) -> None:
    asyncio.run(_database_owned_by_a_plain_role(infrastructure))
    upgrade("kyodo_identity", _url(infrastructure, DB))

    async def check() -> None:
        owner = await asyncpg.connect(_url(infrastructure, DB))
        app = await asyncpg.connect(_url(infrastructure, f"{DB}_app"))
        relay = await asyncpg.connect(_url(infrastructure, f"{DB}_relay"))
        try:
            await owner.execute("INSERT INTO municipalities (code, name, name_en, prefecture) "
                                "VALUES ($1, 'a', 'a', 'a'), ($2, 'b', 'b', 'b')",
                                GRANTOR, GRANTEE)
            await _grants(app)
            assert await app.fetchval("SELECT count(*) FROM support_grants") == 0
            active = await app.fetch("SELECT * FROM active_support_grants()")
            assert [(r["grantor_municipality"], r["grantee_municipality"]) for r in active] \
                == [(GRANTOR, GRANTEE)]
            # The owner's own policy admits the active rows, and nothing else.
            assert await owner.fetchval("SELECT count(*) FROM support_grants") == 1
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await relay.fetch("SELECT * FROM active_support_grants()")
        finally:
            for conn in (owner, app, relay):
                await conn.close()

    asyncio.run(check())
