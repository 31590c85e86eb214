"""Event handlers that take a store instead of the session: the handler stays free of SQL
(and testable with a fake store); the worker's subscription builds the store from the inbox's
transaction."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

S = TypeVar("S")


def with_store(store: Callable[[AsyncSession], S],
               handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """``handler(store, *event_args)`` as the inbox calls it: ``(session, *event_args)``.
    Works for a handler of one event (event, envelope) and for a run handler (its list)."""

    @functools.wraps(handler)  # the contract files name the handler
    async def run(session: AsyncSession, *args: Any) -> None:
        await handler(store(session), *args)

    return run
