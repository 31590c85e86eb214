"""The subscription use cases as the routes call them: with the transaction's connection in
place of the store (each gets its PostgreSQL store here)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from kyodo_webhooks.adapters.subscription_store import PgSubscriptions
from kyodo_webhooks.service_layer import subscriptions
from kyodo_webhooks.service_layer.ports import SubscriptionStore

P = ParamSpec("P")
R = TypeVar("R")


def _over_connection(use_case: Callable[Concatenate[SubscriptionStore, P], Awaitable[R]]
                     ) -> Callable[Concatenate[Any, P], Awaitable[R]]:
    @functools.wraps(use_case)
    async def run(conn: Any, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await use_case(PgSubscriptions(conn), *args, **kwargs)

    return run


create = _over_connection(subscriptions.create)
get = _over_connection(subscriptions.get)
list_ = _over_connection(subscriptions.list_)
approve = _over_connection(subscriptions.approve)
end = _over_connection(subscriptions.end)
pause = _over_connection(subscriptions.pause)
resume = _over_connection(subscriptions.resume)
rotate_secret = _over_connection(subscriptions.rotate_secret)
ping = _over_connection(subscriptions.ping)
redeliver = _over_connection(subscriptions.redeliver)
deliveries = _over_connection(subscriptions.deliveries)
