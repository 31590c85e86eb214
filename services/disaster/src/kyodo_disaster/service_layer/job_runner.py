"""The worker's loops over certificate jobs and large field-survey imports (kyodo_common.jobs
does the waking and retries)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database
from kyodo_common.jobs import run_job_loop, run_pending
from kyodo_disaster.adapters.certificate_jobs import QUEUE, record_failure
from kyodo_disaster.adapters.survey_imports import QUEUE as IMPORTS
from kyodo_disaster.adapters.survey_imports import record_failure as record_import_failure
from kyodo_disaster.service_layer.certificate_jobs import run_job
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.survey_import_jobs import run_import_job

MAX_ATTEMPTS = 5


def _run_one(chunk_size: int) -> Any:
    async def run(db: Database, job_id: Any, code: str, should_stop: Callable[[], bool]) -> None:
        await run_job(db, job_id=job_id, code=code, chunk_size=chunk_size,
                      should_stop=should_stop)
    return run


async def _record_failure(db: Database, job_id: Any, code: str, error: str) -> None:
    await record_failure(db, job_id=job_id, code=code, error=error, max_attempts=MAX_ATTEMPTS)


async def run_pending_jobs(db: Database, stop: asyncio.Event, *, chunk_size: int) -> int:
    return await run_pending(db, QUEUE, stop, run_one=_run_one(chunk_size),
                             record_failure=_record_failure)


async def run_certificate_jobs(database_url: str, stop: asyncio.Event, *, chunk_size: int,
                               poll_seconds: float) -> None:
    await run_job_loop(database_url, QUEUE, stop, run_one=_run_one(chunk_size),
                       record_failure=_record_failure, poll_seconds=poll_seconds)


def _run_import(context: DisasterContext) -> Any:
    async def run(db: Database, job_id: Any, code: str, should_stop: Callable[[], bool]) -> None:
        await run_import_job(db, import_id=job_id, code=code, context=context,
                             today=today_in_japan(), should_stop=should_stop)
    return run


async def _record_import_failure(db: Database, job_id: Any, code: str, error: str) -> None:
    await record_import_failure(db, import_id=job_id, code=code, error=error,
                                max_attempts=MAX_ATTEMPTS)


async def run_pending_imports(db: Database, stop: asyncio.Event,
                              context: DisasterContext) -> int:
    return await run_pending(db, IMPORTS, stop, run_one=_run_import(context),
                             record_failure=_record_import_failure)


async def run_survey_imports(database_url: str, stop: asyncio.Event, context: DisasterContext,
                             *, poll_seconds: float) -> None:
    await run_job_loop(database_url, IMPORTS, stop, run_one=_run_import(context),
                       record_failure=_record_import_failure, poll_seconds=poll_seconds)
