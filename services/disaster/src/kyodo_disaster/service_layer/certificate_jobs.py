"""交付準備: a job marks a list of applications ready; certificates issues from the events.

The job runs in the worker, a chunk per transaction: its progress is the count of
applications done, and a job cut short (a crash, a deploy) resumes at the next unfinished
chunk, since each chunk commits with the progress that covers it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.audit import record_accesses
from kyodo_common.db import Database, UnitOfWork
from kyodo_disaster.adapters import applications as stored
from kyodo_disaster.adapters.disasters import load_disaster
from kyodo_disaster.adapters.houses import houses_by_id, save_houses
from kyodo_disaster.adapters.tables import certificate_jobs as jobs
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.application import ApplicationStatus
from kyodo_disaster.domain.house import House
from kyodo_disaster.service_layer.context import SOURCE
from kyodo_disaster.service_layer.publishing import publish

MAX_APPLICATIONS = 20_000
MAX_LISTED_REFUSALS = 1_000
RUNNABLE = ("queued", "running")


async def request_job(uow: UnitOfWork, *, actor: Actor,
                      application_ids: Sequence[uuid.UUID]) -> uuid.UUID:
    job_id = uuid.uuid4()
    unique = list(dict.fromkeys(application_ids))
    await uow.session.execute(sa.insert(jobs).values(
        id=job_id, municipality_code=uow.municipality_code, application_ids=unique,
        state="queued", total=len(unique), processed=0, marked_ready=0, already_ready=0,
        refused=0, refusals=[], attempts=0, requested_by=actor.subject,
        requested_by_home=actor.home, grant_id=actor.grant_id))
    return job_id


async def job_status(session: AsyncSession, job_id: uuid.UUID) -> sa.Row[Any] | None:
    return (await session.execute(sa.select(jobs).where(jobs.c.id == job_id))).first()


async def run_job(db: Database, *, job_id: uuid.UUID, code: str, chunk_size: int,
                  should_stop: Callable[[], bool]) -> None:
    """Chunk after chunk until the job is done (or the worker is asked to stop)."""
    while not should_stop():
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
            job = (await uow.session.execute(
                sa.select(jobs).where(jobs.c.id == job_id).with_for_update())).first()
            if job is None or job.state not in RUNNABLE:
                return
            chunk = list(job.application_ids[job.processed:job.processed + chunk_size])
            counts = await _mark_chunk(uow, job, chunk) if chunk else _Counts()
            processed = job.processed + len(chunk)
            done = processed >= job.total
            now = datetime.now(UTC)
            await uow.session.execute(sa.update(jobs).where(jobs.c.id == job_id).values(
                state="done" if done else "running", processed=processed,
                marked_ready=jobs.c.marked_ready + counts.ready,
                already_ready=jobs.c.already_ready + counts.already,
                refused=jobs.c.refused + len(counts.refusals),
                refusals=(list(job.refusals) + counts.refusals)[:MAX_LISTED_REFUSALS],
                started_at=job.started_at or now, finished_at=now if done else None))
            await uow.commit()
        if done:
            return


async def record_failure(db: Database, *, job_id: uuid.UUID, code: str, error: str,
                         max_attempts: int) -> None:
    async with db.tenant_transaction(code) as session:
        await session.execute(sa.update(jobs).where(jobs.c.id == job_id).values(
            attempts=jobs.c.attempts + 1, error=error[:500],
            state=sa.case((jobs.c.attempts + 1 >= max_attempts, "failed"),
                          else_=jobs.c.state)))


class _Counts:
    def __init__(self) -> None:
        self.ready = 0
        self.already = 0
        self.refusals: list[dict[str, str]] = []


async def _mark_chunk(uow: UnitOfWork, job: sa.Row[Any], chunk: list[uuid.UUID]) -> _Counts:
    counts = _Counts()
    found = await stored.for_update(uow.session, chunk)
    locked = await houses_by_id(uow.session, {row.house_id for row in found.values()})
    houses: dict[uuid.UUID, House] = {}
    ready: list[uuid.UUID] = []
    for application_id in chunk:
        row = found.get(application_id)
        if row is None:
            counts.refusals.append({"application_id": str(application_id),
                                    "reason": "no such application"})
            continue
        if row.status == ApplicationStatus.READY:
            counts.already += 1
            continue
        house = locked[row.house_id]  # the foreign key keeps it
        if house.survey_version == 0:
            counts.refusals.append({"application_id": str(application_id),
                                    "reason": "the house has not been surveyed yet"})
            continue
        houses[house.id] = house
        ready.append(application_id)
    counts.ready = len(ready)
    if not ready:
        return counts
    actor = Actor(subject=job.requested_by, home=job.requested_by_home,
                  municipality=uow.municipality_code, grant_id=job.grant_id)
    await stored.mark_ready(uow.session, ready, job_id=job.id, actor=actor)
    for house in houses.values():
        house.touch()  # the house's published state now carries the request
    await save_houses(uow.session, list(houses.values()))
    by_disaster: dict[uuid.UUID, list[House]] = {}
    for house in houses.values():
        by_disaster.setdefault(house.disaster_id, []).append(house)
    for disaster_id, group in by_disaster.items():
        disaster = await load_disaster(uow.session, disaster_id)
        assert disaster is not None
        await publish(uow, disaster, [(house, None) for house in group])
    # No request runs this: the job's requester is logged, as they asked for it.
    await record_accesses(uow.session, principal=actor.principal(),
                          acting_municipality=uow.municipality_code,
                          action="application.ready", subject_type="application",
                          subject_ids=[str(a) for a in ready], fields=["application"],
                          purpose=None, grant_id=actor.grant_id)
    return counts
