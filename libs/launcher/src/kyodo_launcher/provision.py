"""Databases, roles, migrations, topics and demo data: everything `kyodo up` prepares."""

from __future__ import annotations

import asyncio
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

from kyodo_common.events.kafka import ensure_topics
from kyodo_common.migrations import upgrade
from kyodo_launcher.catalogue import SERVICES, ServiceSpec, all_topics
from kyodo_launcher.config import LauncherSettings


def with_database(url: str, database: str, *, user: str | None = None,
                  password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if user is not None:
        netloc = f"{quote(user)}:{quote(password or '')}@{netloc}"
    else:
        netloc = parts.netloc
    return urlunsplit((parts.scheme, netloc, "/" + database, parts.query, parts.fragment))


async def wait_for_postgres(admin_url: str, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            conn = await asyncpg.connect(admin_url, timeout=2)
            await conn.close()
            return
        except (TimeoutError, OSError, asyncpg.PostgresError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.1)


async def ensure_database(admin_url: str, spec: ServiceSpec, role_password: str) -> None:
    """The service's database and its two roles: the app (no BYPASSRLS) and the relay."""
    conn = await asyncpg.connect(admin_url)
    try:
        for role in (spec.app_role, spec.relay_role):
            exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
            verb = "ALTER" if exists else "CREATE"
            escaped = role_password.replace("'", "''")
            await conn.execute(
                f'{verb} ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE '
                f"PASSWORD '{escaped}'"
            )
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1",
                                   spec.database):
            await conn.execute(f'CREATE DATABASE "{spec.database}"')
        await conn.execute(f'REVOKE CONNECT ON DATABASE "{spec.database}" FROM PUBLIC')
        for role in (spec.app_role, spec.relay_role):
            await conn.execute(f'GRANT CONNECT ON DATABASE "{spec.database}" TO "{role}"')
    finally:
        await conn.close()
    db_conn = await asyncpg.connect(with_database(admin_url, spec.database))
    try:
        for role in (spec.app_role, spec.relay_role):
            await db_conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    finally:
        await db_conn.close()


def service_urls(admin_url: str, spec: ServiceSpec, role_password: str) -> dict[str, str]:
    return {
        "DATABASE_URL": with_database(admin_url, spec.database, user=spec.app_role,
                                      password=role_password),
        "RELAY_DATABASE_URL": with_database(admin_url, spec.database, user=spec.relay_role,
                                            password=role_password),
        "MIGRATION_DATABASE_URL": with_database(admin_url, spec.database),
    }


def database_urls(admin_url: str, spec: ServiceSpec, role_password: str,
                  settings: LauncherSettings) -> dict[str, str]:
    """The service's URLs: its own external URL if one is set, else its roles on the server."""
    external = settings.external_service_url(spec.name)
    if external:
        return {k: external for k in ("DATABASE_URL", "RELAY_DATABASE_URL",
                                      "MIGRATION_DATABASE_URL")}
    return service_urls(admin_url, spec, role_password)


async def provision(admin_url: str, role_password: str, bootstrap_servers: str | None,
                    settings: LauncherSettings) -> None:
    """Databases and roles, every service's migrations, and the topics: idempotent.

    Without bootstrap servers the topics are left to whoever owns them (Strimzi's KafkaTopic).
    """
    for spec in SERVICES:
        if not settings.external_service_url(spec.name):
            await ensure_database(admin_url, spec, role_password)
    # Alembic's context is process-global: one service after the other, off the loop.
    for spec in SERVICES:
        urls = database_urls(admin_url, spec, role_password, settings)
        await asyncio.to_thread(upgrade, spec.package, urls["MIGRATION_DATABASE_URL"])
    if bootstrap_servers:
        await ensure_topics(bootstrap_servers, all_topics())


async def seed(admin_url: str, role_password: str) -> list[tuple[str, str, str, str]]:
    from kyodo_identity.seed import seed_demo

    identity = next(s for s in SERVICES if s.name == "identity")
    return await seed_demo(service_urls(admin_url, identity, role_password)["DATABASE_URL"])
