"""The outbox's publication queue: every event written is queued, whatever statement wrote it;
the relay takes events off the queue without rewriting them, and only once the broker has
acknowledged them; commits that arrive while it lingers go out in one round, and while it
polls the writers send no NOTIFY."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.events.kafka import ensure_topics
from kyodo_common.events.relay import OutboxRelay
from kyodo_residents.service_layer.register import register_resident
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .factories import new_resident

pytestmark = pytest.mark.integration

TEST_TOPIC = "kyodo.outbox-queue-test.v1"  # events of no service: nobody consumes them


class RefusingBroker:
    """A producer whose every delivery fails, as a broker that is gone would."""

    async def send(self, *_: Any, **__: Any) -> asyncio.Future[Any]:
        delivery: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        delivery.set_exception(ConnectionError("broker unreachable"))
        return delivery


@pytest.fixture
async def relay_conn(infrastructure: Infrastructure) -> AsyncIterator[asyncpg.Connection]:
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("residents")
                                             ["RELAY_DATABASE_URL"]))
    yield conn
    await conn.close()


@pytest.fixture
async def app_conn(infrastructure: Infrastructure) -> AsyncIterator[asyncpg.Connection]:
    """The service's own role, writing as tax's bulk assessments do: a plain INSERT."""
    conn = await asyncpg.connect(asyncpg_dsn(infrastructure.urls("residents")["DATABASE_URL"]))
    yield conn
    await conn.close()


@pytest.fixture
async def test_topic(infrastructure: Infrastructure, producer: AIOKafkaProducer) -> str:
    await ensure_topics(infrastructure.bootstrap_servers, {TEST_TOPIC: 1})
    # The producer learns the new topic's leader before the relay's first try: its first send
    # to a topic created after it started was answered NotLeaderForPartition (the relay's
    # loop would retry; some tests call one round directly).
    await producer.partitions_for(TEST_TOPIC)
    return TEST_TOPIC


async def _insert_test_events(app: asyncpg.Connection, topic: str, count: int) -> None:
    """Inside the caller's transaction on the app's connection."""
    await app.execute("SELECT set_config('kyodo.municipality', $1, true)", SANJO)
    await app.execute(
        "INSERT INTO outbox (event_id, municipality_code, topic, key, type, source, time, data) "
        "SELECT gen_random_uuid(), $1, $2, 'k', 'jp.kyodo.test.v1', 'test', now(), '{}' "
        "FROM generate_series(1, $3)", SANJO, topic, count)


async def _drain(relay: OutboxRelay, conn: asyncpg.Connection) -> None:
    while await relay.publish_batch(conn):  # what earlier tests left
        pass


async def _versions(conn: asyncpg.Connection, ids: list[int]) -> dict[int, str]:
    """Each row's xmin: the transaction that wrote its current version."""
    rows = await conn.fetch("SELECT id, xmin::text AS xmin FROM outbox WHERE id = ANY($1)", ids)
    return {row["id"]: row["xmin"] for row in rows}


async def _queued(conn: asyncpg.Connection) -> set[int]:
    return {row["id"] for row in await conn.fetch("SELECT id FROM outbox_pending")}


async def test_events_are_queued_and_dequeued_without_being_rewritten(
    infrastructure: Infrastructure, residents_db: Database, producer: AIOKafkaProducer,
    relay_conn: asyncpg.Connection, app_conn: asyncpg.Connection, test_topic: str,
) -> None:
    relay = OutboxRelay(infrastructure.urls("residents")["RELAY_DATABASE_URL"], producer)
    await _drain(relay, relay_conn)
    drained = relay.published  # what earlier tests left (e.g. test_residents_api's events)
    async with UnitOfWork(residents_db, source="kyodo/residents",
                          municipality_code=SANJO) as uow:
        for _ in range(2):
            await register_resident(uow=uow, **new_resident(), today=today_in_japan())
        await uow.commit()
    async with app_conn.transaction():  # another way in: a plain INSERT by the service's role
        await _insert_test_events(app_conn, test_topic, 3)

    queued = await _queued(relay_conn)
    assert len(queued) == 5
    written = await _versions(relay_conn, sorted(queued))
    assert set(written) == queued

    assert await relay.publish_batch(relay_conn) == 5
    assert await _queued(relay_conn) == set()
    assert await _versions(relay_conn, sorted(queued)) == written, "publishing rewrote events"
    assert relay.published - drained == 5


async def test_events_the_broker_does_not_acknowledge_stay_queued(
    infrastructure: Infrastructure, residents_db: Database, producer: AIOKafkaProducer,
    relay_conn: asyncpg.Connection,
) -> None:
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    await _drain(OutboxRelay(relay_url, producer), relay_conn)
    async with UnitOfWork(residents_db, source="kyodo/residents",
                          municipality_code=SANJO) as uow:
        await register_resident(uow=uow, **new_resident(), today=today_in_japan())
        await uow.commit()
    queued = await _queued(relay_conn)
    assert len(queued) == 1

    with pytest.raises(ConnectionError):
        await OutboxRelay(relay_url, RefusingBroker()).publish_batch(  # type: ignore[arg-type]
            relay_conn)
    assert await _queued(relay_conn) == queued

    assert await OutboxRelay(relay_url, producer).publish_batch(relay_conn) == 1
    assert await _queued(relay_conn) == set()


async def _register_one(residents_db: Database) -> None:
    async with UnitOfWork(residents_db, source="kyodo/residents",
                          municipality_code=SANJO) as uow:
        await register_resident(uow=uow, **new_resident(), today=today_in_japan())
        await uow.commit()


@asynccontextmanager
async def _running(relay: OutboxRelay) -> AsyncIterator[None]:
    stop = asyncio.Event()
    running = asyncio.create_task(relay.run(stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)


async def _published(relay: OutboxRelay, count: int, within: float) -> None:
    async with asyncio.timeout(within):
        while relay.published < count:
            await asyncio.sleep(0.02)


async def _rounds_for_commits(relay: OutboxRelay, residents_db: Database, *, commits: int,
                              apart: float) -> int:
    """Rounds the running relay needs for ``commits`` registrations committed ``apart``
    seconds from each other (each commit sends its own NOTIFY)."""
    async with _running(relay):
        await asyncio.sleep(0.5)  # listening, and done with what earlier tests left
        rounds_before, published_before = relay.rounds, relay.published
        for _ in range(commits):
            await _register_one(residents_db)
            await asyncio.sleep(apart)
        await _published(relay, published_before + commits, within=10)
    return relay.rounds - rounds_before


async def test_commits_arriving_while_the_relay_lingers_are_published_in_one_round(
    infrastructure: Infrastructure, residents_db: Database, producer: AIOKafkaProducer,
) -> None:
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    at_once = OutboxRelay(relay_url, producer, poll_interval=5.0)
    assert await _rounds_for_commits(at_once, residents_db, commits=3, apart=0.3) > 1

    lingering = OutboxRelay(relay_url, producer, poll_interval=5.0, linger=1.5)
    assert await _rounds_for_commits(lingering, residents_db, commits=3, apart=0.1) == 1


async def test_while_the_relay_polls_commits_send_no_notify_and_an_asleep_relay_is_woken(
    infrastructure: Infrastructure, residents_db: Database, producer: AIOKafkaProducer,
    relay_conn: asyncpg.Connection,
) -> None:
    notified: list[str] = []
    await relay_conn.add_listener("kyodo_outbox", lambda *args: notified.append(args[-1]))
    # Polling every 30 s, it can only be this quick when a NOTIFY or its own window wakes it.
    relay = OutboxRelay(infrastructure.urls("residents")["RELAY_DATABASE_URL"], producer,
                        poll_interval=30.0, linger=0.02, stay_awake=1.0)
    async with _running(relay):
        await asyncio.sleep(1.5)  # done with what earlier tests left, and asleep again
        start = relay.published
        await _register_one(residents_db)  # asleep: this commit wakes it
        await _published(relay, start + 1, within=5)
        await asyncio.sleep(0.2)
        notified.clear()
        for _ in range(5):  # awake (within a second of the last event): polled, not notified
            await _register_one(residents_db)
            await asyncio.sleep(0.1)
        await _published(relay, start + 6, within=5)
        assert notified == []

        await asyncio.sleep(1.5)  # a second without events: asleep again
        await _register_one(residents_db)
        await _published(relay, start + 7, within=5)
        assert len(notified) == 1


async def test_a_writer_that_saw_the_relay_awake_is_published_before_it_falls_asleep(
    infrastructure: Infrastructure, residents_db: Database, producer: AIOKafkaProducer,
    app_conn: asyncpg.Connection, test_topic: str,
) -> None:
    """The writer queues its event while the relay polls (so it sends no NOTIFY) and commits
    only after the relay's window has passed: the relay keeps polling until it has ended, and
    meanwhile other writers are not held up."""
    relay = OutboxRelay(infrastructure.urls("residents")["RELAY_DATABASE_URL"], producer,
                        poll_interval=30.0, linger=0.02, stay_awake=0.5)
    async with _running(relay):
        await asyncio.sleep(1.0)
        start = relay.published
        await _register_one(residents_db)  # wakes it
        await _published(relay, start + 1, within=5)
        async with app_conn.transaction():
            await _insert_test_events(app_conn, test_topic, 1)  # while the relay is awake
            await asyncio.sleep(1.0)  # past its window
            async with asyncio.timeout(0.5):
                await _register_one(residents_db)  # another writer meanwhile
        await _published(relay, start + 3, within=5)
