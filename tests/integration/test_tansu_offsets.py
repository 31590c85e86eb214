"""What the embedded broker (Tansu, as the launcher starts it) reports as a partition's end,
which the republish points (kyodo_common.events.recovery) rely on: ListOffsets (aiokafka's
``end_offsets``, with either isolation level) against the high watermark and last stable
offset of a fetch (``highwater``, ``last_stable_offset``), for an empty partition, one
record, records produced in one batch or one by one, and more records after; and what a
fetch from inside a batch answers (the rest of it). A new Tansu that reports otherwise fails
here: the findings in recovery's docstring and docs/operations.md must then be checked again."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from kyodo_common.events.kafka import ensure_topics, make_producer
from kyodo_common.events.recovery import _first_unread_event_ids
from kyodo_launcher import broker
from kyodo_testing import free_port

from .test_broker_came_back_empty import _listening

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def bootstrap(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A Tansu of its own (memory storage, as the launcher starts it), stopped by its PID."""
    port = free_port()
    tansu = broker.broker(port, Path(tmp_path_factory.mktemp("tansu")) / "broker.log")
    tansu.start()
    try:
        await _listening(port)
        yield f"127.0.0.1:{port}"
    finally:
        tansu.stop()


@pytest.fixture(scope="module")
async def tansu_producer(bootstrap: str) -> AsyncIterator[AIOKafkaProducer]:
    p = make_producer(bootstrap)
    await p.start()
    yield p
    await p.stop()


async def _topic(bootstrap: str, producer: AIOKafkaProducer) -> TopicPartition:
    topic = f"kyodo.tansu-offsets-{uuid.uuid4().hex[:8]}.v1"
    await ensure_topics(bootstrap, {topic: 1})
    await producer.partitions_for(topic)
    return TopicPartition(topic, 0)


def _headers() -> list[tuple[str, bytes]]:
    return [("ce_id", str(uuid.uuid4()).encode())]


async def _one_batch(producer: AIOKafkaProducer, tp: TopicPartition, n: int) -> None:
    batch = producer.create_batch()
    for _ in range(n):
        assert batch.append(key=b"k", value=b"{}", timestamp=None, headers=_headers())
    await (await producer.send_batch(batch, tp.topic, partition=tp.partition))


async def _one_by_one(producer: AIOKafkaProducer, tp: TopicPartition, n: int) -> None:
    for _ in range(n):
        await producer.send_and_wait(tp.topic, b"{}", key=b"k", partition=tp.partition,
                                     headers=_headers())


async def _listed(bootstrap: str, tp: TopicPartition, isolation_level: str) -> int:
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             isolation_level=isolation_level)
    await probe.start()
    try:
        end: int = (await probe.end_offsets([tp]))[tp]
        return end
    finally:
        await probe.stop()


async def _fetched(bootstrap: str, tp: TopicPartition, offset: int = 0,
                   patience: float = 10.0) -> dict[str, Any]:
    """Fetches from ``offset`` until the position reached the high watermark of the last
    answer (at most ``patience`` seconds): the offsets and event ids that came, that answer's
    high watermark and last stable offset, and the position."""
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             fetch_max_wait_ms=100)
    await probe.start()
    try:
        probe.assign([tp])
        probe.seek(tp, offset)
        records: list[Any] = []
        deadline = asyncio.get_running_loop().time() + patience
        while asyncio.get_running_loop().time() < deadline:
            records += (await probe.getmany(tp, timeout_ms=300)).get(tp, [])
            highwater = probe.highwater(tp)
            if probe.last_poll_timestamp(tp) is not None and highwater is not None \
                    and await probe.position(tp) >= highwater:
                break
        return {"offsets": [r.offset for r in records],
                "ids": [uuid.UUID(dict(r.headers)["ce_id"].decode()) for r in records],
                "highwater": probe.highwater(tp),
                "last_stable": probe.last_stable_offset(tp), "position": await probe.position(tp)}
    finally:
        await probe.stop()


async def _facts(bootstrap: str, tp: TopicPartition) -> dict[str, Any]:
    fetched = await _fetched(bootstrap, tp)
    return {"list_offsets": await _listed(bootstrap, tp, "read_uncommitted"),
            "list_offsets_read_committed": await _listed(bootstrap, tp, "read_committed"),
            "highwater": fetched["highwater"], "last_stable": fetched["last_stable"],
            "read": len(fetched["offsets"])}


def _expect(listed: int, end: int) -> dict[str, Any]:
    return {"list_offsets": listed, "list_offsets_read_committed": listed,
            "highwater": end, "last_stable": end, "read": end}


async def test_an_empty_partition(bootstrap: str, tansu_producer: AIOKafkaProducer) -> None:
    tp = await _topic(bootstrap, tansu_producer)
    assert await _facts(bootstrap, tp) == _expect(listed=0, end=0)


async def test_one_record(bootstrap: str, tansu_producer: AIOKafkaProducer) -> None:
    tp = await _topic(bootstrap, tansu_producer)
    await _one_by_one(tansu_producer, tp, 1)
    assert await _facts(bootstrap, tp) == _expect(listed=1, end=1)


async def test_records_in_one_batch_list_offsets_is_the_batch_start_plus_one(
        bootstrap: str, tansu_producer: AIOKafkaProducer) -> None:
    """ListOffsets (latest) answers the first offset of the batch written last, plus one:
    short of the end by the batch's size less one. The fetch's high watermark is the end."""
    tp = await _topic(bootstrap, tansu_producer)
    await _one_batch(tansu_producer, tp, 5)
    assert await _facts(bootstrap, tp) == _expect(listed=1, end=5)


async def test_records_one_by_one(bootstrap: str, tansu_producer: AIOKafkaProducer) -> None:
    tp = await _topic(bootstrap, tansu_producer)
    await _one_by_one(tansu_producer, tp, 5)
    assert await _facts(bootstrap, tp) == _expect(listed=5, end=5)


async def test_after_more_records_arrive(bootstrap: str,
                                        tansu_producer: AIOKafkaProducer) -> None:
    tp = await _topic(bootstrap, tansu_producer)
    await _one_batch(tansu_producer, tp, 5)
    await _one_batch(tansu_producer, tp, 3)
    assert await _facts(bootstrap, tp) == _expect(listed=6, end=8)
    await _one_by_one(tansu_producer, tp, 1)
    assert await _facts(bootstrap, tp) == _expect(listed=9, end=9)
    await _one_batch(tansu_producer, tp, 2)
    assert await _facts(bootstrap, tp) == _expect(listed=10, end=11)


async def test_a_fetch_from_inside_a_batch_answers_the_rest_of_it(
        bootstrap: str, tansu_producer: AIOKafkaProducer) -> None:
    tp = await _topic(bootstrap, tansu_producer)
    await _one_batch(tansu_producer, tp, 5)
    alone = await _fetched(bootstrap, tp, offset=2, patience=2.0)
    assert (alone["offsets"], alone["highwater"], alone["position"]) == ([2, 3, 4], 5, 5)
    await _one_batch(tansu_producer, tp, 3)
    followed = await _fetched(bootstrap, tp, offset=2, patience=2.0)
    assert followed["offsets"] == [2, 3, 4, 5, 6, 7]


async def _commit(bootstrap: str, group: str, tp: TopicPartition, offset: int) -> None:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([tp])
        await consumer.commit({tp: OffsetAndMetadata(offset, "")})
    finally:
        await consumer.stop()


@pytest.mark.parametrize("after", [0, 3])
async def test_the_unread_events_of_a_batch_a_group_committed_inside_are_found(
        bootstrap: str, tansu_producer: AIOKafkaProducer, after: int) -> None:
    """A group committed offset 3 of a batch of 5 (ListOffsets: 1): the events at 3 and 4 are
    unread, and the republish point must see them (and those of a batch after)."""
    tp = await _topic(bootstrap, tansu_producer)
    await _one_batch(tansu_producer, tp, 5)
    if after:
        await _one_batch(tansu_producer, tp, after)
    every = (await _fetched(bootstrap, tp))["ids"]
    assert len(every) == 5 + after
    group = f"tansu-offsets-{uuid.uuid4().hex[:8]}"
    await _commit(bootstrap, group, tp, 3)
    unread = await _first_unread_event_ids(bootstrap, [tp.topic], {group: [tp.topic]})
    assert unread == {tp.topic: every[3:]}
