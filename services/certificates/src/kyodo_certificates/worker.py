"""`python -m kyodo_certificates.worker`: the certificates consumers and outbox relay."""

import asyncio

from kyodo_certificates.service_layer.when_register_changes_update_residents import (
    when_register_changes_update_residents,
)
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.events.inbox import Subscription
from kyodo_common.worker import run_worker
from kyodo_residents.events import ALL_EVENTS, ResidentRegisterChanged

CONSUMER = "certificates.read-models"
SUBSCRIPTIONS = [Subscription(event, when_register_changes_update_residents)
                 for event in ALL_EVENTS if issubclass(event, ResidentRegisterChanged)]

if __name__ == "__main__":
    asyncio.run(run_worker(CertificatesSettings(), consumer_name=CONSUMER,
                           subscriptions=SUBSCRIPTIONS))
