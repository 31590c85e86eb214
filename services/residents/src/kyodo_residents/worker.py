"""`python -m kyodo_residents.worker`: outbox relay, access-log sealer, transfer notices, the
certificates issued of residents (in the access log), and announced 転出 taking effect on their
day."""


import asyncio
from typing import Any

from kyodo_residents_events import TransferNoticeIssued

from kyodo_common.events.inbox import Subscription
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker
from kyodo_residents.service_layer.scheduled_completion import run_completion_loop
from kyodo_residents.service_layer.unit_of_work import RegisterInboxUnitOfWork
from kyodo_residents.service_layer.when_certificate_issued_log_access import (
    when_certificate_issued_log_access,
)
from kyodo_residents.service_layer.when_transfer_notice_issued_offer_move_in import (
    when_transfer_notice_issued_offer_move_in,
)
from kyodo_residents.settings import ResidentsSettings
from kyodo_residents.upstream.certificates import CertificateIssued

# The group's name predates the access log's subscription; renaming it would start a new
# group (offsets and lag metrics) for nothing.
CONSUMER = "residents.transfers"
SUBSCRIPTIONS: list[Subscription[Any]] = [
    # The notice is addressed to the destination: its handler runs in that tenant's transaction.
    Subscription(TransferNoticeIssued,
                 with_unit_of_work(RegisterInboxUnitOfWork,
                                   when_transfer_notice_issued_offer_move_in),
                 tenant=lambda event, _: event.destination_municipality),
    Subscription(CertificateIssued,
                 with_unit_of_work(RegisterInboxUnitOfWork, when_certificate_issued_log_access)),
]


async def main() -> None:
    settings = ResidentsSettings()

    async def announced_move_outs(stop: asyncio.Event) -> None:
        await run_completion_loop(
            settings.database_url, stop,
            interval_seconds=settings.announced_completion_interval_seconds)

    await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                     seal_access_log=True, also_run=[announced_move_outs])


if __name__ == "__main__":
    run_process(main())
