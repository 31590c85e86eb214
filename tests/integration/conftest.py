"""Integration tier: real PostgreSQL and broker (see kyodo_testing)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaProducer

from kyodo_common.db import Database
from kyodo_common.events.kafka import make_producer
from kyodo_testing import Infrastructure

pytestmark = pytest.mark.integration

SANJO, NAGAOKA, MITSUKE = "152048", "152021", "152111"


@pytest.fixture(scope="session")
async def residents_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("residents")["DATABASE_URL"])
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
async def certificates_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("certificates")["DATABASE_URL"])
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
async def tax_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("tax")["DATABASE_URL"])
    yield db
    await db.dispose()


@pytest.fixture(scope="session")
async def disaster_db(infrastructure: Infrastructure) -> AsyncIterator[Database]:
    db = Database(infrastructure.urls("disaster")["DATABASE_URL"])
    yield db
    await db.dispose()


@pytest.fixture
async def producer(infrastructure: Infrastructure) -> AsyncIterator[AIOKafkaProducer]:
    """A started producer with the platform's settings (the relays' and dead letters')."""
    p = make_producer(infrastructure.bootstrap_servers)
    await p.start()
    yield p
    await p.stop()
