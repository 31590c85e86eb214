"""What to publish again when a broker lost its log (the embedded broker keeps it in memory).

The republish point of a producing service is a moment in its outbox (``created_at``): every
event created before it had been read and committed by every consumer group of its topics
when the point was taken. It is taken while the broker runs, and kept; when the broker comes
back empty, the service's events created since the point are queued for publishing again. The
consumers' inboxes absorb those they had already applied.

The point is the earliest of:
- the oldest event still queued for publishing (published later, perhaps never read);
- the oldest of the events that some group has not committed: every message from the lowest
  offset any group has not committed to the end of each partition (read from the broker,
  looked up in the outbox by their ids);
- now, for events committed after the point was taken;
each minus ``MARGIN``: ``created_at`` (a transaction's start) follows the publishing order
only up to the length of a transaction, and a transaction in flight is invisible.

Every unread message, not only the first: a republication puts old events behind new ones
(those published into the new broker before the old ones were queued again, or by a relay
retrying its batch), so the first unread event can be minutes younger than unread ones
behind it. A point taken from the first alone skipped those, and the next rotation lost
them (the soak of 2026-12-07: 435 and 8,630 registrations missing in certificates' read
model after rotations).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import ConsumerRecord

from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.events.kafka import REQUEST_TIMEOUT_MS

# Longer than any transaction that writes events (requests and job chunks take milliseconds
# to seconds); what it adds is published twice, harmlessly.
MARGIN = timedelta(seconds=60)

_OLDEST_QUEUED = """
    SELECT now() AS now, (SELECT min(o.created_at) FROM outbox_pending AS p
                          JOIN outbox AS o USING (id)) AS oldest_queued
"""


async def republish_points(
    relays: Mapping[str, str],
    bootstrap_servers: str,
    topics: Mapping[str, Sequence[str]],
    groups: Mapping[str, Sequence[str]],
    margin: timedelta = MARGIN,
) -> dict[str, datetime]:
    """Each service's republish point now (``margin`` before the oldest event some consumer
    group may not have read). ``relays`` maps a service to its relay's database
    URL, ``topics`` to the topics it produces; ``groups`` maps each consumer group of the
    platform to the topics it reads. One broker connection for all of them."""
    queued: dict[str, list[datetime]] = {}
    for service, url in relays.items():  # before the broker's offsets: see above
        conn = await asyncpg.connect(asyncpg_dsn(url))
        try:
            row = await conn.fetchrow(_OLDEST_QUEUED)
        finally:
            await conn.close()
        assert row is not None
        queued[service] = [row["now"], *([row["oldest_queued"]] if row["oldest_queued"] else [])]
    unread = await _first_unread_event_ids(
        bootstrap_servers, [t for service in relays for t in topics[service]], groups)
    points = {}
    for service, url in relays.items():
        candidates = queued[service]
        event_ids = [event_id for topic in topics[service] for event_id in unread.get(topic, ())]
        if event_ids:
            conn = await asyncpg.connect(asyncpg_dsn(url))
            try:
                oldest = await conn.fetchval(
                    "SELECT min(created_at) FROM outbox WHERE event_id = ANY($1::uuid[])",
                    event_ids)
            finally:
                await conn.close()
            if oldest is not None:
                candidates.append(oldest)
        points[service] = min(candidates) - margin
    return points


async def _first_unread_event_ids(
    bootstrap_servers: str, topics: Sequence[str], groups: Mapping[str, Sequence[str]]
) -> dict[str, list[uuid.UUID]]:
    """Per partition of ``topics``, the id of the event at the lowest offset that some group
    reading the topic has not committed (a group without a commit has read nothing)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers,
                                request_timeout_ms=REQUEST_TIMEOUT_MS)
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False,
                             request_timeout_ms=REQUEST_TIMEOUT_MS, fetch_max_wait_ms=100,
                             max_partition_fetch_bytes=256 * 1024, fetch_max_bytes=1024 * 1024)
    await admin.start()
    await probe.start()
    try:
        await probe.topics()  # metadata of every topic
        partitions = [TopicPartition(t, p) for t in topics
                      for p in sorted(probe.partitions_for_topic(t) or ())]
        if not partitions:
            return {}
        starts = await probe.beginning_offsets(partitions)
        ends = await probe.end_offsets(partitions)
        lowest: dict[TopicPartition, int] = {}  # partitions some group reads
        for group, read in groups.items():
            mine = [tp for tp in partitions if tp.topic in read]
            if not mine:
                continue
            committed = await admin.list_consumer_group_offsets(group, partitions=mine)
            for tp in mine:
                meta = committed.get(tp)
                offset = meta.offset if meta is not None and meta.offset >= 0 else starts[tp]
                lowest[tp] = min(lowest.get(tp, offset), offset)
        # The embedded broker (Tansu) answers the offset of the last message as the end, not
        # the next one: a partition whose lowest commit is at the end may hold one more.
        maybe = {tp: offset for tp, offset in lowest.items() if offset <= ends[tp]}
        surely = {tp for tp, offset in maybe.items() if offset < ends[tp]}
        unread = await _unread_messages(probe, maybe, ends, surely)
        found: dict[str, list[uuid.UUID]] = {}
        for tp, event_ids in unread.items():
            found.setdefault(tp.topic, []).extend(event_ids)
        return found
    finally:
        await probe.stop()
        await admin.close()


QUIET_ROUNDS = 3


async def _unread_messages(probe: AIOKafkaConsumer, offsets: Mapping[TopicPartition, int],
                           ends: Mapping[TopicPartition, int], surely: set[TopicPartition],
                           quiet_ms: int = 300, patience: float = 20.0
                           ) -> dict[TopicPartition, list[uuid.UUID]]:
    """The event ids of the messages from each partition's offset through its end (``ends``:
    Tansu's: the last message's offset or the next one). A partition is read through when a
    message at its end was read, or when nothing came for QUIET_ROUNDS rounds of
    ``quiet_ms`` in a row and its position reached its end.
    Raises when a partition in ``surely`` was not read through, so that no point is taken
    past an event it did not see."""
    if not offsets:
        return {}
    probe.assign(list(offsets))
    for tp, offset in offsets.items():
        probe.seek(tp, offset)
    found: dict[TopicPartition, list[uuid.UUID]] = {tp: [] for tp in offsets}
    done: set[TopicPartition] = set()
    quiet_rounds = 0
    deadline = asyncio.get_running_loop().time() + patience
    while len(done) < len(offsets):
        batch = await probe.getmany(timeout_ms=quiet_ms)
        for tp, records in batch.items():
            if tp in done:
                continue
            for record in records:
                if record.offset > ends[tp]:
                    break  # published after this round began: see the module's docstring
                event_id = _event_id(record)
                if event_id is not None:
                    found[tp].append(event_id)
            if records and records[-1].offset >= ends[tp]:
                done.add(tp)
                probe.pause(tp)
        if not batch:
            # Quiet: a partition whose position reached its end holds nothing more. Tansu's
            # end is sometimes the last message's offset and sometimes the next one (a single
            # produced record: the next), so at position == end one more message may or may
            # not be there: it must stay quiet QUIET_ROUNDS rounds in a row, so that one
            # fetch slower than ``quiet_ms`` is not taken for an empty partition.
            quiet_rounds += 1
            if quiet_rounds >= QUIET_ROUNDS:
                for tp in set(offsets) - done:
                    if await probe.position(tp) >= ends[tp]:
                        done.add(tp)
            if surely <= done:
                break  # quiet, and what must be there was read
        else:
            quiet_rounds = 0
        if asyncio.get_running_loop().time() > deadline:
            break
    missing = surely - done
    if missing:
        raise LookupError(f"{len(missing)} partitions with unread messages not read through")
    return found


def _event_id(record: ConsumerRecord[bytes, bytes]) -> uuid.UUID | None:
    headers = dict(record.headers or ())
    try:
        return uuid.UUID(headers["ce_id"].decode())
    except (KeyError, ValueError):
        return None


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
