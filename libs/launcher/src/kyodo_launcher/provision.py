"""Databases, roles, migrations, topics and demo data: everything `kyodo up` prepares."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
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


# Every service role: it logs in, and nothing more. The owner too: FORCE ROW LEVEL SECURITY
# binds a table's owner only when it is neither a superuser nor BYPASSRLS.
ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION"


def check_passwords(passwords: Mapping[str, str], roles: Iterable[str]) -> None:
    """Every role has a password, and no two roles share one."""
    roles = list(roles)
    missing = [role for role in roles if not passwords.get(role)]
    if missing:
        raise ValueError(f"no password for the database roles {', '.join(missing)}")
    by_password: dict[str, list[str]] = {}
    for role in roles:
        by_password.setdefault(passwords[role], []).append(role)
    shared = [" and ".join(group) for group in by_password.values() if len(group) > 1]
    if shared:
        raise ValueError(f"these database roles share a password: {'; '.join(shared)}")


async def _ensure_role(conn: asyncpg.Connection, role: str, password: str) -> None:
    exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
    verb = "ALTER" if exists else "CREATE"
    escaped = password.replace("'", "''")
    await conn.execute(f"{verb} ROLE \"{role}\" {ROLE_ATTRIBUTES} PASSWORD '{escaped}'")


# What a database made by an earlier version holds that the owner must take over: those
# versions ran the migrations as the superuser. Tables first: their sequences follow them.
_RELATIONS = """
    SELECT c.relkind::text AS kind, format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
    ORDER BY c.relkind = 'S'
"""
_RELATION_KINDS = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW",
                   "f": "FOREIGN TABLE", "S": "SEQUENCE"}
_ROUTINES = """
    SELECT CASE p.prokind WHEN 'a' THEN 'AGGREGATE' ELSE 'ROUTINE' END AS kind,
           p.oid::regprocedure::text AS name
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
"""
# Enums, domains, ranges and standalone composite types (a table's row type follows it).
_TYPES = """
    SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END AS kind,
           format('%I.%I', n.nspname, t.typname) AS name
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    LEFT JOIN pg_class c ON c.oid = t.typrelid
    WHERE n.nspname = 'public' AND (t.typtype IN ('e', 'd', 'r') OR c.relkind = 'c')
      AND t.typowner <> (SELECT oid FROM pg_roles WHERE rolname = $1)
"""


async def _hand_over(conn: asyncpg.Connection, owner: str) -> None:
    """The owner takes over whatever in the public schema it does not own (idempotent).

    Not REASSIGN OWNED BY: PostgreSQL refuses it for the bootstrap superuser, which owns the
    system catalogs too."""
    await conn.execute(f'ALTER SCHEMA public OWNER TO "{owner}"')
    for query in (_RELATIONS, _ROUTINES, _TYPES):
        for row in await conn.fetch(query, owner):
            kind = _RELATION_KINDS.get(row["kind"], row["kind"])
            if kind == "SEQUENCE" and await _linked(conn, row["name"]):
                continue  # changes owner with its table (PostgreSQL refuses it alone)
            await conn.execute(f'ALTER {kind} {row["name"]} OWNER TO "{owner}"')


async def _linked(conn: asyncpg.Connection, sequence: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT 1 FROM pg_depend WHERE classid = 'pg_class'::regclass "
        "AND objid = $1::regclass AND refclassid = 'pg_class'::regclass "
        "AND deptype IN ('a', 'i')", sequence))


async def ensure_database(admin_url: str, spec: ServiceSpec,
                          passwords: Mapping[str, str]) -> None:
    """The service's database and its three roles (the superuser's only part): the owner,
    which owns the database, its public schema and all in it, and runs the migrations; the
    app (not the owner); the relay. None is a superuser or has BYPASSRLS."""
    check_passwords(passwords, spec.roles)
    owner = spec.owner_role
    conn = await asyncpg.connect(admin_url)
    try:
        for role in spec.roles:
            await _ensure_role(conn, role, passwords[role])
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", spec.database):
            await conn.execute(f'ALTER DATABASE "{spec.database}" OWNER TO "{owner}"')
        else:
            await conn.execute(f'CREATE DATABASE "{spec.database}" OWNER "{owner}"')
        await conn.execute(f'REVOKE CONNECT ON DATABASE "{spec.database}" FROM PUBLIC')
        for role in spec.roles:
            await conn.execute(f'GRANT CONNECT ON DATABASE "{spec.database}" TO "{role}"')
    finally:
        await conn.close()
    db_conn = await asyncpg.connect(with_database(admin_url, spec.database))
    try:
        async with db_conn.transaction():
            await _hand_over(db_conn, owner)
            # Only the owner creates objects here (PostgreSQL 15+ says so by default).
            await db_conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
            for role in (spec.app_role, spec.relay_role):
                await db_conn.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
    finally:
        await db_conn.close()


def service_urls(admin_url: str, spec: ServiceSpec,
                 passwords: Mapping[str, str]) -> dict[str, str]:
    """The app's, the relay's and the owner's (migrations only) URLs on the admin's server."""
    def url(role: str) -> str:
        return with_database(admin_url, spec.database, user=role, password=passwords[role])

    return {"DATABASE_URL": url(spec.app_role), "RELAY_DATABASE_URL": url(spec.relay_role),
            "MIGRATION_DATABASE_URL": url(spec.owner_role)}


def database_urls(admin_url: str, spec: ServiceSpec, passwords: Mapping[str, str],
                  settings: LauncherSettings) -> dict[str, str]:
    """The service's URLs: its own external URL if one is set, else its roles on the server."""
    external = settings.external_service_url(spec.name)
    if external:
        return {k: external for k in ("DATABASE_URL", "RELAY_DATABASE_URL",
                                      "MIGRATION_DATABASE_URL")}
    return service_urls(admin_url, spec, passwords)


async def provision(admin_url: str, passwords: Mapping[str, str], bootstrap_servers: str | None,
                    settings: LauncherSettings) -> None:
    """Databases and roles, every service's migrations (as its owner), and the topics:
    idempotent. ``passwords`` maps each role to its own password.

    Without bootstrap servers the topics are left to whoever owns them (Strimzi's KafkaTopic).
    """
    provisioned = [s for s in SERVICES if not settings.external_service_url(s.name)]
    check_passwords(passwords, [role for spec in provisioned for role in spec.roles])
    for spec in provisioned:
        await ensure_database(admin_url, spec, passwords)
    # Alembic's context is process-global: one service after the other, off the loop.
    for spec in SERVICES:
        urls = database_urls(admin_url, spec, passwords, settings)
        await asyncio.to_thread(upgrade, spec.package, urls["MIGRATION_DATABASE_URL"])
    if bootstrap_servers:
        await ensure_topics(bootstrap_servers, all_topics())


async def seed(admin_url: str,
               passwords: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    from kyodo_identity.seed import seed_demo

    identity = next(s for s in SERVICES if s.name == "identity")
    return await seed_demo(service_urls(admin_url, identity, passwords)["DATABASE_URL"])
