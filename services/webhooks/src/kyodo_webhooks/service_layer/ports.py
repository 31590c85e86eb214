"""What the webhooks use cases ask of storage (`adapters/` implements it over asyncpg)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol


class SubscriptionStore(Protocol):
    """Subscriptions and the deliveries queued for them. A row reads like a mapping."""

    async def add(self, *values: Any) -> Any: ...

    async def get(self, subscription_id: uuid.UUID, *, lock: bool = False) -> Any: ...

    async def page(self, *, everyone: bool, subject: str, home: str, state: str | None,
                   after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[Any]: ...

    async def move(self, subscription_id: uuid.UUID, to: str, *, by: str | None = None,
                   stamp: str | None = None) -> Any: ...

    async def drop_pending(self, subscription_id: uuid.UUID) -> None: ...

    async def hurry_pending(self, subscription_id: uuid.UUID) -> None: ...

    async def rotate(self, subscription_id: uuid.UUID, *, secret: bytes,
                     previous: bytes | None, until: datetime | None) -> Any: ...

    async def queue_ping(self, delivery_id: uuid.UUID, *, code: str,
                         subscription_id: uuid.UUID, event_id: str, event_type: str
                         ) -> None: ...

    async def requeue(self, delivery_id: uuid.UUID, subscription_id: uuid.UUID) -> bool: ...

    async def delivery_state(self, delivery_id: uuid.UUID,
                             subscription_id: uuid.UUID) -> str | None: ...

    async def wake_dispatchers(self) -> None: ...

    async def deliveries(self, subscription_id: uuid.UUID, *, state: str | None,
                         before: int | None, limit: int) -> tuple[list[Any], list[Any]]: ...


class FanOutStore(Protocol):
    """What the fan-out of an event reads and writes (rows read like mappings)."""

    async def remember_measures(self, columns: Sequence[Sequence[Any]]) -> None: ...

    async def measures(self, ids: list[uuid.UUID]) -> list[Any]: ...

    async def subscribers(self, event_type: str) -> list[Any]: ...

    async def queue(self, columns: Sequence[list[Any]]) -> None: ...


class FanOutUnitOfWork(Protocol):
    """The fan-out's unit of work (WebhooksInboxUnitOfWork, or a fake)."""

    @property
    def fan_out(self) -> FanOutStore: ...
