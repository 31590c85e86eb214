"""Field-survey imports run as jobs, in PostgreSQL: the import row with its file, its
progress (cursor, counts, refused rows) and its failures."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue
from kyodo_disaster.adapters.tables import survey_imports as imports
from kyodo_disaster.domain.actor import Actor

QUEUE = JobQueue(name="survey import", channel="kyodo_disaster_imports",
                 runnable_sql="SELECT job_id, municipality_code FROM runnable_survey_imports()")


class SqlSurveyImports:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *, import_id: uuid.UUID, code: str, disaster_id: uuid.UUID,
                  content: str, total: int, done: int, errors: Sequence[dict[str, Any]],
                  actor: Actor) -> None:
        await self.session.execute(sa.insert(imports).values(
            id=import_id, municipality_code=code, disaster_id=disaster_id,
            file_sha256=hashlib.sha256(content.encode()).hexdigest(), content=content,
            state="queued", total=total, cursor=0, done=done, houses_created=0,
            surveys_recorded=0, unchanged=0, applications_created=0, errors=list(errors),
            attempts=0, requested_by=actor.subject, requested_by_home=actor.home,
            grant_id=actor.grant_id))

    async def status(self, import_id: uuid.UUID) -> Any:
        return (await self.session.execute(
            sa.select(imports).where(imports.c.id == import_id))).first()

    async def locked(self, import_id: uuid.UUID) -> Any:
        return (await self.session.execute(
            sa.select(imports).where(imports.c.id == import_id).with_for_update())).first()

    async def progress(self, import_id: uuid.UUID, *, state: str, cursor: int, done: int,
                       houses_created: int, surveys_recorded: int, unchanged: int,
                       applications_created: int, errors: Sequence[dict[str, Any]],
                       started_at: datetime, finished_at: datetime | None) -> None:
        i = imports.c
        finished = state == "finished"
        await self.session.execute(sa.update(imports).where(i.id == import_id).values(
            state=state, cursor=cursor, done=i.done + done,
            houses_created=i.houses_created + houses_created,
            surveys_recorded=i.surveys_recorded + surveys_recorded,
            unchanged=i.unchanged + unchanged,
            applications_created=i.applications_created + applications_created,
            errors=i.errors.op("||")(sa.cast(list(errors), JSONB)),
            started_at=started_at, finished_at=finished_at,
            content=None if finished else i.content))


async def record_failure(db: Database, *, import_id: uuid.UUID, code: str, error: str,
                         max_attempts: int) -> None:
    """A chunk failed (a bug, the database away): counted; after ``max_attempts`` the import
    fails and its file is dropped (nothing will read it again)."""
    i = imports.c
    gives_up = i.attempts + 1 >= max_attempts
    async with db.tenant_transaction(code) as session:
        await session.execute(sa.update(imports).where(i.id == import_id).values(
            attempts=i.attempts + 1, error=error[:500],
            state=sa.case((gives_up, "failed"), else_=i.state),
            content=sa.case((gives_up, sa.null()), else_=i.content),
            finished_at=sa.case((gives_up, sa.func.now()), else_=i.finished_at)))
