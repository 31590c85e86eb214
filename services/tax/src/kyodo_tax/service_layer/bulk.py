"""Bulk assessment of a municipality for a fiscal year: one durable job row, requested here,
run by the worker (bulk_run), followed through its progress."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import Database
from kyodo_common.errors import Conflict
from kyodo_tax.adapters.tables import bulk_jobs
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.lookups import rules_for, tax_config


async def request_bulk_assessment(session: AsyncSession, *, code: str, fiscal_year: int,
                                  actor: str, context: TaxContext) -> UUID:
    """A queued job; refused while another one for the same year is queued or running."""
    rules_for(context.rule_book, fiscal_year)
    await tax_config(session)
    job_id = uuid.uuid4()
    try:
        async with session.begin_nested():
            await session.execute(sa.insert(bulk_jobs).values(
                id=job_id, municipality_code=code, fiscal_year=fiscal_year, state="queued",
                cursor=0, assessed=0, corrected=0, unchanged=0, refused=0, attempts=0,
                requested_by=actor))
    except IntegrityError:
        active = (await session.execute(sa.select(bulk_jobs.c.id).where(
            bulk_jobs.c.fiscal_year == fiscal_year,
            bulk_jobs.c.state.in_(("queued", "running"))))).scalar()
        raise Conflict(f"a bulk assessment of {fiscal_year} is in progress: job {active}"
                       ) from None
    return job_id


async def job_status(session: AsyncSession, job_id: UUID) -> Any:
    return (await session.execute(sa.select(bulk_jobs).where(bulk_jobs.c.id == job_id))).first()


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
