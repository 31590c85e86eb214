"""`python -m kyodo_certificates.worker`: the certificates consumers and outbox relay."""

import asyncio

from kyodo_certificates.service_layer.when_resident_registered_update_read_model import (
    when_resident_registered_update_read_model,
)
from kyodo_certificates.settings import CertificatesSettings
from kyodo_common.events.inbox import Subscription
from kyodo_common.worker import run_worker
from kyodo_residents.events import ResidentRegistered

CONSUMER = "certificates.read-models"
SUBSCRIPTIONS = [Subscription(ResidentRegistered, when_resident_registered_update_read_model)]

if __name__ == "__main__":
    asyncio.run(run_worker(CertificatesSettings(), consumer_name=CONSUMER,
                           subscriptions=SUBSCRIPTIONS))
