"""交付準備 jobs in PostgreSQL: the job row, its progress and its failures."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue
from kyodo_disaster.adapters.tables import certificate_jobs as jobs
from kyodo_disaster.domain.actor import Actor

QUEUE = JobQueue(name="certificate job", channel="kyodo_disaster_jobs",
                 runnable_sql="SELECT job_id, municipality_code FROM runnable_certificate_jobs()")


class SqlCertificateJobs:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *, job_id: uuid.UUID, code: str, application_ids: Sequence[uuid.UUID],
                  actor: Actor) -> None:
        await self.session.execute(sa.insert(jobs).values(
            id=job_id, municipality_code=code, application_ids=list(application_ids),
            state="queued", total=len(application_ids), processed=0, marked_ready=0,
            already_ready=0, refused=0, refusals=[], attempts=0, requested_by=actor.subject,
            requested_by_home=actor.home, grant_id=actor.grant_id))

    async def status(self, job_id: uuid.UUID) -> Any:
        return (await self.session.execute(sa.select(jobs).where(jobs.c.id == job_id))).first()

    async def locked(self, job_id: uuid.UUID) -> Any:
        return (await self.session.execute(
            sa.select(jobs).where(jobs.c.id == job_id).with_for_update())).first()

    async def progress(self, job_id: uuid.UUID, *, state: str, processed: int, ready: int,
                       already: int, refused: int, refusals: list[dict[str, str]],
                       started_at: datetime, finished_at: datetime | None) -> None:
        await self.session.execute(sa.update(jobs).where(jobs.c.id == job_id).values(
            state=state, processed=processed, marked_ready=jobs.c.marked_ready + ready,
            already_ready=jobs.c.already_ready + already, refused=jobs.c.refused + refused,
            refusals=refusals, started_at=started_at, finished_at=finished_at))


async def record_failure(db: Database, *, job_id: uuid.UUID, code: str, error: str,
                         max_attempts: int) -> None:
    async with db.tenant_transaction(code) as session:
        await session.execute(sa.update(jobs).where(jobs.c.id == job_id).values(
            attempts=jobs.c.attempts + 1, error=error[:500],
            state=sa.case((jobs.c.attempts + 1 >= max_attempts, "failed"),
                          else_=jobs.c.state)))
