"""The worker's loop over bulk assessment jobs (kyodo_common.jobs does the waking and retries)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.jobs import JobQueue, run_job_loop, run_pending
from kyodo_tax.service_layer.bulk import record_failure
from kyodo_tax.service_layer.bulk_run import run_job
from kyodo_tax.service_layer.context import TaxContext

QUEUE = JobQueue(name="bulk job", channel="kyodo_tax_jobs",
                 runnable_sql="SELECT job_id, municipality_code FROM runnable_bulk_jobs()")
MAX_ATTEMPTS = 5


def _run_one(context: TaxContext) -> Any:
    async def run(db: Database, job_id: Any, code: str, should_stop: Callable[[], bool]) -> None:
        await run_job(db, job_id=job_id, code=code, context=context, today=today_in_japan(),
                      should_stop=should_stop)
    return run


async def _record_failure(db: Database, job_id: Any, code: str, error: str) -> None:
    await record_failure(db, job_id=job_id, code=code, error=error, max_attempts=MAX_ATTEMPTS)


async def run_pending_jobs(db: Database, context: TaxContext, stop: asyncio.Event) -> int:
    return await run_pending(db, QUEUE, stop, run_one=_run_one(context),
                             record_failure=_record_failure)


async def run_bulk_jobs(database_url: str, context: TaxContext, stop: asyncio.Event, *,
                        poll_seconds: float) -> None:
    await run_job_loop(database_url, QUEUE, stop, run_one=_run_one(context),
                       record_failure=_record_failure, poll_seconds=poll_seconds)
