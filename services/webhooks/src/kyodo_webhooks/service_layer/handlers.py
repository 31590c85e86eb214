"""One handler per subscription command, on the unit of work's store (WebhooksUnitOfWork:
``uow.subscriptions``, over the transaction's own asyncpg connection)."""

from __future__ import annotations

from typing import Any

from kyodo_common.write_pipeline import Outcome, Result
from kyodo_webhooks.service_layer import commands as c
from kyodo_webhooks.service_layer import subscriptions as use
from kyodo_webhooks.service_layer.context import WebhooksContext

_CHANGES = {"approve": use.approve, "pause": use.pause, "resume": use.resume, "end": use.end}


def _answer(body: dict[str, Any], result: Result = "done") -> Outcome:
    return Outcome(body, result=result, version=body.get("version"))


class WebhooksHandlers:
    """The handlers, with the service's context (its secrets' key, its delivery settings)."""

    def __init__(self, context: WebhooksContext) -> None:
        self.context = context

    async def subscribe(self, command: c.Subscribe, uow: Any) -> Outcome:
        return _answer(await use.create(
            uow.subscriptions, self.context, acting=command.caller,
            callback_url=command.callback_url, event_types=command.event_types,
            filters=command.filters, description=command.description), "created")

    async def rotate_secret(self, command: c.RotateSecret, uow: Any) -> Outcome:
        store = uow.subscriptions
        return _answer(await use.rotate_secret(store, self.context, command.caller,
                                               command.subscription_id,
                                               command.overlap_seconds))

    async def ping(self, command: c.Ping, uow: Any) -> Outcome:
        store = uow.subscriptions
        return _answer(await use.ping(store, self.context, command.caller,
                                      command.subscription_id), "accepted")


async def change_state(command: c.ChangeState, uow: Any) -> Outcome:
    return _answer(await _CHANGES[command.change](
        uow.subscriptions, command.caller, command.subscription_id,
        command.expected_version))


async def redeliver(command: c.Redeliver, uow: Any) -> Outcome:
    return _answer(await use.redeliver(uow.subscriptions, command.caller,
                                       command.subscription_id, command.delivery_id),
                   "accepted")
