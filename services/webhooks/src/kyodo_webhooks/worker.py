"""`python -m kyodo_webhooks.worker`: the consumer that turns the platform's events into
notifications for each matching subscription, and the delivery engine."""

import asyncio
from typing import Any

from kyodo_common.events.inbox import Subscription, for_runs
from kyodo_common.events.stores import with_unit_of_work
from kyodo_common.worker import run_process, run_worker
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.service_layer.dispatcher import run_dispatcher
from kyodo_webhooks.service_layer.fan_out import HANDLED, when_events_notify
from kyodo_webhooks.service_layer.unit_of_work import WebhooksInboxUnitOfWork
from kyodo_webhooks.settings import WebhooksSettings

CONSUMER = "webhooks.fan-out"
# One object: the inbox takes consecutive events of the same run handler together.
NOTIFY = with_unit_of_work(WebhooksInboxUnitOfWork, when_events_notify)
SUBSCRIPTIONS: list[Subscription[Any]] = [for_runs(e, NOTIFY) for e in HANDLED]


async def main() -> None:
    settings = WebhooksSettings()
    context = WebhooksContext.from_settings(settings)

    async def deliveries(stop: asyncio.Event) -> None:
        await run_dispatcher(settings.database_url, context, stop)

    # The relay's outbox stays empty (nothing is published to the broker); the sealer keeps
    # the access log's chain as in every service.
    await run_worker(settings, consumer_name=CONSUMER, subscriptions=SUBSCRIPTIONS,
                     seal_access_log=True, also_run=[deliveries])


if __name__ == "__main__":
    run_process(main())
