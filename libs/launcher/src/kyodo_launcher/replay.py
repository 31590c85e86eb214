"""Replay: mark a time range of outbox rows unpublished; the relay publishes them again."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from kyodo_common.db import asyncpg_dsn


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def replay_outbox(database_url: str, since: datetime, until: datetime | None) -> int:
    """Consumers' inboxes make the replay harmless to read models that already have them."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        result = await conn.execute(
            "UPDATE outbox SET published_at = NULL WHERE created_at >= $1 "
            "AND ($2::timestamptz IS NULL OR created_at < $2) AND published_at IS NOT NULL",
            _aware(since), _aware(until) if until else None,
        )
    finally:
        await conn.close()
    return int(result.split()[-1])
