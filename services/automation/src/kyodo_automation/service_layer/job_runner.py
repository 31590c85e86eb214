"""The worker's loop over runs (kyodo_common.jobs does the waking and the retries)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from kyodo_automation.adapters.stores import QUEUE, record_failure
from kyodo_automation.service_layer.context import AutomationContext
from kyodo_automation.service_layer.runs import execute_run
from kyodo_common.db import Database
from kyodo_common.jobs import run_job_loop

MAX_ATTEMPTS = 5


def _run_one(context: AutomationContext) -> Any:
    async def run(db: Database, run_id: Any, code: str, should_stop: Callable[[], bool]) -> None:
        await execute_run(db, context, run_id=run_id, code=code, should_stop=should_stop)
    return run


async def _record_failure(db: Database, run_id: Any, code: str, error: str) -> None:
    await record_failure(db, run_id=run_id, code=code, error=error, max_attempts=MAX_ATTEMPTS)


async def run_automation_jobs(database_url: str, context: AutomationContext,
                              stop: asyncio.Event, *, poll_seconds: float) -> None:
    await run_job_loop(database_url, QUEUE, stop, run_one=_run_one(context),
                       record_failure=_record_failure, poll_seconds=poll_seconds)
