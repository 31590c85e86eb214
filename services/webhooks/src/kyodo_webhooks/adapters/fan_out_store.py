"""What the fan-out reads and writes, in the inbox's transaction over its asyncpg connection:
the subscribers of an event type, the 支援措置 known per person, the queued deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db.engine import raw_connection

_SUBSCRIBERS = ("SELECT id, owner_kind, owner_home, grant_id, scopes, filters FROM subscriptions "
                "WHERE state IN ('active', 'paused') AND event_types @> ARRAY[$1::text]")
_QUEUE = ("INSERT INTO deliveries (id, municipality_code, subscription_id, event_id, event_type, "
          "event_time, service, subject) "
          "SELECT * FROM unnest($1::uuid[], $2::bpchar[], $3::uuid[], $4::text[], $5::text[], "
          "$6::timestamptz[], $7::text[], $8::text[]) ON CONFLICT DO NOTHING")
_REMEMBER = (
    "INSERT INTO protected_people (municipality_code, resident_id, platform_person_id, version, "
    "protected, protected_from, protected_until) "
    "SELECT * FROM unnest($1::bpchar[], $2::uuid[], $3::uuid[], $4::int[], $5::boolean[], "
    "$6::date[], $7::date[]) "
    "ON CONFLICT (municipality_code, resident_id) DO UPDATE SET "
    "platform_person_id = excluded.platform_person_id, version = excluded.version, "
    "protected = excluded.protected, protected_from = excluded.protected_from, "
    "protected_until = excluded.protected_until "
    "WHERE protected_people.version < excluded.version")
_PROTECTED = ("SELECT resident_id, platform_person_id, protected, protected_from, "
              "protected_until FROM protected_people "
              "WHERE resident_id = ANY($1::uuid[]) OR platform_person_id = ANY($1::uuid[])")


class PgFanOut:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._conn: asyncpg.Connection | None = None

    async def _connection(self) -> asyncpg.Connection:
        if self._conn is None:
            self._conn = await raw_connection(self.session)
        return self._conn

    async def remember_measures(self, columns: Sequence[Sequence[Any]]) -> None:
        """Person states by column (code, resident, person, version, protected, from,
        until); a newer version replaces an older one."""
        await (await self._connection()).execute(_REMEMBER, *columns)

    async def measures(self, ids: list[uuid.UUID]) -> list[Any]:
        """The measures known of these residents or persons."""
        return list(await (await self._connection()).fetch(_PROTECTED, ids))

    async def subscribers(self, event_type: str) -> list[Any]:
        return list(await (await self._connection()).fetch(_SUBSCRIBERS, event_type))

    async def queue(self, columns: Sequence[list[Any]]) -> None:
        """Deliveries by column (id, code, subscription, event id, type, time, service,
        subject); one already queued stays as it is."""
        await (await self._connection()).execute(_QUEUE, *columns)
