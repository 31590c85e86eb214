"""The worker's loop over bulk jobs: woken by a notification when a job is queued, polling as a
fallback, and picking up jobs left running by a crash."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg
import sqlalchemy as sa

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, asyncpg_dsn
from kyodo_tax.service_layer.bulk import record_failure
from kyodo_tax.service_layer.bulk_run import run_job
from kyodo_tax.service_layer.context import TaxContext

log = logging.getLogger(__name__)
CHANNEL = "kyodo_tax_jobs"
MAX_ATTEMPTS = 5


async def runnable_jobs(db: Database) -> list[tuple[Any, str]]:
    """Every tenant's queued or running jobs, through the migration's narrow door."""
    async with db.platform_transaction() as session:
        rows = (await session.execute(sa.text(
            "SELECT job_id, municipality_code FROM runnable_bulk_jobs()"))).all()
    return [(r.job_id, r.municipality_code) for r in rows]


async def run_pending_jobs(db: Database, context: TaxContext, stop: asyncio.Event) -> int:
    ran = 0
    for job_id, code in await runnable_jobs(db):
        if stop.is_set():
            break
        try:
            await run_job(db, job_id=job_id, code=code, context=context, today=today_in_japan(),
                          should_stop=stop.is_set)
            ran += 1
        except Exception as exc:  # the next poll retries it, up to MAX_ATTEMPTS
            log.warning("bulk job %s failed: %s", job_id, type(exc).__name__)
            await record_failure(db, job_id=job_id, code=code,
                                 error=f"{type(exc).__name__}: {exc}", max_attempts=MAX_ATTEMPTS)
    return ran


async def run_bulk_jobs(database_url: str, context: TaxContext, stop: asyncio.Event, *,
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
                    await run_pending_jobs(db, context, stop)
                    await _wait(wake, stop, poll_seconds)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("bulk job runner interrupted (%s); retrying", type(exc).__name__)
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
