"""Bulk assessment jobs in PostgreSQL: the job row (requested, followed, failed) and the
statements of a run, which go through asyncpg (a chunk is thousands of persons)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue
from kyodo_tax.adapters.assessment_store import Assessed, write_assessments
from kyodo_tax.adapters.assessments import SqlInputs
from kyodo_tax.adapters.raw import raw_connection
from kyodo_tax.adapters.register_view import SqlRegister
from kyodo_tax.adapters.tables import bulk_job_refusals, bulk_jobs
from kyodo_tax.domain.residence import Taxpayer

QUEUE = JobQueue(name="bulk job", channel="kyodo_tax_jobs",
                 runnable_sql="SELECT job_id, municipality_code FROM runnable_bulk_jobs()")

# Whoever was resident here at the end of 1 January (per record, then per person), with a
# salary report or a declaration for the year.
_SNAPSHOT = """
    INSERT INTO bulk_job_persons (job_id, seq, municipality_code, platform_person_id,
                                  resident_id, resident_number, birth_date, postal_code, address)
    SELECT $1, row_number() OVER (ORDER BY r.platform_person_id), $2, r.platform_person_id,
           r.resident_id, r.resident_number, r.birth_date, r.postal_code, r.address
    FROM (
        SELECT DISTINCT ON (platform_person_id) *
        FROM (
            SELECT DISTINCT ON (resident_id) resident_id, platform_person_id, status,
                   resident_number, birth_date, postal_code, address, effective_date, version
            FROM register_history WHERE effective_date <= $3
            ORDER BY resident_id, effective_date DESC, version DESC
        ) per_record
        WHERE status = 'resident'
        ORDER BY platform_person_id, effective_date DESC, version DESC
    ) r
    WHERE EXISTS (SELECT 1 FROM salary_reports s WHERE s.fiscal_year = $4
                  AND s.superseded_by IS NULL AND s.platform_person_id = r.platform_person_id)
       OR EXISTS (SELECT 1 FROM declarations d WHERE d.fiscal_year = $4
                  AND d.platform_person_id = r.platform_person_id)
"""
_CHUNK = """
    SELECT platform_person_id, resident_id, resident_number, birth_date, postal_code, address
    FROM bulk_job_persons WHERE job_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq
"""
_REFUSALS = """
    INSERT INTO bulk_job_refusals (job_id, municipality_code, platform_person_id, reason)
    SELECT $1, $2, p, r FROM unnest($3::uuid[], $4::text[]) AS x(p, r)
"""


class SqlBulkJobs:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *, job_id: UUID, code: str, fiscal_year: int, actor: str) -> bool:
        try:
            async with self.session.begin_nested():
                await self.session.execute(sa.insert(bulk_jobs).values(
                    id=job_id, municipality_code=code, fiscal_year=fiscal_year,
                    state="queued", cursor=0, assessed=0, corrected=0, unchanged=0, refused=0,
                    attempts=0, requested_by=actor))
        except IntegrityError:
            return False
        return True

    async def active(self, fiscal_year: int) -> UUID | None:
        active: UUID | None = (await self.session.execute(sa.select(bulk_jobs.c.id).where(
            bulk_jobs.c.fiscal_year == fiscal_year,
            bulk_jobs.c.state.in_(("queued", "running"))))).scalar()
        return active

    async def status(self, job_id: UUID) -> Any:
        return (await self.session.execute(
            sa.select(bulk_jobs).where(bulk_jobs.c.id == job_id))).first()


async def refusals(session: AsyncSession, job_id: UUID, *, after: UUID | None,
                   limit: int) -> list[Any]:
    """(platform_person_id, reason) in person id order, after a previous page's last."""
    r = bulk_job_refusals.c
    query = sa.select(r.platform_person_id, r.reason).where(r.job_id == job_id)
    if after is not None:
        query = query.where(r.platform_person_id > after)
    return list((await session.execute(query.order_by(r.platform_person_id).limit(limit))
                 ).all())


async def record_failure(db: Database, *, job_id: UUID, code: str, error: str,
                         max_attempts: int) -> None:
    """A step failed (database away, a bug): counted; after max_attempts the job fails."""
    async with db.tenant_transaction(code) as session:
        await session.execute(sa.update(bulk_jobs).where(bulk_jobs.c.id == job_id).values(
            attempts=bulk_jobs.c.attempts + 1, error=error[:2000],
            state=sa.case((bulk_jobs.c.attempts + 1 >= max_attempts, "failed"),
                          else_=bulk_jobs.c.state),
            finished_at=sa.case((bulk_jobs.c.attempts + 1 >= max_attempts, sa.func.now()),
                                else_=bulk_jobs.c.finished_at)))


class SqlBulkRun:
    """One transaction of a run, over its asyncpg connection."""

    def __init__(self, conn: asyncpg.Connection, register: SqlRegister) -> None:
        self.conn = conn
        self.register = register

    async def inputs(self) -> SqlInputs:
        return SqlInputs(self.conn)

    async def position(self, job_id: UUID) -> Any:
        return await self.conn.fetchrow("SELECT fiscal_year, state, cursor, total "
                                        "FROM bulk_jobs WHERE id = $1 FOR UPDATE", job_id)

    async def snapshot(self, job_id: UUID, *, code: str, day: date, fiscal_year: int) -> int:
        status = await self.conn.execute(_SNAPSHOT, job_id, code, day, fiscal_year)
        total = int(status.split()[-1])
        await self.conn.execute("UPDATE bulk_jobs SET state = 'running', total = $2, "
                                "attempts = 0, started_at = now(), heartbeat_at = now() "
                                "WHERE id = $1", job_id, total)
        return total

    async def chunk(self, job_id: UUID, start: int, end: int) -> list[Taxpayer]:
        return [Taxpayer(*row) for row in await self.conn.fetch(_CHUNK, job_id, start, end)]

    async def cursor_for_update(self, job_id: UUID) -> int | None:
        cursor: int | None = await self.conn.fetchval(
            "SELECT cursor FROM bulk_jobs WHERE id = $1 AND state = 'running' FOR UPDATE",
            job_id)
        return cursor

    async def write(self, items: Sequence[Assessed], *, municipality_code: str, job_id: UUID,
                    assessed_on: date, source: str, lap: Callable[[str], None]) -> None:
        await write_assessments(self.conn, items, municipality_code=municipality_code,
                                job_id=job_id, assessed_on=assessed_on, source=source, lap=lap)

    async def refuse(self, job_id: UUID, code: str,
                     refused: Sequence[tuple[UUID, str]]) -> None:
        await self.conn.execute(_REFUSALS, job_id, code, *zip(*refused, strict=True))

    async def progress(self, job_id: UUID, *, cursor: int, assessed: int, corrected: int,
                       unchanged: int, refused: int) -> None:
        await self.conn.execute(
            "UPDATE bulk_jobs SET cursor = $2, assessed = assessed + $3, "
            "corrected = corrected + $4, unchanged = unchanged + $5, refused = refused + $6, "
            "heartbeat_at = now() WHERE id = $1", job_id, cursor, assessed, corrected,
            unchanged, refused)

    async def finish(self, job_id: UUID, total: int) -> None:
        await self.conn.execute("UPDATE bulk_jobs SET state = 'finished', finished_at = now(), "
                                "heartbeat_at = now() WHERE id = $1 AND state = 'running' "
                                "AND cursor >= $2", job_id, total)


@asynccontextmanager
async def bulk_run(db: Database, code: str) -> AsyncIterator[SqlBulkRun]:
    """A transaction of the tenant, committed when the block ends."""
    async with db.tenant_transaction(code) as session:
        yield SqlBulkRun(await raw_connection(session), SqlRegister(session))
