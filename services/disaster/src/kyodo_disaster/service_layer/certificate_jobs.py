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

from kyodo_common.db import Database, UnitOfWork
from kyodo_disaster.adapters.stores import SqlStores
from kyodo_disaster.domain.actor import Actor
from kyodo_disaster.domain.application import ApplicationStatus
from kyodo_disaster.domain.house import House
from kyodo_disaster.service_layer.context import SOURCE
from kyodo_disaster.service_layer.ports import Stores
from kyodo_disaster.service_layer.publishing import publish

MAX_APPLICATIONS = 20_000
MAX_LISTED_REFUSALS = 1_000
RUNNABLE = ("queued", "running")


async def request_job(stores: Stores, *, actor: Actor,
                      application_ids: Sequence[uuid.UUID]) -> uuid.UUID:
    job_id = uuid.uuid4()
    await stores.certificate_jobs.add(job_id=job_id, code=stores.municipality_code,
                                      application_ids=list(dict.fromkeys(application_ids)),
                                      actor=actor)
    return job_id


async def run_job(db: Database, *, job_id: uuid.UUID, code: str, chunk_size: int,
                  should_stop: Callable[[], bool]) -> None:
    """Chunk after chunk until the job is done (or the worker is asked to stop)."""
    while not should_stop():
        async with UnitOfWork(db, source=SOURCE, municipality_code=code) as uow:
            stores = SqlStores(uow)
            job = await stores.certificate_jobs.locked(job_id)
            if job is None or job.state not in RUNNABLE:
                return
            chunk = list(job.application_ids[job.processed:job.processed + chunk_size])
            counts = await _mark_chunk(stores, job, chunk) if chunk else _Counts()
            processed = job.processed + len(chunk)
            done = processed >= job.total
            now = datetime.now(UTC)
            await stores.certificate_jobs.progress(
                job_id, state="finished" if done else "running", processed=processed,
                ready=counts.ready, already=counts.already, refused=len(counts.refusals),
                refusals=(list(job.refusals) + counts.refusals)[:MAX_LISTED_REFUSALS],
                started_at=job.started_at or now, finished_at=now if done else None)
            await uow.commit()
        if done:
            return


class _Counts:
    def __init__(self) -> None:
        self.ready = 0
        self.already = 0
        self.refusals: list[dict[str, str]] = []


async def _mark_chunk(stores: Stores, job: Any, chunk: list[uuid.UUID]) -> _Counts:
    counts = _Counts()
    found = await stores.applications.locked(chunk)
    locked = await stores.houses.locked({row.house_id for row in found.values()})
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
                  municipality=stores.municipality_code, grant_id=job.grant_id)
    await stores.applications.mark_ready(ready, job_id=job.id, actor=actor)
    for house in houses.values():
        house.touch()  # the house's published state now carries the request
    await stores.houses.save(list(houses.values()))
    by_disaster: dict[uuid.UUID, list[House]] = {}
    for house in houses.values():
        by_disaster.setdefault(house.disaster_id, []).append(house)
    for disaster_id, group in by_disaster.items():
        disaster = await stores.disasters.get(disaster_id)
        assert disaster is not None
        await publish(stores, disaster, [(house, None) for house in group])
    # No request runs this: the job's requester is logged, as they asked for it.
    await stores.access_log.record(actor, action="application.ready", subject_type="application",
                                   subject_ids=[str(a) for a in ready], fields=["application"])
    return counts
