"""No loss, no duplicates: broker paused and relay killed while 1,000 residents register."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from kyodo_common.db import asyncpg_dsn
from kyodo_common.events.kafka import consumer_lag
from kyodo_launcher.processes import pid_alive

from .conftest import RunningPlatform
from .delivery import REGISTER_READERS, delivery_of

pytestmark = pytest.mark.e2e
NAGAOKA = "152021"
RESIDENTS = 1000
CONCURRENCY = 16


def _body(n: int) -> dict[str, str]:
    return {"family_name": "長岡", "given_name": f"市民{n}", "family_name_kana": "ナガオカ",
            "given_name_kana": "シミン", "birth_date": "1960-01-01", "sex": "female",
            "postal_code": "9408501", "address": f"新潟県長岡市大手通1丁目{n}番"}


async def _register_all(platform: RunningPlatform, token: str) -> list[str]:
    ids: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(RESIDENTS):
        queue.put_nowait(n)
    broker_pid = platform.pid("broker")

    async def clerk(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            n = queue.get_nowait()
            response = await client.post(
                f"/v1/municipalities/{NAGAOKA}/residents", json=_body(n),
                headers={"Idempotency-Key": uuid.uuid4().hex})
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])

    async def saboteur() -> None:
        while len(ids) < RESIDENTS // 5:
            await asyncio.sleep(0.01)
        os.kill(broker_pid, signal.SIGSTOP)  # the broker hangs, connections stay open
        await asyncio.sleep(4)
        os.kill(broker_pid, signal.SIGCONT)
        while len(ids) < RESIDENTS // 2:
            await asyncio.sleep(0.01)
        os.kill(platform.pid("residents-worker"), signal.SIGKILL)  # the relay dies mid-flight

    async with httpx.AsyncClient(base_url=platform.gateway, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        await asyncio.gather(saboteur(), *(clerk(client) for _ in range(CONCURRENCY)))
    return ids


async def _unpublished(url: str) -> int:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM outbox_pending")
        return count
    finally:
        await conn.close()


async def _eventually(check, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)


def test_every_event_arrives_exactly_once_through_broker_pause_and_relay_crash(
    platform: RunningPlatform,
) -> None:
    token = platform.login(NAGAOKA)
    started = datetime.now(UTC) - timedelta(seconds=1)
    killed_worker = platform.pid("residents-worker")
    ids = asyncio.run(_register_all(platform, token))
    assert len(set(ids)) == RESIDENTS
    state = platform.state()
    databases = state["databases"]
    residents_db = databases["residents"]
    bootstrap = state["bootstrap_servers"]

    async def all_arrived() -> bool:  # counted per event id: a duplicate would show
        return (await delivery_of(databases, ids)).exactly_once(RESIDENTS)

    asyncio.run(_eventually(all_arrived, 120))
    assert not pid_alive(killed_worker)
    assert platform.pid("residents-worker") != killed_worker  # the launcher restarted it

    # Now every event is delivered a second time.
    replay = platform.kyodo("events", "replay", "--service", "residents",
                            "--since", started.isoformat())
    assert replay.returncode == 0, replay.stderr

    async def replayed_and_consumed() -> bool:
        if await _unpublished(residents_db):
            return False
        for group in REGISTER_READERS.values():
            if await consumer_lag(bootstrap, group, ["kyodo.residents.v1"]):
                return False
        return True

    asyncio.run(_eventually(replayed_and_consumed, 120))
    delivery = asyncio.run(delivery_of(databases, ids))
    assert delivery.exactly_once(RESIDENTS), delivery
