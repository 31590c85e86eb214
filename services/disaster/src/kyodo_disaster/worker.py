"""`python -m kyodo_disaster.worker`: outbox relay, access-log sealer, the residents read
model, and the certificate jobs."""

import asyncio
import contextlib
from typing import Any

from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.worker import run_process, run_worker
from kyodo_disaster.service_layer.job_runner import run_certificate_jobs
from kyodo_disaster.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_disaster.settings import DisasterSettings
from kyodo_residents.events import ALL_EVENTS, ResidentRegisterChanged

CONSUMER = "disaster.read-models"
SUBSCRIPTIONS: list[Subscription[Any]] = [
    for_runs(event, when_register_changes_update_residents)
    for event in ALL_EVENTS if issubclass(event, ResidentRegisterChanged)
]


async def main() -> None:
    settings = DisasterSettings()
    stop = asyncio.Event()
    jobs = asyncio.create_task(run_certificate_jobs(
        settings.database_url, stop, chunk_size=settings.job_chunk_size,
        poll_seconds=settings.job_poll_seconds))
    try:
        # run_worker owns the signal handlers; when it returns, the job loop stops between
        # two chunks (a chunk cut short is rolled back and done again on the next start).
        await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                         seal_access_log=True)
    finally:
        stop.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(jobs, timeout=10)


if __name__ == "__main__":
    run_process(main())
