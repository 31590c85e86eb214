"""`python -m kyodo_residents.worker`: outbox relay, access-log sealer, transfer notices."""


from kyodo_common.events.inbox import Subscription
from kyodo_common.worker import run_process, run_worker
from kyodo_residents.events import TransferNoticeIssued
from kyodo_residents.service_layer.when_transfer_notice_issued_offer_move_in import (
    when_transfer_notice_issued_offer_move_in,
)
from kyodo_residents.settings import ResidentsSettings

CONSUMER = "residents.transfers"
# The notice is addressed to the destination: its handler runs in that tenant's transaction.
SUBSCRIPTIONS = [Subscription(TransferNoticeIssued, when_transfer_notice_issued_offer_move_in,
                              tenant=lambda event, _: event.destination_municipality)]

if __name__ == "__main__":
    run_process(run_worker(ResidentsSettings(), consumer_name=CONSUMER,
                           subscriptions=SUBSCRIPTIONS, seal_access_log=True))
