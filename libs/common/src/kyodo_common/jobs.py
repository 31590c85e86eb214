"""Durable jobs a service's worker runs: woken by NOTIFY when one is queued, polling as a
fallback, and picking up jobs a crash left running (each job's own code resumes from its
cursor). A failing job is retried on the next round up to a bound, then marked failed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

import asyncpg
import sqlalchemy as sa

from kyodo_common.db import Database, asyncpg_dsn
from kyodo_common.logs import error_text

log = logging.getLogger(__name__)

# One vocabulary for every job a client can follow (tax's bulk assessments and salary
# imports, disaster's certificate jobs and survey imports): what `kyodo jobs watch` and the
# counter app read. Automation's runs are not jobs: they wait for people and can be rejected.
JobState = Literal["queued", "running", "finished", "failed"]
JOB_STATES: tuple[JobState, ...] = ("queued", "running", "finished", "failed")
JOB_STATE_DESCRIPTION = ("the job's state: queued (waiting for the worker), running, finished "
                         "or failed (see `error`)")

RunOne = Callable[[Database, Any, str, Callable[[], bool]], Awaitable[None]]
RecordFailure = Callable[[Database, Any, str, str], Awaitable[None]]


@dataclass(frozen=True)
class JobQueue:
    """Where a kind of job waits: its NOTIFY channel and the narrow query listing runnable
    jobs of every tenant (a function the migration grants, not a table read)."""

    name: str
    channel: str
    runnable_sql: str


async def runnable_jobs(db: Database, queue: JobQueue) -> list[tuple[Any, str]]:
    async with db.platform_transaction() as session:
        rows = (await session.execute(sa.text(queue.runnable_sql))).all()
    return [(r.job_id, r.municipality_code) for r in rows]


async def run_pending(db: Database, queue: JobQueue, stop: asyncio.Event, *, run_one: RunOne,
                      record_failure: RecordFailure) -> int:
    """Runs every runnable job once; returns how many completed this round."""
    ran = 0
    for job_id, code in await runnable_jobs(db, queue):
        if stop.is_set():
            break
        try:
            await run_one(db, job_id, code, stop.is_set)
            ran += 1
        except Exception as exc:  # the next round retries it, up to the queue's bound
            log.warning("%s %s failed: %s", queue.name, job_id, type(exc).__name__)
            await record_failure(db, job_id, code, error_text(exc))
    return ran


async def run_job_loop(database_url: str, queue: JobQueue, stop: asyncio.Event, *,
                       run_one: RunOne, record_failure: RecordFailure,
                       poll_seconds: float) -> None:
    """Until ``stop``: run whatever is runnable, then wait for a notification or the poll."""
    db = Database(database_url, pool_size=2)
    wake = asyncio.Event()
    try:
        while not stop.is_set():
            listener: asyncpg.Connection | None = None
            try:
                listener = await asyncpg.connect(asyncpg_dsn(database_url))
                await listener.add_listener(queue.channel, lambda *_: wake.set())
                while not stop.is_set():
                    wake.clear()
                    await run_pending(db, queue, stop, run_one=run_one,
                                      record_failure=record_failure)
                    await _wait(wake, stop, poll_seconds)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("%s runner interrupted (%s); retrying", queue.name,
                            type(exc).__name__)
                await _wait(asyncio.Event(), stop, 1.0)
            finally:
                if listener is not None:
                    await listener.close()
    finally:
        await db.dispose()


async def _wait(wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    waiters = {asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())}
    await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()
