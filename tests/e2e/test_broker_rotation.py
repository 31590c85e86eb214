"""The embedded broker's memory is bounded: Tansu 0.6 keeps every record in memory, so the
launcher rotates it (kyodo_launcher.recovery.should_rotate) past KYODO_BROKER_MEMORY_MB. A
rotation drops only what every consumer group had committed, and a lagging group's unread
events come back from the outbox: nothing is lost, nothing applied twice."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer

from kyodo_common.db import asyncpg_dsn

from .conftest import RunningPlatform, running_platform
from .test_broker_recovery import _arrived_once, _published, _register, _until

pytestmark = pytest.mark.e2e
NAGAOKA = "152021"
ROTATE_AFTER = 20  # seconds: the broker's least age
MARGIN = 10  # seconds: the points' margin (the tests' transactions take milliseconds)
ROTATE_LAG = 600  # the most lag a rotation does not wait out: more than this test's
RESIDENTS_TOPIC = "kyodo.residents.v1"


def _recovery(platform: RunningPlatform) -> dict[str, Any]:
    return platform.state().get("recovery") or {}


def _rotated(platform: RunningPlatform) -> None:
    """A rotation that begins after now, and its republication."""
    before = _recovery(platform).get("broker_rotations", 0)
    last = (_recovery(platform).get("last") or {}).get("at")
    _until(lambda: _recovery(platform).get("broker_rotations", 0) > before,
           6 * ROTATE_AFTER, "a rotation of the broker")
    # The count goes up before the new broker starts; its republication is the next `last`.
    _until(lambda: (_recovery(platform).get("last") or {}).get("at") != last,
           60, "its republication")
    _until(lambda: _published(platform), 60, "residents' relay")


def _event_ids(platform: RunningPlatform, resident_ids: list[str]) -> set[uuid.UUID]:
    async def fetch() -> set[uuid.UUID]:
        conn = await asyncpg.connect(asyncpg_dsn(platform.state()["databases"]["residents"]))
        try:
            rows = await conn.fetch("SELECT event_id FROM outbox WHERE subject = ANY($1)",
                                    resident_ids)
        finally:
            await conn.close()
        return {row["event_id"] for row in rows}

    return asyncio.run(fetch())


def _in_the_broker(platform: RunningPlatform) -> set[uuid.UUID]:
    """The event ids the broker holds on the register's topic."""
    async def read() -> set[uuid.UUID]:
        consumer = AIOKafkaConsumer(RESIDENTS_TOPIC,
                                    bootstrap_servers=platform.state()["bootstrap_servers"],
                                    auto_offset_reset="earliest", enable_auto_commit=False)
        await consumer.start()
        found: set[uuid.UUID] = set()
        try:
            while batch := await consumer.getmany(timeout_ms=3000):
                for records in batch.values():
                    for record in records:
                        ce_id = dict(record.headers or ()).get("ce_id")
                        if ce_id:
                            found.add(uuid.UUID(ce_id.decode()))
        finally:
            await consumer.stop()
        return found

    return asyncio.run(read())


@pytest.mark.timeout(600)  # three rotations at least ROTATE_AFTER apart, after the start
def test_rotations_drop_what_every_group_read_and_lose_nothing_a_lagging_one_did_not(
        tmp_path: Path) -> None:
    with running_platform(tmp_path / "var", startup_limit=240, KYODO_BROKER_MEMORY_MB="1",
                          KYODO_BROKER_ROTATE_AFTER=str(ROTATE_AFTER),
                          KYODO_BROKER_ROTATE_LAG=str(ROTATE_LAG),
                          KYODO_REPUBLISH_MARGIN=str(MARGIN)) as platform:
        token = platform.login(NAGAOKA)
        # Consumers keeping up: once every group read them (and the points' margin passed),
        # a rotation leaves them behind; the broker holds only the recent events.
        read = _register(platform, token, "読", 1)
        _arrived_once(platform, read)
        _rotated(platform)
        _rotated(platform)  # a rotation whose points came after the margin
        held = _in_the_broker(platform)
        assert not held & _event_ids(platform, read), "read by every group, still held"
        # A lagging group (certificates' worker paused): a rotation meanwhile, and still
        # every event reaches every reader once.
        worker = platform.pid("certificates-worker")
        os.kill(worker, signal.SIGSTOP)
        try:
            unread = _register(platform, token, "遅", 2)
            _until(lambda: _published(platform), 60, "residents' relay")
            _rotated(platform)
            assert _event_ids(platform, unread) <= _in_the_broker(platform)
            assert platform.pid("certificates-worker") != worker  # replaced, not resumed
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGCONT)
        _arrived_once(platform, unread)
        _arrived_once(platform, read)
        status = platform.kyodo("status")
        assert "Broker restarts: 0; rotations (memory bound): " in status.stdout
