"""Event handlers take the service's inbox unit of work (and its stores through it) instead of
the session: the handler stays free of SQL (and testable with a fake unit of work); the
worker's subscription builds the unit of work over the inbox's transaction. This is the one
way an event handler reaches a store (ADR 0021)."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db.engine import raw_connection
from kyodo_common.db.staged import StagedWrites

U = TypeVar("U", bound="InboxUnitOfWork")


class InboxUnitOfWork:
    """The inbox's transaction as an event handler's unit of work. The handler's effect must
    commit with the inbox row (a redelivered event changes nothing), so the inbox begins and
    commits it; this unit of work lends the transaction to the service's stores, which a
    subclass carries (``uow.store``, ``uow.read_models``, ...). What the stores stage goes
    out when the handler returns, before the inbox commits."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.staged = StagedWrites()

    async def connection(self) -> asyncpg.Connection:
        """The transaction's own asyncpg connection (statements on it skip SQLAlchemy)."""
        return await raw_connection(self.session)

    async def flush(self) -> None:
        if self.staged:
            await self.staged.flush(await self.connection())
            self.staged = StagedWrites()


def with_unit_of_work(unit_of_work: Callable[[AsyncSession], U],
                      handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """``handler(uow, *event_args)`` as the inbox calls it: ``(session, *event_args)``.
    Works for a handler of one event (event, envelope) and for a run handler (its list)."""

    @functools.wraps(handler)  # the contract files name the handler
    async def run(session: AsyncSession, *args: Any) -> None:
        uow = unit_of_work(session)
        await handler(uow, *args)
        await uow.flush()

    return run

