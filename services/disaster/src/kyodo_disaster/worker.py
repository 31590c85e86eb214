"""`python -m kyodo_disaster.worker`: outbox relay, access-log sealer, the residents read
model, and the certificate jobs."""

import asyncio
from typing import Any

from kyodo_residents_events import ALL_EVENTS, ResidentRegisterChanged

from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.events.stores import with_store
from kyodo_common.worker import run_process, run_worker
from kyodo_disaster.adapters.residents_model import SqlResidentsModel
from kyodo_disaster.service_layer.job_runner import run_certificate_jobs
from kyodo_disaster.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_disaster.settings import DisasterSettings

CONSUMER = "disaster.read-models"
# One object: the inbox takes consecutive events of the same run handler together.
UPDATE_RESIDENTS = with_store(SqlResidentsModel, when_register_changes_update_residents)
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

    await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                     seal_access_log=True, also_run=[certificate_jobs])


if __name__ == "__main__":
    run_process(main())
