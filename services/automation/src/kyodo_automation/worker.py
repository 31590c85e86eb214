"""`python -m kyodo_automation.worker`: outbox relay, access-log sealer, the events and the
schedules that start runs, and the runs."""

import asyncio
import contextlib

from kyodo_automation.service_layer.context import AutomationContext
from kyodo_automation.service_layer.job_runner import run_automation_jobs
from kyodo_automation.service_layer.schedules import run_scheduler
from kyodo_automation.service_layer.when_event_start_runs import SUBSCRIPTIONS
from kyodo_automation.settings import AutomationSettings
from kyodo_common.worker import run_worker

CONSUMER = "automation.triggers"


async def main() -> None:
    settings = AutomationSettings()
    context = AutomationContext.from_settings(settings)
    stop = asyncio.Event()
    jobs = asyncio.create_task(run_automation_jobs(
        settings.database_url, context, stop, poll_seconds=settings.job_poll_seconds))
    scheduler = asyncio.create_task(run_scheduler(settings.database_url, stop))
    try:
        # run_worker owns the signal handlers; when it returns, the run loop stops between
        # two runs (a run cut short resumes from its journal on the next start).
        await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                         seal_access_log=True)
    finally:
        stop.set()
        with contextlib.suppress(TimeoutError, asyncio.CancelledError):
            await asyncio.wait_for(asyncio.gather(jobs, scheduler), timeout=10)
        await context.http.aclose()


if __name__ == "__main__":
    asyncio.run(main())
