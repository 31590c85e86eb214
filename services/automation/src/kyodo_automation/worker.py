"""`python -m kyodo_automation.worker`: outbox relay, access-log sealer, the events and the
schedules that start runs, and the runs."""

import asyncio
from typing import Any

from kyodo_automation.service_layer.context import AutomationContext
from kyodo_automation.service_layer.job_runner import run_automation_jobs
from kyodo_automation.service_layer.schedules import run_scheduler
from kyodo_automation.service_layer.trigger_events import TRIGGER_EVENTS
from kyodo_automation.service_layer.unit_of_work import AutomationInboxUnitOfWork
from kyodo_automation.service_layer.when_event_start_runs import when_event_start_runs
from kyodo_automation.settings import AutomationSettings
from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker

CONSUMER = "automation.triggers"
# One object: the inbox takes consecutive events of the same run handler together.
START_RUNS = with_unit_of_work(AutomationInboxUnitOfWork, when_event_start_runs)
SUBSCRIPTIONS: list[Subscription[Any]] = [for_runs(event, START_RUNS)
                                          for event in TRIGGER_EVENTS]


async def main() -> None:
    settings = AutomationSettings()
    context = AutomationContext.from_settings(settings)

    async def runs(stop: asyncio.Event) -> None:
        # Stops between two runs (a run cut short resumes from its journal on the next start).
        await run_automation_jobs(settings.database_url, context, stop,
                                  poll_seconds=settings.job_poll_seconds)

    async def schedules(stop: asyncio.Event) -> None:
        await run_scheduler(settings.database_url, stop)

    try:
        await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                         seal_access_log=True, also_run=[runs, schedules])
    finally:
        await context.http.aclose()


if __name__ == "__main__":
    run_process(main())
