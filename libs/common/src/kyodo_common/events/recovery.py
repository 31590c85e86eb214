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

Where a partition ends, as the embedded broker (Tansu 0.6.0, memory storage) reports it
(tests/integration/test_tansu_offsets.py):
- ListOffsets (latest; aiokafka's ``end_offsets``, either isolation level) answers the first
  offset of the batch written last, plus one: the end only when that batch holds one message.
  5 messages in one batch: 1, not 5; then 3 more in one batch: 6, not 8. Empty: 0.
- A fetch's high watermark (aiokafka's ``highwater``) is the end: the offset the next message
  will get (0 empty, 5 after a batch of 5, 8 after 3 more); its last stable offset the same
  (no transactions here).
- A fetch from inside a batch answers the rest of it (offset 2 of a batch of 5: 2, 3, 4).
So a partition is read through the high watermark of its first fetch (``_unread_messages``).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
        # Every partition some group reads, even one whose lowest commit is at or past ``ends``:
        # Tansu's ListOffsets can fall short of the end (see the module's docstring).
        unread = await _unread_messages(probe, lowest, ends, starts=starts)
        found: dict[str, list[uuid.UUID]] = {}
        for tp, event_ids in unread.items():
            found.setdefault(tp.topic, []).extend(event_ids)
        return found
    finally:
        await probe.stop()
        await admin.close()


QUIET_ROUNDS = 3
# How far before an offset a probe seeks first if a broker answered past it (skipped the batch
# that holds it; Tansu 0.6.0 does not, a guard), doubled at each further skip.
BACK_OFF = 64


@dataclass
class _Reading:
    """One partition's read through its end."""

    wanted: int  # the first offset to read (the lowest commit)
    floor: int  # the log's start: no seek before it
    sought: int = -1  # where the probe was sought last
    answered_when_sought: int | None = None  # the probe's last answer's time then
    back: int = 0  # how far before ``wanted`` it was sought
    covered: bool = False  # a fetch began at or before ``wanted``: the broker skipped nothing
    end: int | None = None  # the high watermark of the first fetch answered: the true end

    def seek(self, probe: AIOKafkaConsumer, tp: TopicPartition, back: int) -> None:
        self.back = back
        self.sought = max(self.floor, self.wanted - back)
        self.answered_when_sought = probe.last_poll_timestamp(tp)
        probe.seek(tp, self.sought)

    def seek_further_back(self, probe: AIOKafkaConsumer, tp: TopicPartition) -> bool:
        """After the broker answered from past ``wanted`` (skipped the batch that holds the
        fetch offset); False when the log's start was sought already."""
        if self.sought <= self.floor:
            return False
        self.seek(probe, tp, self.back * 2 if self.back else BACK_OFF)
        return True


async def _unread_messages(probe: AIOKafkaConsumer, offsets: Mapping[TopicPartition, int],
                           ends: Mapping[TopicPartition, int], quiet_ms: int = 300,
                           patience: float = 20.0,
                           starts: Mapping[TopicPartition, int] | None = None,
                           ) -> dict[TopicPartition, list[uuid.UUID]]:
    """The event ids of the messages from each partition's offset through its end.

    The end is the high watermark of the first fetch the broker answered for the partition
    (the next offset it will assign; later messages were published after this round began),
    and a partition is read through exactly when its position reached it: decisive, however
    slow a fetch (a loaded machine). Not ``ends`` (ListOffsets): Tansu's answer there is the
    first offset of the batch written last, plus one, short of the end when that batch holds
    several messages (see the module's docstring). Only when the broker answers fetches
    without a high watermark is the old rule used, by time: read through when a message at
    ``ends`` was read, or when nothing came for QUIET_ROUNDS rounds of ``quiet_ms`` in a row
    and the position reached ``ends`` (one fetch slower than that can make it miss the last
    message).

    A guard (Tansu 0.6.0 answers a fetch from inside a batch with the rest of it, but its
    source reads as if it skipped that batch): a partition whose first answer begins past its
    offset (or that answers nothing while its high watermark is past its position) is sought
    further back (``starts``: the logs' first offsets), and what comes before its offset is
    dropped.

    Raises when a partition was not read through within ``patience`` seconds, so that no
    point is taken past an event it did not see: any partition, not only those where
    ``ends`` showed unread messages (the check before the high watermark: ``ends`` can be
    short, and a partition no fetch answered is unknown)."""
    if not offsets:
        return {}
    probe.assign(list(offsets))
    readings = {tp: _Reading(offset, (starts or {}).get(tp, 0))
                for tp, offset in offsets.items()}
    for tp, reading in readings.items():
        reading.seek(probe, tp, 0)
    found: dict[TopicPartition, list[uuid.UUID]] = {tp: [] for tp in offsets}
    done: set[TopicPartition] = set()
    quiet_rounds = 0
    deadline = asyncio.get_running_loop().time() + patience
    while len(done) < len(offsets):
        batch = await probe.getmany(timeout_ms=quiet_ms)
        for tp, records in batch.items():
            reading = readings[tp]
            if tp in done or not records:
                continue
            if not reading.covered:
                if records[0].offset > reading.wanted and reading.seek_further_back(probe, tp):
                    continue  # what it holds before these messages is still to come
                reading.covered = True
            end = _end(probe, tp, reading)
            for record in records:
                if record.offset < reading.wanted:
                    continue  # committed by every group: sought back for the batch holding it
                if (end is None and record.offset > ends[tp]) or (
                        end is not None and record.offset >= end):
                    break  # published after this round began
                event_id = _event_id(record)
                if event_id is not None:
                    found[tp].append(event_id)
            if end is None and records[-1].offset >= ends[tp]:
                done.add(tp)  # without a high watermark: a message at ListOffsets' end was read
                probe.pause(tp)
        quiet_rounds = 0 if batch else quiet_rounds + 1
        for tp in set(offsets) - done:
            if await _read_through(probe, tp, readings[tp], ends[tp], quiet_rounds):
                done.add(tp)
                probe.pause(tp)
        if asyncio.get_running_loop().time() > deadline:
            break
    missing = set(offsets) - done
    if missing:
        raise LookupError(f"{len(missing)} partitions not read through in {patience} s")
    return found


def _end(probe: AIOKafkaConsumer, tp: TopicPartition, reading: _Reading) -> int | None:
    """The partition's true end once a fetch answered with a high watermark (kept from the
    first: the end when this round read it); None before, or without one."""
    if reading.end is None:
        highwater = probe.highwater(tp)
        if probe.last_poll_timestamp(tp) is not None and highwater is not None and highwater >= 0:
            reading.end = highwater
    return reading.end


async def _read_through(probe: AIOKafkaConsumer, tp: TopicPartition, reading: _Reading,
                        listed_end: int, quiet_rounds: int) -> bool:
    answered = probe.last_poll_timestamp(tp)
    if answered is None:
        return False  # no fetch answered yet: a slow fetch is no proof of an empty partition
    position: int = await probe.position(tp)
    end = _end(probe, tp, reading)
    if end is None:  # a broker that reports no high watermark: the rule by time
        return quiet_rounds >= QUIET_ROUNDS and position >= listed_end
    if reading.wanted >= end:
        return True  # every group committed everything
    if not reading.covered and position == reading.sought \
            and answered != reading.answered_when_sought \
            and (probe.highwater(tp) or 0) > position:
        # Answered with nothing at a position short of the end: the batch holding it begins
        # before it (the guard above; or, for a moment, a batch whose offsets were taken and
        # that is not written yet: then seeking back only reads a few messages twice).
        if not reading.seek_further_back(probe, tp):
            reading.covered = True  # the log's start: nothing before it to seek
        return False
    return reading.covered and position >= end


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
