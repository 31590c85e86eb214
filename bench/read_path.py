"""A resident's GET, the database part as the residents API runs it: before and after ADR 0020's
change (the row and its access-log entry on the session's asyncpg connection instead of two
SQLAlchemy statements), side by side in one run, with the database alone as the reference.

Every read writes its access-log row in the read's own transaction before the answer leaves;
both variants do exactly that (BEGIN with the tenant, the SELECT, the INSERT, COMMIT: the same
round trips, the same rows). What differs is the client's CPU per read: the residents API's own
share of a GET, the part this change is about. Measured with ``time.process_time`` in this
process (one connection, closed loop), alternately in rounds so that the machine's swings hit
both; PostgreSQL's CPU is its own and the same for both.

Set-up, not measured: embedded PostgreSQL, the residents database migrated, a register of
20,000 residents written with COPY (bench/_register_data.py).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from bench._register_data import load
from bench._report import write_results
from kyodo_common.audit import access_log, access_rows, record_accesses
from kyodo_common.auth import Principal
from kyodo_common.db import Database
from kyodo_common.db.engine import raw_connection
from kyodo_launcher import postgres
from kyodo_launcher.catalogue import SERVICES
from kyodo_launcher.ports import free_port
from kyodo_launcher.provision import ensure_database, service_urls, wait_for_postgres, with_database

NAME = "read_path"
CODE = "152021"
RESIDENTS = 20_000
console = Console()
PRINCIPAL = Principal(subject=str(uuid.uuid4()), home_municipality=CODE, kind="staff",
                      roles=frozenset({"counter_clerk"}), scopes=frozenset({"residents:read"}),
                      expires_at=time.time() + 3600, token_id="bench-read")  # noqa: S106
_BY_ID = "SELECT * FROM residents WHERE id = $1"


async def before(db: Database, rid: uuid.UUID) -> Any:
    """As read_resident was: SQLAlchemy's select and insert on the session."""
    async with db.tenant_transaction(CODE) as session:
        row = (await session.execute(sa.select(_residents()).where(
            _residents().c.id == rid))).first()
        await session.execute(sa.insert(access_log), access_rows(
            principal=PRINCIPAL, acting_municipality=CODE, action="read",
            subject_type="resident", subject_ids=[str(rid)], fields=["register"],
            purpose="identity-check"))
    return row


async def after(db: Database, rid: uuid.UUID) -> Any:
    """As read_resident is: asyncpg on the session's connection, record_accesses likewise."""
    async with db.tenant_transaction(CODE) as session:
        row = await (await raw_connection(session)).fetchrow(_BY_ID, rid)
        await record_accesses(session, principal=PRINCIPAL, acting_municipality=CODE,
                              action="read", subject_type="resident", subject_ids=[str(rid)],
                              fields=["register"], purpose="identity-check")
    return row


async def database_alone(conn: asyncpg.Connection, rid: uuid.UUID) -> Any:
    """The same round trips from bare asyncpg: what no client can go below."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('kyodo.municipality', $1, true)", CODE)
        row = await conn.fetchrow(_BY_ID, rid)
        await conn.execute(
            "INSERT INTO access_log (municipality_code, acting_municipality, occurred_at, actor, "
            "actor_home, purpose, action, subject_type, fields, subject_id) "
            "VALUES ($1, $1, $2, $3, $1, 'identity-check', 'read', 'resident', "
            "'{register}', $4)", CODE, datetime.now(UTC), PRINCIPAL.subject, str(rid))
    return row


def _residents() -> sa.Table:
    from kyodo_residents.adapters.tables import residents

    table: sa.Table = residents
    return table


async def _measure(app_url: str, ids: list[uuid.UUID], rounds: int, reads: int
                   ) -> dict[str, list[dict[str, float]]]:
    db = Database(app_url, pool_size=1)
    raw = await asyncpg.connect(app_url.replace("+asyncpg", ""))
    variants: dict[str, Callable[[uuid.UUID], Awaitable[Any]]] = {
        "before (SQLAlchemy statements)": lambda r: before(db, r),
        "after (asyncpg on the session)": lambda r: after(db, r),
        "database alone (bare asyncpg)": lambda r: database_alone(raw, r)}
    out: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    rng = random.Random(7)
    try:
        for name, call in variants.items():  # warm-up: pools, prepared statements, caches
            for _ in range(200):
                assert await call(rng.choice(ids)) is not None, name
        for _ in range(rounds):
            for name, call in variants.items():
                cpu0, wall0 = time.process_time(), time.perf_counter()
                for _ in range(reads):
                    await call(rng.choice(ids))
                cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
                out[name].append({"cpu_ms_per_read": cpu / reads * 1000,
                                  "wall_ms_per_read": wall / reads * 1000})
    finally:
        await raw.close()
        await db.dispose()
    return out


def main(*, quick: bool = False) -> dict[str, Any]:
    rounds, reads = (3, 500) if quick else (5, 2000)
    spec = next(s for s in SERVICES if s.name == "residents")
    with tempfile.TemporaryDirectory(prefix="kyodo-bench-read-") as tmp:
        root = Path(tmp)
        password = "bench-" + uuid.uuid4().hex
        port = free_port()
        postgres.init_cluster(root / "pg", password)
        child = postgres.server(root / "pg", port, root / "postgres.log")
        child.start()
        try:
            admin = f"postgresql://postgres:{password}@127.0.0.1:{port}/postgres"
            passwords = {role: uuid.uuid4().hex for role in spec.roles}

            async def prepare() -> list[uuid.UUID]:
                await wait_for_postgres(admin, 60)
                await ensure_database(admin, spec, passwords)
                return []

            asyncio.run(prepare())
            urls = service_urls(admin, spec, passwords)
            from kyodo_common.migrations import upgrade
            upgrade(spec.package, urls["MIGRATION_DATABASE_URL"])
            loaded, _ = asyncio.run(load(with_database(admin, spec.database),
                                         [(CODE, RESIDENTS)]))
            ids = loaded[0].sample_ids
            results = asyncio.run(_measure(urls["DATABASE_URL"], ids, rounds, reads))
        finally:
            child.stop()
    table = Table(title=f"A GET's database part, {reads:,} reads × {rounds} rounds, one "
                        "connection (median, min–max); the client's CPU is the API's share")
    for column in ("variant", "client CPU ms/read", "wall ms/read", "CPU vs before"):
        table.add_column(column)
    base = statistics.median(r["cpu_ms_per_read"] for r in
                             results["before (SQLAlchemy statements)"])
    summary: dict[str, Any] = {}
    for name, runs in results.items():
        cpu = [r["cpu_ms_per_read"] for r in runs]
        wall = [r["wall_ms_per_read"] for r in runs]
        summary[name] = {"cpu_ms_per_read": statistics.median(cpu),
                         "wall_ms_per_read": statistics.median(wall),
                         "cpu_ratio_to_before": statistics.median(cpu) / base}
        table.add_row(name, f"{statistics.median(cpu):.3f} ({min(cpu):.3f}–{max(cpu):.3f})",
                      f"{statistics.median(wall):.3f} ({min(wall):.3f}–{max(wall):.3f})",
                      f"{statistics.median(cpu) / base:.2f}×")
    console.print(table)
    path = write_results(NAME, {"config": {"rounds": rounds, "reads": reads,
                                           "residents": RESIDENTS},
                                "summary": summary, "runs": results})
    console.print(f"results: {path}")
    return summary
