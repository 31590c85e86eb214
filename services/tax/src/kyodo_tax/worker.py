"""`python -m kyodo_tax.worker`: outbox relay, access-log sealer, read models, bulk jobs,
queued salary-report imports.

The consumers keep the register history (residents) and the tenant's tax amounts (identity);
bulk assessment jobs run beside them in the same process.
"""

import asyncio
from typing import Any

from kyodo_identity_events import MunicipalityConfigured
from kyodo_residents_events import ALL_EVENTS, ResidentRegisterChanged

from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker
from kyodo_tax.service_layer.context import TaxContext
from kyodo_tax.service_layer.job_runner import run_bulk_jobs, run_salary_imports
from kyodo_tax.service_layer.unit_of_work import TaxInboxUnitOfWork
from kyodo_tax.service_layer.when_municipality_configured_keep_tax_config import (
    when_municipality_configured_keep_tax_config,
)
from kyodo_tax.service_layer.when_register_changes_record_history import (
    when_register_changes_record_history,
)
from kyodo_tax.settings import TaxSettings

CONSUMER = "tax.read-models"
# One object: the inbox takes consecutive events of the same run handler together.
RECORD_HISTORY = with_unit_of_work(TaxInboxUnitOfWork, when_register_changes_record_history)
SUBSCRIPTIONS: list[Subscription[Any]] = [
    *(for_runs(event, RECORD_HISTORY)
      for event in ALL_EVENTS if issubclass(event, ResidentRegisterChanged)),
    Subscription(MunicipalityConfigured,
                 with_unit_of_work(TaxInboxUnitOfWork,
                                   when_municipality_configured_keep_tax_config)),
]


async def main() -> None:
    settings = TaxSettings()
    context = TaxContext.from_settings(settings)  # a bad rule file stops the worker here

    async def bulk_jobs(stop: asyncio.Event) -> None:
        await run_bulk_jobs(settings.database_url, context, stop,
                            poll_seconds=settings.job_poll_seconds)

    async def salary_imports(stop: asyncio.Event) -> None:
        await run_salary_imports(settings.database_url, stop,
                                 poll_seconds=settings.job_poll_seconds)

    await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                     seal_access_log=True, also_run=[bulk_jobs, salary_imports])


if __name__ == "__main__":
    run_process(main())
