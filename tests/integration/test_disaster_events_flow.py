"""Through the real broker: the register's events fill the disaster read model (the occupants
of a house), and the disaster relay publishes HouseDamageAssessed for certificates."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from kyodo_disaster_events import TOPIC

from kyodo_common.clock import today_in_japan
from kyodo_common.db import Database, UnitOfWork
from kyodo_common.events.inbox import InboxConsumer
from kyodo_common.events.kafka import make_consumer
from kyodo_common.events.relay import OutboxRelay
from kyodo_disaster.worker import SUBSCRIPTIONS
from kyodo_residents.service_layer.register import register_resident
from kyodo_testing import Infrastructure

from .conftest import SANJO
from .disaster_kit import Clerk, disaster_app, unique_block
from .factories import new_resident

pytestmark = pytest.mark.integration


async def _until(condition: Callable[[], Awaitable[bool]], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_registered_residents_become_occupants_and_assessments_are_published(
    infrastructure: Infrastructure, residents_db: Database, disaster_db: Database,
    producer: AIOKafkaProducer, tmp_path_factory: pytest.TempPathFactory,
) -> None:
    address = f"新潟県三条市旭町二丁目{unique_block()}番1号"
    arguments = new_resident()
    arguments["address"] = address
    async with UnitOfWork(residents_db, source="kyodo/residents", municipality_code=SANJO) as uow:
        registered = await register_resident(uow=uow, **arguments, today=today_in_japan())
        await uow.commit()

    stop = asyncio.Event()
    consumer = InboxConsumer(name=f"test-disaster-{uuid.uuid4().hex[:8]}", db=disaster_db,
                             bootstrap_servers=infrastructure.bootstrap_servers,
                             subscriptions=SUBSCRIPTIONS, dead_letters=producer)
    relays = [OutboxRelay(infrastructure.urls(name)["RELAY_DATABASE_URL"], producer,
                          poll_interval=0.2) for name in ("residents", "disaster")]
    tasks = [asyncio.create_task(r.run(stop)) for r in relays]
    tasks.append(asyncio.create_task(consumer.run(stop)))
    reader = make_consumer(infrastructure.bootstrap_servers, f"peek-{uuid.uuid4().hex[:8]}",
                           TOPIC)
    await reader.start()
    try:
        async def in_read_model() -> bool:
            async with disaster_db.tenant_transaction(SANJO) as session:
                count = (await session.execute(sa.text(
                    "SELECT count(*) FROM residents WHERE resident_id = :id"),
                    {"id": registered.resident_id})).scalar_one()
                return bool(count == 1)

        await _until(in_read_model)
        async with disaster_app(infrastructure, tmp_path_factory.mktemp("var")) as client:
            clerk = Clerk(client, SANJO)
            disaster = await clerk.declare()
            house = await clerk.house(disaster["id"], address)
            assert house["occupant_ids"] == [str(registered.resident_id)]
            assert (await clerk.survey(house, "50")).status_code == 201

        found: dict[str, object] | None = None
        deadline = asyncio.get_running_loop().time() + 30
        while found is None and asyncio.get_running_loop().time() < deadline:
            batches = await reader.getmany(timeout_ms=500)
            for message in (m for ms in batches.values() for m in ms):
                if message.key == house["id"].encode():
                    headers = dict(message.headers)
                    assert headers["ce_municipality"] == SANJO.encode()
                    found = json.loads(message.value or b"{}")
    finally:
        stop.set()
        await reader.stop()
        await asyncio.wait_for(asyncio.gather(*tasks), 20)
    assert found is not None, "HouseDamageAssessed never reached the topic"
    assert found["grade"] == "全壊" and found["occupant_resident_ids"] == [
        str(registered.resident_id)]
