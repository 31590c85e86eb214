"""The worker's loops over bulk assessment jobs and queued salary-report imports
(kyodo_common.jobs does the waking and retries)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.jobs import run_job_loop, run_pending
from kyodo_tax.adapters.bulk_jobs import QUEUE, record_failure
from kyodo_tax.adapters.salary_imports import IMPORTS, record_import_failure
from kyodo_tax.service_layer.bulk_run import run_job
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.imports import run_import_job

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


async def _run_import(db: Database, job_id: Any, code: str,
                      should_stop: Callable[[], bool]) -> None:
    await run_import_job(db, import_id=job_id, code=code, today=today_in_japan(),
                         should_stop=should_stop)


async def _record_import_failure(db: Database, job_id: Any, code: str, error: str) -> None:
    await record_import_failure(db, import_id=job_id, code=code, error=error,
                                max_attempts=MAX_ATTEMPTS)


async def run_pending_imports(db: Database, stop: asyncio.Event) -> int:
    return await run_pending(db, IMPORTS, stop, run_one=_run_import,
                             record_failure=_record_import_failure)


async def run_salary_imports(database_url: str, stop: asyncio.Event, *,
                             poll_seconds: float) -> None:
    await run_job_loop(database_url, IMPORTS, stop, run_one=_run_import,
                       record_failure=_record_import_failure, poll_seconds=poll_seconds)
