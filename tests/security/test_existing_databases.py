"""A platform provisioned by an earlier version (`make run` on an existing var/pg, or a
deployment's migration job) ran the migrations as the superuser, which owns everything. The
provisioning of today hands every object to the owner role, and the owner's migrations then
retarget what named the superuser; done twice, it changes nothing more."""

from __future__ import annotations

import asyncio
import secrets
import uuid

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from kyodo_common.migrations import alembic_config, upgrade
from kyodo_launcher.catalogue import SERVICES, ServiceSpec
from kyodo_launcher.provision import ensure_database, service_urls, with_database
from kyodo_testing import Infrastructure

from .test_database_owners import OWNED

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
GRANTOR, GRANTEE = "152048", "152021"


def _previous_head(package: str) -> str:
    """The revision before the owners took over, the last one earlier versions ran as the
    superuser (later revisions run as the owner anyway)."""
    scripts = ScriptDirectory.from_config(alembic_config(package, "postgresql://unused"))
    [owners] = [r for r in scripts.walk_revisions()
                if r.path.endswith("_owners_not_superusers.py")]
    assert isinstance(owners.down_revision, str)
    return owners.down_revision


async def _as_earlier_versions_did(admin_url: str, spec: ServiceSpec, password: str) -> None:
    """Earlier provisioning: app and relay with one password, the database the superuser's."""
    conn = await asyncpg.connect(admin_url)
    try:
        for role in (spec.app_role, spec.relay_role):
            await conn.execute(f"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS "
                               f"PASSWORD '{password}'")
        await conn.execute(f'CREATE DATABASE "{spec.database}"')
        await conn.execute(f'REVOKE CONNECT ON DATABASE "{spec.database}" FROM PUBLIC')
        for role in (spec.app_role, spec.relay_role):
            await conn.execute(f'GRANT CONNECT ON DATABASE "{spec.database}" TO "{role}"')
    finally:
        await conn.close()
    db = await asyncpg.connect(with_database(admin_url, spec.database))
    try:
        for role in (spec.app_role, spec.relay_role):
            await db.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    finally:
        await db.close()


async def _not_the_owners(admin_url: str, spec: ServiceSpec) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(with_database(admin_url, spec.database))
    try:
        rows = await conn.fetch(f"SELECT o.object, r.rolname FROM ({OWNED}) o "  # noqa: S608
                                "JOIN pg_roles r ON r.oid = o.owner WHERE r.rolname <> $1",
                                spec.owner_role)
    finally:
        await conn.close()
    return [(r["object"], r["rolname"]) for r in rows]


async def _policies_naming(admin_url: str, spec: ServiceSpec) -> set[str]:
    conn = await asyncpg.connect(with_database(admin_url, spec.database))
    try:
        rows = await conn.fetch("SELECT DISTINCT unnest(roles)::text AS role FROM pg_policies")
    finally:
        await conn.close()
    return {r["role"] for r in rows}


# Services born after the owners took over: no database of theirs was ever migrated as the
# superuser (their first migration already runs as the owner).
BORN_OWNED = {"webhooks"}


@pytest.mark.parametrize("service", [s.name for s in SERVICES if s.name not in BORN_OWNED])
def test_the_owner_takes_over_a_database_the_superuser_migrated(
    infrastructure: Infrastructure, service: str,
) -> None:
    package = Infrastructure.spec(service).package
    # Its own database and roles, named as the migrations expect (<database>_app, ...).
    spec = ServiceSpec(f"legacy{secrets.token_hex(3)}", package, 0, has_worker=False)
    admin = infrastructure.admin_url
    asyncio.run(_as_earlier_versions_did(admin, spec, secrets.token_urlsafe(16)))
    upgrade(package, with_database(admin, spec.database), _previous_head(package))
    assert asyncio.run(_not_the_owners(admin, spec))  # the superuser's, all of it

    passwords = {role: secrets.token_urlsafe(16) for role in spec.roles}
    for _ in range(2):  # idempotent, as `make run` on every start
        asyncio.run(ensure_database(admin, spec, passwords))
        upgrade(package, service_urls(admin, spec, passwords)["MIGRATION_DATABASE_URL"])

    assert asyncio.run(_not_the_owners(admin, spec)) == []
    assert "postgres" not in asyncio.run(_policies_naming(admin, spec))


def test_identitys_grants_door_works_after_the_take_over(
    infrastructure: Infrastructure,
) -> None:
    """active_support_grants() runs as the owner now: its policy must name the owner."""
    spec = ServiceSpec(f"legacy{secrets.token_hex(3)}", "kyodo_identity", 0, has_worker=False)
    admin = infrastructure.admin_url
    asyncio.run(_as_earlier_versions_did(admin, spec, secrets.token_urlsafe(16)))
    upgrade(spec.package, with_database(admin, spec.database), _previous_head(spec.package))
    passwords = {role: secrets.token_urlsafe(16) for role in spec.roles}
    asyncio.run(ensure_database(admin, spec, passwords))
    urls = service_urls(admin, spec, passwords)
    upgrade(spec.package, urls["MIGRATION_DATABASE_URL"])

    async def check() -> list[asyncpg.Record]:
        owner = await asyncpg.connect(urls["MIGRATION_DATABASE_URL"])
        app = await asyncpg.connect(urls["DATABASE_URL"])
        try:
            await owner.execute("INSERT INTO municipalities (code, name, name_en, prefecture) "
                                "VALUES ($1, 'a', 'a', 'a'), ($2, 'b', 'b', 'b')",
                                GRANTOR, GRANTEE)
            async with app.transaction():
                await app.execute("SELECT set_config('kyodo.municipality', $1, true)", GRANTOR)
                await app.execute(
                    "INSERT INTO support_grants (id, municipality_code, grantee_staff_id, "
                    "grantee_municipality, grantee_login, scopes, valid_from, valid_until, "
                    "created_by) VALUES ($1, $2, $3, $4, 'helper', '{residents:read}', "
                    "now() - interval '1 hour', now() + interval '1 day', 'admin')",
                    uuid.uuid4(), GRANTOR, uuid.uuid4(), GRANTEE)
            return list(await app.fetch("SELECT * FROM active_support_grants()"))
        finally:
            await owner.close()
            await app.close()

    active = asyncio.run(check())
    assert [(r["grantor_municipality"], r["grantee_municipality"]) for r in active] == [
        (GRANTOR, GRANTEE)]
