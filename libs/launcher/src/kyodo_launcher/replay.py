"""Replay: queue a time range of outbox rows again; the relay publishes them again."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from kyodo_common.db import asyncpg_dsn
from kyodo_common.events.relay import NOTIFY_CHANNEL


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def replay_outbox(database_url: str, since: datetime, until: datetime | None) -> int:
    """Consumers' inboxes make the replay harmless to read models that already have them."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        async with conn.transaction():
            result = await conn.execute(
                "INSERT INTO outbox_pending (id) SELECT id FROM outbox WHERE created_at >= $1 "
                "AND ($2::timestamptz IS NULL OR created_at < $2) ON CONFLICT DO NOTHING",
                _aware(since), _aware(until) if until else None,
            )
            await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)  # wake the relay
    finally:
        await conn.close()
    return int(result.split()[-1])
