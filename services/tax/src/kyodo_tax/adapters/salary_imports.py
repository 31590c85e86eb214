"""Imports of 給与支払報告書 files in PostgreSQL: the import row (its counters, problems and
cursor) and the reports it keeps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue
from kyodo_tax.adapters.register_view import SqlRegister
from kyodo_tax.adapters.tables import salary_imports, salary_reports

IMPORTS = JobQueue(name="salary import", channel="kyodo_tax_imports",
                   runnable_sql="SELECT job_id, municipality_code FROM runnable_salary_imports()")


class SqlSalaryImports:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def earlier(self, fiscal_year: int, digest: str) -> Any:
        return (await self.session.execute(sa.select(salary_imports).where(
            salary_imports.c.fiscal_year == fiscal_year,
            salary_imports.c.file_sha256 == digest))).first()

    async def get(self, import_id: UUID, *, for_update: bool = False) -> Any:
        query = sa.select(salary_imports).where(salary_imports.c.id == import_id)
        return (await self.session.execute(
            query.with_for_update() if for_update else query)).first()

    async def add(self, *, import_id: UUID, code: str, fiscal_year: int, digest: str,
                  file_format: str, received: int, rejected: int,
                  problems: list[dict[str, Any]], actor: str, content: bytes | None) -> None:
        await self.session.execute(sa.insert(salary_imports).values(
            id=import_id, municipality_code=code, fiscal_year=fiscal_year, file_sha256=digest,
            file_format=file_format, received=received, accepted=0, unchanged=0,
            superseding=0, rejected=rejected, problems=problems, imported_by=actor,
            state="queued", content=content, cursor=0, done=rejected, attempts=0))

    async def start(self, import_id: UUID) -> None:
        await self.session.execute(sa.update(salary_imports).where(
            salary_imports.c.id == import_id).values(state="running",
                                                     started_at=sa.func.now()))

    async def finish(self, import_id: UUID) -> None:
        await self.session.execute(
            sa.update(salary_imports).where(salary_imports.c.id == import_id)
            .values(state="finished", content=None, finished_at=sa.func.now()))

    async def stored_reports(self, fiscal_year: int, row_keys: Sequence[str]) -> list[Any]:
        s = salary_reports.c
        return list((await self.session.execute(
            sa.select(s.id, s.row_key, s.content_hash, s.superseded_by)
            .where(s.fiscal_year == fiscal_year, s.row_key.in_(row_keys)))).all())

    async def count_chunk(self, import_id: UUID, *, accepted: int, unchanged: int,
                          superseding: int, rejected: int, problems: list[dict[str, Any]],
                          rows: int) -> None:
        i = salary_imports.c
        await self.session.execute(sa.update(salary_imports).where(i.id == import_id).values(
            accepted=i.accepted + accepted, unchanged=i.unchanged + unchanged,
            superseding=i.superseding + superseding, rejected=i.rejected + rejected,
            problems=i.problems.op("||")(sa.cast(problems, JSONB)),
            cursor=i.cursor + rows, done=i.done + rows))

    async def add_reports(self, values: list[dict[str, Any]]) -> dict[str, UUID]:
        s = salary_reports.c
        return {r.row_key: r.id for r in (await self.session.execute(
            sa.insert(salary_reports).returning(s.id, s.row_key), values)).all()}

    async def revive(self, report_ids: Sequence[UUID]) -> dict[str, UUID]:
        s = salary_reports.c
        await self.session.execute(sa.update(salary_reports).where(s.id.in_(report_ids))
                                   .values(superseded_by=None))
        return {r.row_key: r.id for r in (await self.session.execute(
            sa.select(s.id, s.row_key).where(s.id.in_(report_ids)))).all()}

    async def supersede(self, report_id: UUID, by: UUID) -> None:
        await self.session.execute(sa.update(salary_reports).where(
            salary_reports.c.id == report_id).values(superseded_by=by))


async def record_import_failure(db: Database, *, import_id: UUID, code: str, error: str,
                                max_attempts: int) -> None:
    """A chunk failed (database away, a bug): counted; after max_attempts the import fails
    (its file is then dropped: nothing more will read it)."""
    i = salary_imports.c
    gives_up = i.attempts + 1 >= max_attempts
    async with db.tenant_transaction(code) as session:
        await session.execute(sa.update(salary_imports).where(i.id == import_id).values(
            attempts=i.attempts + 1, error=error[:2000],
            state=sa.case((gives_up, "failed"), else_=i.state),
            content=sa.case((gives_up, sa.null()), else_=i.content),
            finished_at=sa.case((gives_up, sa.func.now()), else_=i.finished_at)))


@asynccontextmanager
async def import_transaction(db: Database, code: str
                             ) -> AsyncIterator[tuple[SqlSalaryImports, SqlRegister]]:
    """A transaction of the tenant (a job's chunk), committed when the block ends."""
    async with db.tenant_transaction(code) as session:
        yield SqlSalaryImports(session), SqlRegister(session)
