"""Replay: queue a time range of outbox rows again; the relay publishes them again."""

from __future__ import annotations

from datetime import UTC, datetime

from kyodo_common.events.recovery import queue_again


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def replay_outbox(database_url: str, since: datetime, until: datetime | None) -> int:
    """Consumers' inboxes make the replay harmless to read models that already have them."""
    return await queue_again(database_url, _aware(since), _aware(until) if until else None)
