"""The embedded broker came back empty (killed, or rotated for its memory) under a worker that
had read it: every event the new broker holds is still handled, each by its id (issue #21's
review: a reader that lives through keeps its old positions).

The risky order, made certain: the worker has read a partition up to offset 50 and applied
those events without committing their offsets yet (its handler holds the last one) and is
paused (SIGSTOP: it cannot fetch, heartbeat or commit); the broker is killed and started
again, empty, on the same port, the way the launcher's supervisor does it
(kyodo_launcher.broker.start_empty); 100 events with new ids reach the new broker's
partition before the worker can fetch again. A worker that lived through, once its heartbeat
was refused, committed offset 50 into the new broker (aiokafka as generation -1, which Tansu
takes while the group is joined again) and, joined again, read the new log from 50: 50 of
the 100 events were never handled (seen with the supervisor's old order, the broker alone).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.client import AIOKafkaClient, CoordinationType
from aiokafka.protocol.commit import OffsetCommitRequest

from kyodo_common.db import Database
from kyodo_common.events import Envelope
from kyodo_common.events.kafka import ensure_topics, make_producer
from kyodo_launcher import broker
from kyodo_launcher.processes import Child
from kyodo_testing import Infrastructure, free_port

from .broker_reader import HELD, TOPIC, Numbered
from .conftest import SANJO

pytestmark = pytest.mark.integration

READ = HELD + 1  # events the worker read from the old broker (offsets 0..49)
AFTER = 2 * READ  # events with new ids on the new broker, before the worker fetches again
READER = Path(__file__).with_name("broker_reader.py")
NOT_RECOGNIZED = "local member_id was not recognized"  # aiokafka's log when a heartbeat is refused


async def _until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def _listening(port: int) -> None:
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            assert asyncio.get_running_loop().time() < deadline, "the broker does not listen"
            await asyncio.sleep(0.05)


async def _produce(bootstrap: str, numbers: Iterable[int]) -> list[str]:
    """Events on the topic's one partition, in order; their ids."""
    await ensure_topics(bootstrap, {TOPIC: 1})
    producer = make_producer(bootstrap)
    await producer.start()
    ids = []
    try:
        for number in numbers:
            event = Numbered(number=number)
            envelope = Envelope(type=Numbered.event_type, source="kyodo/test",
                                subject=event.subject, municipality=SANJO,
                                data=event.model_dump_json().encode())
            await producer.send(TOPIC, value=envelope.data, key=b"one", partition=0,
                                headers=envelope.kafka_headers())
            ids.append(envelope.id)
        await producer.flush()
    finally:
        await producer.stop()
    return ids


async def _handled(db: Database, group: str) -> set[str]:
    """The ids of the events the worker applied (its inbox rows)."""
    async with db.tenant_transaction(SANJO) as session:
        rows = await session.execute(sa.text("SELECT event_id FROM inbox WHERE consumer = :c"),
                                     {"c": group})
        return {str(row[0]) for row in rows}


async def test_a_worker_paused_across_an_empty_broker_handles_everything_the_new_one_holds(
        infrastructure: Infrastructure, tmp_path: Path) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    group = f"test-empty-broker-{uuid.uuid4().hex[:8]}"
    hold, holding = tmp_path / "hold", tmp_path / "holding"
    tansu = broker.broker(port, tmp_path / "broker.log")
    log = tmp_path / "worker.log"
    worker = Child("reader-worker", [sys.executable, str(READER)], log,
                   env={"KYODO_SERVICE": "reader", "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                        "DATABASE_URL": infrastructure.urls("certificates")["DATABASE_URL"],
                        "KYODO_TEST_GROUP": group, "KYODO_TEST_HOLD": str(hold),
                        "KYODO_TEST_HOLDING": str(holding), "PYTHONUNBUFFERED": "1"})
    db = Database(infrastructure.urls("certificates")["DATABASE_URL"], pool_size=1)
    handled: set[str] = set()
    tansu.start()
    try:
        await _listening(port)
        await ensure_topics(bootstrap, {TOPIC: 1})
        hold.touch()
        worker.start()
        read = await _produce(bootstrap, range(READ))
        await _until(holding.exists, 45, "the worker to apply the events it read")
        paused = worker.pid
        assert paused is not None
        os.kill(paused, signal.SIGSTOP)
        assert tansu.process is not None
        tansu.process.kill()  # a crash: the broker's memory is gone
        tansu.process.wait(5)
        broker.start_empty(tansu, [worker])  # what the supervisor does:
        await _listening(port)
        await ensure_topics(bootstrap, {TOPIC: 1})  # the topics, then the workers
        broker.release([worker])
        after = await _produce(bootstrap, range(1000, 1000 + AFTER))
        if worker.pid == paused:
            # A worker that lived through goes on, and the worst order for it is made certain:
            # its heartbeat is refused first (aiokafka then commits as generation -1 with no
            # member id, which Tansu takes while the group is joined again), then it commits
            # what it applied. Its commit before the heartbeat would be refused and its
            # consumer started again (CommitFailedError), which reads the new log from 0.
            os.kill(paused, signal.SIGCONT)
            await _until(lambda: NOT_RECOGNIZED in log.read_text(), 20,
                         "the worker's heartbeat to be refused by the new broker")
        hold.unlink()

        async def poll() -> None:
            while not set(after) <= handled:
                handled.update(await _handled(db, group))
                await asyncio.sleep(0.2)

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(poll(), 40)
    finally:
        worker.kill()
        tansu.stop()
        await db.dispose()
    missing = set(after) - handled
    assert not missing, (f"{len(missing)} of the {AFTER} events on the new broker never "
                         f"handled (the worker had read {len(read)} from the old one)")
    assert worker.pid != paused  # the worker that read the old broker did not live into the new


async def test_a_worker_paused_for_a_rotation_lives_through_and_reads_the_new_broker(
        infrastructure: Infrastructure, tmp_path: Path) -> None:
    """A rotation pauses the workers instead of killing them (kyodo_common.worker_pause):
    the same process, its broker clients new, handles every event the new broker holds."""
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    group = f"test-paused-worker-{uuid.uuid4().hex[:8]}"
    tansu = broker.broker(port, tmp_path / "broker.log")
    worker = Child("reader-worker", [sys.executable, str(READER)], tmp_path / "worker.log",
                   env={"KYODO_SERVICE": "reader", "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
                        "DATABASE_URL": infrastructure.urls("certificates")["DATABASE_URL"],
                        "KYODO_TEST_GROUP": group, "KYODO_TEST_HOLD": str(tmp_path / "none"),
                        "KYODO_TEST_HOLDING": str(tmp_path / "holding"),
                        "PYTHONUNBUFFERED": "1"},
                   paused_file=tmp_path / "run" / "reader-worker.paused")
    db = Database(infrastructure.urls("certificates")["DATABASE_URL"], pool_size=1)
    handled: set[str] = set()

    async def handle(ids: list[str], what: str) -> None:
        async def poll() -> None:
            while not set(ids) <= handled:
                handled.update(await _handled(db, group))
                await asyncio.sleep(0.2)

        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(poll(), 40)
        missing = set(ids) - handled
        assert not missing, f"{len(missing)} of the {len(ids)} events {what} never handled"

    tansu.start()
    try:
        await _listening(port)
        await ensure_topics(bootstrap, {TOPIC: 1})
        worker.start()
        await handle(await _produce(bootstrap, range(READ)), "on the old broker")
        before = worker.pid
        await broker.quiesce([worker], timeout=20)
        assert worker.pid == before and worker.paused(), "the worker did not pause"
        tansu.stop(timeout=5.0)
        broker.start_empty(tansu, [worker])
        await _listening(port)
        await ensure_topics(bootstrap, {TOPIC: 1})
        broker.release([worker])
        await handle(await _produce(bootstrap, range(1000, 1000 + AFTER)), "on the new broker")
        assert worker.pid == before  # lived through: no process started again
        assert not worker.paused()
    finally:
        worker.kill()
        tansu.stop()
        await db.dispose()


async def test_why_tansu_cannot_tell_a_reader_of_its_former_self(tmp_path: Path) -> None:
    """What Tansu 0.6 does that lets a surviving reader skip events (the reason for
    start_empty; if this fails after an upgrade, the restart is still correct): a fetch past
    the end of its log answers nothing, not OffsetOutOfRange (on which aiokafka would go back
    to the earliest offset); an OffsetCommit from a member it does not know is refused, but
    one as generation -1 with no member id (what aiokafka sends once its heartbeat was
    refused, until it has joined again) is taken for a group not formed yet."""
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    partition = TopicPartition(TOPIC, 0)
    tansu = broker.broker(port, tmp_path / "broker.log")
    tansu.start()
    try:
        await _listening(port)
        await _produce(bootstrap, [1])  # a log of one event
        reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                  auto_offset_reset="earliest")
        await reader.start()
        try:
            reader.assign([partition])
            reader.seek(partition, READ)
            assert await reader.getmany(timeout_ms=1500) == {}
            assert await reader.position(partition) == READ  # not reset to the earliest
        finally:
            await reader.stop()
        refused = await _commit(bootstrap, 7, "a-member-of-the-old-broker")
        taken = await _commit(bootstrap, -1, "")
        assert (refused, taken) == ((25, -1), (0, READ))  # 25: UNKNOWN_MEMBER_ID
    finally:
        tansu.stop()


async def _commit(bootstrap: str, generation: int, member: str) -> tuple[int, int]:
    """An OffsetCommit of offset READ for a new group: its error code, and what the group has
    committed after it (-1: nothing)."""
    group = f"test-commit-{uuid.uuid4().hex[:8]}"
    partition = TopicPartition(TOPIC, 0)
    client = AIOKafkaClient(bootstrap_servers=bootstrap)
    await client.bootstrap()
    try:
        coordinator = await client.coordinator_lookup(CoordinationType.GROUP, group)
        response = await client.send(coordinator, OffsetCommitRequest(
            group, generation, member, -1, [(TOPIC, [(0, READ, "")])]))
    finally:
        await client.close()
    [code] = [code for _, partitions in response.topics for _, code in partitions]
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group, partitions=[partition])
    finally:
        await admin.close()
    return code, committed[partition].offset if partition in committed else -1
