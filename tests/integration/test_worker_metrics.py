"""A worker's metrics: outbox backlog and age, consumer lag, dead letters, on /metrics."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import pytest
from kyodo_residents_events import TOPIC, ResidentRegistered
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.events import Envelope
from kyodo_common.events.inbox import InboxConsumer, Subscription
from kyodo_common.events.metrics import EventMetricsSampler, register_outbox, sample_outbox
from kyodo_common.events.relay import OutboxRelay
from kyodo_launcher.processes import Child
from kyodo_residents.service_layer.register import register_resident
from kyodo_testing import Infrastructure, free_port

from .conftest import SANJO
from .factories import kafka_record, new_resident, registered_event

pytestmark = pytest.mark.integration


def _value(name: str, text: str | None = None, **labels: str) -> float:
    text = text if text is not None else generate_latest(REGISTRY).decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


async def _register(db: Database, count: int) -> None:
    for _ in range(count):
        async with UnitOfWork(db, source="kyodo/residents", municipality_code=SANJO) as uow:
            await register_resident(uow=uow, **new_resident(), today=today_in_japan())
            await uow.commit()


async def test_the_backlog_gauges_follow_the_unpublished_rows(
    infrastructure: Infrastructure, residents_db: Database, producer: object,
) -> None:
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    register_outbox()  # as the worker's sampler does
    relay = OutboxRelay(relay_url, producer)  # type: ignore[arg-type]
    conn = await asyncpg.connect(asyncpg_dsn(relay_url))
    try:
        while await relay.publish_batch(conn):  # what earlier tests left
            pass
        assert await sample_outbox(conn) == (0, 0.0)
        assert _value("kyodo_outbox_backlog") == 0

        await _register(residents_db, 3)
        await asyncio.sleep(0.3)
        backlog, age = await sample_outbox(conn)
        assert backlog == 3 and age >= 0.3
        assert _value("kyodo_outbox_backlog") == 3
        assert _value("kyodo_outbox_oldest_unpublished_age_seconds") == age

        published = _value("kyodo_outbox_published_total")
        while await relay.publish_batch(conn):
            pass
        assert _value("kyodo_outbox_published_total") == published + 3
        assert await sample_outbox(conn) == (0, 0.0)
        assert _value("kyodo_outbox_oldest_unpublished_age_seconds") == 0
    finally:
        await conn.close()


async def test_a_dead_lettered_event_counts_under_its_group_and_topic(
    infrastructure: Infrastructure, certificates_db: Database, producer: object,
) -> None:
    async def always_fails(session: AsyncSession, event: ResidentRegistered,
                           envelope: Envelope) -> None:
        raise RuntimeError("read model is broken")

    record = kafka_record(registered_event("毒", family_name="計測"))

    group = f"metrics-{uuid.uuid4().hex[:8]}"
    consumer = InboxConsumer(
        name=group, db=certificates_db, bootstrap_servers=infrastructure.bootstrap_servers,
        subscriptions=[Subscription(ResidentRegistered, always_fails)],
        dead_letters=producer, max_attempts=2, retry_delay=0.01,  # type: ignore[arg-type]
    )
    labels = {"group": group, "topic": TOPIC}
    assert f'kyodo_consumer_dead_letters_total{{group="{group}",topic="{TOPIC}"}} 0.0' in \
        generate_latest(REGISTRY).decode()  # there from the start, so `increase` sees the 1
    await consumer.handle(record)  # type: ignore[arg-type]
    assert _value("kyodo_consumer_dead_letters_total", **labels) == 1
    assert _value("kyodo_consumer_events_total", group=group, outcome="applied") == 0


async def test_the_lag_of_a_group_that_has_read_nothing_is_the_whole_topic(
    infrastructure: Infrastructure, residents_db: Database, producer: object,
) -> None:
    relay_url = infrastructure.urls("residents")["RELAY_DATABASE_URL"]
    await _register(residents_db, 2)
    conn = await asyncpg.connect(asyncpg_dsn(relay_url))
    try:
        relay = OutboxRelay(relay_url, producer)  # type: ignore[arg-type]
        while await relay.publish_batch(conn):
            pass
    finally:
        await conn.close()
    group = f"never-read-{uuid.uuid4().hex[:8]}"
    sampler = EventMetricsSampler(None, infrastructure.bootstrap_servers, [], 1.0)
    await sampler.sample_lag(group, [TOPIC])
    assert _value("kyodo_consumer_lag", group=group) >= 2


async def test_the_worker_serves_its_metrics_on_the_metrics_port(
    infrastructure: Infrastructure, tmp_path: Path,
) -> None:
    port = free_port()
    env = {**infrastructure.urls("residents"), "KYODO_SERVICE": "residents",
           "KAFKA_BOOTSTRAP_SERVERS": infrastructure.bootstrap_servers,
           "KYODO_METRICS_PORT": str(port), "KYODO_METRICS_INTERVAL_SECONDS": "0.5",
           "KYODO_VAR_DIR": str(tmp_path)}
    worker = Child("residents-worker", [sys.executable, "-m", "kyodo_residents.worker"],
                   tmp_path / "worker.log", env=env)
    worker.start()
    try:
        text = ""
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                assert worker.alive(), (tmp_path / "worker.log").read_text()
                try:
                    text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                except httpx.TransportError:
                    text = ""
                if 'kyodo_consumer_lag{group="residents.transfers"}' in text \
                        and "kyodo_outbox_backlog " in text:
                    break
                await asyncio.sleep(0.2)
        assert 'kyodo_consumer_lag{group="residents.transfers"}' in text, text
        assert "kyodo_outbox_oldest_unpublished_age_seconds " in text
        assert "# TYPE kyodo_consumer_dead_letters_total counter" in text
    finally:
        worker.stop()
    assert not worker.alive()


async def test_a_worker_waiting_for_the_broker_already_answers_its_health_check(
    tmp_path: Path,
) -> None:
    """Liveness (Kubernetes) and the compose health check ask /metrics: a worker that waits
    for an absent broker is alive, and must not be restarted for it."""
    port, nowhere = free_port(), free_port()
    worker = Child("residents-worker", [sys.executable, "-m", "kyodo_residents.worker"],
                   tmp_path / "worker.log",
                   env={"KYODO_SERVICE": "residents", "KYODO_VAR_DIR": str(tmp_path),
                        "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{nowhere}",
                        "KYODO_METRICS_PORT": str(port)})
    worker.start()
    try:
        status, waiting = 0, False
        deadline = time.monotonic() + 30
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline and not (status == 200 and waiting):
                assert worker.alive(), (tmp_path / "worker.log").read_text()
                waiting = "broker not reachable yet" in (tmp_path / "worker.log").read_text()
                try:
                    status = (await client.get(f"http://127.0.0.1:{port}/metrics")).status_code
                except httpx.TransportError:
                    status = 0
                await asyncio.sleep(0.2)
        assert waiting, "the worker is not waiting for the broker"
        assert status == 200
    finally:
        worker.stop()
    assert not worker.alive()
