"""What to publish again when a broker lost its log (the embedded broker keeps it in memory).

The republish point of a producing service is a moment in its outbox (``created_at``): every
event created before it had been read and committed by every consumer group of its topics
when the point was taken. It is taken while the broker runs, and kept; when the broker comes
back empty, the service's events created since the point are queued for publishing again. The
consumers' inboxes absorb those they had already applied.

The point is the earliest of:
- the oldest event still queued for publishing (published later, perhaps never read);
- for each partition, the event at the lowest offset any group has not committed (read from
  the broker, looked up in the outbox by its id);
- now, for events committed after the point was taken;
each minus ``MARGIN``: ids and ``created_at`` (a transaction's start) follow the publishing
order only up to the length of a transaction, and a transaction in flight is invisible.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.events.kafka import REQUEST_TIMEOUT_MS

# Longer than any transaction that writes events (requests and job chunks take milliseconds
# to seconds); what it adds is published twice, harmlessly.
MARGIN = timedelta(seconds=60)

_OLDEST_QUEUED = """
    SELECT now() AS now, (SELECT min(o.created_at) FROM outbox_pending AS p
                          JOIN outbox AS o USING (id)) AS oldest_queued
"""


async def republish_point(
    relay_database_url: str,
    bootstrap_servers: str,
    topics: Sequence[str],
    groups: Mapping[str, Sequence[str]],
) -> datetime:
    """The service's republish point now. ``topics`` are the ones it produces; ``groups``
    maps each consumer group of the platform to the topics it reads."""
    conn = await asyncpg.connect(asyncpg_dsn(relay_database_url))
    try:
        row = await conn.fetchrow(_OLDEST_QUEUED)  # before the broker's offsets: see above
        assert row is not None
        candidates: list[datetime] = [row["now"]]
        if row["oldest_queued"] is not None:
            candidates.append(row["oldest_queued"])
        for event_id in await _first_unread_event_ids(bootstrap_servers, topics, groups):
            created = await conn.fetchval(
                "SELECT created_at FROM outbox WHERE event_id = $1", event_id)
            if created is not None:
                candidates.append(created)
    finally:
        await conn.close()
    return min(candidates) - MARGIN


async def _first_unread_event_ids(
    bootstrap_servers: str, topics: Sequence[str], groups: Mapping[str, Sequence[str]]
) -> list[uuid.UUID]:
    """Per partition of ``topics``, the id of the event at the lowest offset that some group
    reading the topic has not committed (a group without a commit has read nothing)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers,
                                request_timeout_ms=REQUEST_TIMEOUT_MS)
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False,
                             request_timeout_ms=REQUEST_TIMEOUT_MS)
    await admin.start()
    await probe.start()
    try:
        await probe.topics()  # metadata of every topic
        partitions = [TopicPartition(t, p) for t in topics
                      for p in sorted(probe.partitions_for_topic(t) or ())]
        if not partitions:
            return []
        starts = await probe.beginning_offsets(partitions)
        ends = await probe.end_offsets(partitions)
        lowest = dict(ends)
        for group, read in groups.items():
            mine = [tp for tp in partitions if tp.topic in read]
            if not mine:
                continue
            committed = await admin.list_consumer_group_offsets(group, partitions=mine)
            for tp in mine:
                meta = committed.get(tp)
                offset = meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
                lowest[tp] = min(lowest[tp], offset)
        unread = {tp: offset for tp, offset in lowest.items() if offset < ends[tp]}
        ids = [await _event_id_at(probe, tp, offset) for tp, offset in unread.items()]
        return [event_id for event_id in ids if event_id is not None]
    finally:
        await probe.stop()
        await admin.close()


async def _event_id_at(probe: AIOKafkaConsumer, tp: TopicPartition,
                       offset: int) -> uuid.UUID | None:
    """The event's id (None for a message that is not a Kyodo event); raises when nothing
    could be read, so that no point is taken past an event it did not see."""
    probe.assign([tp])
    probe.seek(tp, offset)
    batch = await probe.getmany(tp, timeout_ms=5000, max_records=1)
    for record in batch.get(tp, []):
        headers = dict(record.headers or ())
        try:
            return uuid.UUID(headers["ce_id"].decode())
        except (KeyError, ValueError):
            return None
        return None
    raise LookupError(f"nothing read at {tp.topic}[{tp.partition}] offset {offset}")


async def queue_again(relay_database_url: str, since: datetime | None,
                      until: datetime | None = None) -> int:
    """Queue the service's events created in [since, until) for publishing again (all of them
    without ``since``); wakes the relay. Returns how many were queued (not already queued)."""
    from kyodo_common.events.relay import NOTIFY_CHANNEL

    conn = await asyncpg.connect(asyncpg_dsn(relay_database_url))
    try:
        async with conn.transaction():
            result = await conn.execute(
                "INSERT INTO outbox_pending (id) SELECT id FROM outbox "
                "WHERE ($1::timestamptz IS NULL OR created_at >= $1) "
                "AND ($2::timestamptz IS NULL OR created_at < $2) ON CONFLICT DO NOTHING",
                since, until,
            )
            await conn.execute("SELECT pg_notify($1, '')", NOTIFY_CHANNEL)
    finally:
        await conn.close()
    return int(result.split()[-1])
