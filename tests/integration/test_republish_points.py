"""Republish points (kyodo_common.events.recovery): after the broker lost its log, every event
some consumer group had not committed is published again, and not much more."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.events.kafka import ensure_topics
from kyodo_common.events.recovery import MARGIN, queue_again, republish_points
from kyodo_common.events.relay import OutboxRelay
from kyodo_testing import Infrastructure

from .conftest import SANJO

pytestmark = pytest.mark.integration

# Events of no service (nobody consumes them), created long before anything else in the
# residents' outbox, so that other tests' events never come first.
TOPIC = f"kyodo.recovery-test-{uuid.uuid4().hex[:8]}.v1"
FIRST = datetime(2001, 1, 1, tzinfo=UTC)
SECOND = datetime(2001, 1, 2, tzinfo=UTC)


async def _event_id_created_at(relay_url: str, created: datetime) -> uuid.UUID:
    conn = await asyncpg.connect(asyncpg_dsn(relay_url))
    try:
        event_id: uuid.UUID = await conn.fetchval(
            "SELECT event_id FROM outbox WHERE topic = $1 AND created_at = $2", TOPIC, created)
        return event_id
    finally:
        await conn.close()


async def _commit(bootstrap: str, group: str, offset: int, topic: str = TOPIC) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.commit({tp: OffsetAndMetadata(offset, "")})
    finally:
        await consumer.stop()


async def _publish(infrastructure: Infrastructure, producer: AIOKafkaProducer, topic: str,
                   created: tuple[datetime, ...]) -> None:
    """Test events on ``topic`` in residents' outbox, created at these times, in this order
    (their ids), and published by the relay (with what earlier tests left)."""
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    app = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("residents")["DATABASE_URL"]))
    try:
        async with app.transaction():
            await app.execute("SELECT set_config('kyodo.municipality', $1, true)", SANJO)
            for at in created:
                await app.execute(
                    "INSERT INTO outbox (event_id, municipality_code, topic, key, type, source, "
                    "time, data, created_at) VALUES (gen_random_uuid(), $1, $2, 'k', "
                    "'jp.kyodo.test.v1', 'test', now(), '{}', $3)", SANJO, topic, at)
    finally:
        await app.close()
    relay = OutboxRelay(relay_url, producer)
    conn = await asyncpg.connect(asyncpg_dsn(relay_url))
    try:
        while await relay.publish_batch(conn):
            pass
    finally:
        await conn.close()


async def test_the_point_is_the_oldest_event_a_group_has_not_committed(
    infrastructure: Infrastructure, producer: AIOKafkaProducer,
) -> None:
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    bootstrap = infrastructure.bootstrap_servers
    await ensure_topics(bootstrap, {TOPIC: 1})
    await producer.partitions_for(TOPIC)
    await _publish(infrastructure, producer, TOPIC, (FIRST, SECOND))

    async def point(groups: dict[str, list[str]]) -> datetime:
        return (await republish_points({"residents": relay_url}, bootstrap,
                                       {"residents": [TOPIC]}, groups))["residents"]

    group, other = f"recovery-{uuid.uuid4().hex[:8]}", f"recovery-{uuid.uuid4().hex[:8]}"
    assert await point({group: [TOPIC]}) == FIRST - MARGIN  # nothing committed: all unread
    await _commit(bootstrap, group, 1)
    assert await point({group: [TOPIC]}) == SECOND - MARGIN
    await _commit(bootstrap, group, 2)
    caught_up = await point({group: [TOPIC]})
    assert caught_up > SECOND  # (now, or the oldest event still queued, minus the margin)
    # Another group that reads the topic and has read nothing holds the point back.
    assert await point({group: [TOPIC], other: [TOPIC]}) == FIRST - MARGIN
    # A group that reads other topics does not.
    assert await point({group: [TOPIC], other: ["kyodo.another.v1"]}) > SECOND

    # A dead letter of the first event, not re-driven yet, holds the point back too (the
    # broker would lose it): its event is published again, and fails again, into the new one.
    dead_letters = TOPIC + ".dlq"
    await ensure_topics(bootstrap, {dead_letters: 1})
    await producer.partitions_for(dead_letters)
    first_id = await _event_id_created_at(relay_url, FIRST)
    await producer.send_and_wait(dead_letters, value=b"{}", key=b"k", headers=[
        ("ce_id", str(first_id).encode()), ("kyodo_error", b"KeyError: x")])
    with_dead_letters = {"residents": [TOPIC, dead_letters]}
    # The re-drive group by another name: the real one ("kyodo.redrive") is shared with the
    # other tests on this broker, whose members make a manual commit fail (a rebalance).
    redrive = f"redrive-{uuid.uuid4().hex[:8]}"
    readers = {group: [TOPIC], redrive: [dead_letters]}
    assert (await republish_points({"residents": relay_url}, bootstrap, with_dead_letters,
                                   readers))["residents"] == FIRST - MARGIN
    await _commit(bootstrap, redrive, 1, dead_letters)  # re-driven
    assert (await republish_points({"residents": relay_url}, bootstrap, with_dead_letters,
                                   readers))["residents"] > SECOND

    # What is queued again from a point: the events created since.
    queued = await queue_again(relay_url, SECOND - MARGIN, datetime(2002, 1, 1, tzinfo=UTC))
    assert queued == 1


async def test_old_events_behind_a_new_one_hold_the_point_back(
    infrastructure: Infrastructure, producer: AIOKafkaProducer,
) -> None:
    """After a republication the log holds old events behind new ones (the new ones were
    published into the empty broker first). The point is the oldest unread event, not the
    first: from the first, the next rotation lost the old ones (the soak of 2026-12-07)."""
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    bootstrap = infrastructure.bootstrap_servers
    topic = f"kyodo.recovery-order-{uuid.uuid4().hex[:8]}.v1"
    await ensure_topics(bootstrap, {topic: 1})
    await producer.partitions_for(topic)
    new, old = datetime(2001, 2, 3, tzinfo=UTC), datetime(2001, 2, 1, tzinfo=UTC)
    # ids in this order: the relay publishes the new first
    await _publish(infrastructure, producer, topic, (new, old))
    group = f"recovery-{uuid.uuid4().hex[:8]}"
    points = await republish_points({"residents": relay_url}, bootstrap,
                                    {"residents": [topic]}, {group: [topic]})
    assert points["residents"] == old - MARGIN  # not new - MARGIN: the old one is unread too
