"""The one cross-tenant read (active grants for the gateway) is narrow, in the database as it
is deployed: owned by identity's owner role, which ran the migrations and is not a superuser,
so FORCE RLS binds it too (tests/security checks that no object has another owner)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import asyncpg
import pytest

from kyodo_common.db import asyncpg_dsn
from kyodo_testing import Infrastructure

from .identity_harness import CONFIG, random_code

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]
# (valid_from, valid_until from now; revoked): only the first one is in force now.
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
GRANTS = [(-HOUR, DAY, False), (HOUR, DAY, False), (-HOUR, DAY, True)]


async def _grants(app: asyncpg.Connection, grantor: str, grantee: str) -> None:
    async with app.transaction():
        await app.execute("SELECT set_config('kyodo.municipality', $1, true)", grantor)
        for valid_from, valid_until, revoked in GRANTS:
            await app.execute(
                "INSERT INTO support_grants (id, municipality_code, grantee_staff_id, "
                "grantee_municipality, grantee_login, scopes, valid_from, valid_until, "
                "created_by, revoked_at) VALUES ($1, $2, $3, $4, 'helper', '{residents:read}', "
                "now() + $5, now() + $6, 'admin', "
                "CASE WHEN $7 THEN now() END)",
                uuid.uuid4(), grantor, uuid.uuid4(), grantee, valid_from, valid_until, revoked)


async def test_only_active_grants_pass_and_only_the_app_may_ask(
    infrastructure: Infrastructure,
) -> None:
    # Municipalities of this test only, configured as any (the database is shared).
    grantor, grantee = random_code(), random_code()
    urls = infrastructure.urls("identity")
    owner = await asyncpg.connect(asyncpg_dsn(infrastructure.owner_url("identity")))
    app = await asyncpg.connect(asyncpg_dsn(urls["DATABASE_URL"]))
    relay = await asyncpg.connect(asyncpg_dsn(urls["RELAY_DATABASE_URL"]))
    try:
        assert await owner.fetchval(
            "SELECT tableowner = current_user FROM pg_tables WHERE tablename = 'support_grants'")
        assert not await owner.fetchval(
            "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        await owner.execute("INSERT INTO municipalities (code, name, name_en, prefecture, config) "
                            "VALUES ($1, 'a', 'a', 'a', $3), ($2, 'b', 'b', 'b', $3)",
                            grantor, grantee, json.dumps(CONFIG))
        await _grants(app, grantor, grantee)
        assert await app.fetchval("SELECT count(*) FROM support_grants") == 0
        active = await app.fetch("SELECT * FROM active_support_grants() "
                                 "WHERE grantor_municipality = $1", grantor)
        assert [(r["grantor_municipality"], r["grantee_municipality"]) for r in active] \
            == [(grantor, grantee)]
        # The owner's own policy admits the active rows, and nothing else.
        assert await owner.fetchval("SELECT count(*) FROM support_grants "
                                    "WHERE municipality_code = $1", grantor) == 1
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await relay.fetch("SELECT * FROM active_support_grants()")
    finally:
        for conn in (owner, app, relay):
            await conn.close()
