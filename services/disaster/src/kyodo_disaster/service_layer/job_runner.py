"""The worker's loop over certificate jobs: woken by NOTIFY when one is queued, polling as a
fallback, and picking up jobs a crash left running."""

from __future__ import annotations

import asyncio
import logging
import uuid

import asyncpg
import sqlalchemy as sa

from kyodo_common.db import Database, asyncpg_dsn
from kyodo_disaster.service_layer.certificate_jobs import record_failure, run_job

log = logging.getLogger(__name__)
CHANNEL = "kyodo_disaster_jobs"
MAX_ATTEMPTS = 5


async def runnable_jobs(db: Database) -> list[tuple[uuid.UUID, str]]:
    """Every tenant's queued or running jobs, through the migration's narrow door."""
    async with db.platform_transaction() as session:
        rows = (await session.execute(sa.text(
            "SELECT job_id, municipality_code FROM runnable_certificate_jobs()"))).all()
    return [(r.job_id, r.municipality_code) for r in rows]


async def run_pending_jobs(db: Database, stop: asyncio.Event, *, chunk_size: int) -> int:
    ran = 0
    for job_id, code in await runnable_jobs(db):
        if stop.is_set():
            break
        try:
            await run_job(db, job_id=job_id, code=code, chunk_size=chunk_size,
                          should_stop=stop.is_set)
            ran += 1
        except Exception as exc:  # the next round retries it, up to MAX_ATTEMPTS
            log.warning("certificate job %s failed: %s", job_id, type(exc).__name__)
            await record_failure(db, job_id=job_id, code=code,
                                 error=f"{type(exc).__name__}: {exc}", max_attempts=MAX_ATTEMPTS)
    return ran


async def run_certificate_jobs(database_url: str, stop: asyncio.Event, *, chunk_size: int,
                               poll_seconds: float) -> None:
    """Until ``stop``: run whatever is runnable, then wait for a notification or the poll."""
    db = Database(database_url, pool_size=2)
    wake = asyncio.Event()
    try:
        while not stop.is_set():
            listener: asyncpg.Connection | None = None
            try:
                listener = await asyncpg.connect(asyncpg_dsn(database_url))
                await listener.add_listener(CHANNEL, lambda *_: wake.set())
                while not stop.is_set():
                    wake.clear()
                    await run_pending_jobs(db, stop, chunk_size=chunk_size)
                    await _wait(wake, stop, poll_seconds)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("certificate jobs interrupted (%s); retrying", type(exc).__name__)
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
