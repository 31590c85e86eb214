"""`python -m kyodo_disaster.worker`: outbox relay, access-log sealer, the residents read
model, the certificate jobs and large field-survey imports."""

import asyncio
from typing import Any

from kyodo_residents_events import ALL_EVENTS, ResidentRegisterChanged

from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.job_runner import run_certificate_jobs, run_survey_imports
from kyodo_disaster.service_layer.unit_of_work import DisasterInboxUnitOfWork
from kyodo_disaster.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_disaster.settings import DisasterSettings

CONSUMER = "disaster.read-models"
# One object: the inbox takes consecutive events of the same run handler together.
UPDATE_RESIDENTS = with_unit_of_work(DisasterInboxUnitOfWork,
                                     when_register_changes_update_residents)
SUBSCRIPTIONS: list[Subscription[Any]] = [
    for_runs(event, UPDATE_RESIDENTS)
    for event in ALL_EVENTS if issubclass(event, ResidentRegisterChanged)
]


async def main() -> None:
    settings = DisasterSettings()

    async def certificate_jobs(stop: asyncio.Event) -> None:
        await run_certificate_jobs(settings.database_url, stop,
                                   chunk_size=settings.job_chunk_size,
                                   poll_seconds=settings.job_poll_seconds)

    context = DisasterContext.from_settings(settings)

    async def survey_imports(stop: asyncio.Event) -> None:
        await run_survey_imports(settings.database_url, stop, context,
                                 poll_seconds=settings.job_poll_seconds)

    await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                     seal_access_log=True, also_run=[certificate_jobs, survey_imports])


if __name__ == "__main__":
    run_process(main())
