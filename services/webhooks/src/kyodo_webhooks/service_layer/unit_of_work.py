"""Webhooks' units of work: kyodo_common's, with the webhooks stores over their transaction.
A request's (``WebhooksUnitOfWork``, the write pipeline's) begins and commits it; an event
handler's (``WebhooksInboxUnitOfWork``) is the inbox's transaction, which the inbox commits.
Handlers take their stores from here (``uow.subscriptions``), never build them."""

from __future__ import annotations

from functools import cached_property

from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events.stores import InboxUnitOfWork
from kyodo_webhooks.adapters.fan_out_store import PgFanOut
from kyodo_webhooks.adapters.subscription_store import PgSubscriptions
from kyodo_webhooks.service_layer.context import SOURCE


class WebhooksUnitOfWork(UnitOfWork):
    subscriptions: PgSubscriptions  # on the transaction's own asyncpg connection

    def __init__(self, db: Database, *, municipality_code: str) -> None:
        super().__init__(db, source=SOURCE, municipality_code=municipality_code)

    async def __aenter__(self) -> WebhooksUnitOfWork:
        await super().__aenter__()
        self.subscriptions = PgSubscriptions(await self.connection())
        return self


class WebhooksInboxUnitOfWork(InboxUnitOfWork):
    @cached_property
    def fan_out(self) -> PgFanOut:
        return PgFanOut(self.session)
