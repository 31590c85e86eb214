"""Event metrics of a worker: outbox backlog and age, consumer lag, dead letters.

The counters move where the work happens (relay, inbox consumer). The gauges are sampled by
`EventMetricsSampler` in the worker every KYODO_METRICS_INTERVAL_SECONDS, so a scrape only
reads numbers and never waits on the database or the broker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import asyncpg
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge

from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.events.kafka import consumer_lag
from kyodo_common.runtime import sleep_or_stop

log = logging.getLogger(__name__)

# The outbox's metrics are registered by the process that runs the relay (`register_outbox`):
# unlabelled, they would otherwise show a misleading 0 in every API process that imports this.
OUTBOX_BACKLOG = Gauge(
    "kyodo_outbox_backlog", "Events committed to the outbox and not yet published",
    registry=None,
)
OUTBOX_OLDEST_AGE = Gauge(
    "kyodo_outbox_oldest_unpublished_age_seconds",
    "Age of the oldest event not yet published (0 when none waits)", registry=None,
)
OUTBOX_PUBLISHED = Counter(
    "kyodo_outbox_published", "Events published by the relay and acknowledged by the broker",
    registry=None,
)
CONSUMER_LAG = Gauge(
    "kyodo_consumer_lag", "Messages on the group's topics not yet committed by the group",
    ["group"],
)
CONSUMER_EVENTS = Counter(
    "kyodo_consumer_events", "Events handled by a consumer group: applied or duplicate",
    ["group", "outcome"],
)
DEAD_LETTERS = Counter(
    "kyodo_consumer_dead_letters",
    "Events a consumer group gave up on and sent to the topic's dead-letter topic",
    ["group", "topic"],
)

_registered: set[int] = set()


def register_outbox(registry: CollectorRegistry = REGISTRY) -> None:
    """Expose the outbox's metrics in this process (once)."""
    if id(registry) not in _registered:
        for metric in (OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE, OUTBOX_PUBLISHED):
            registry.register(metric)
        _registered.add(id(registry))


_BACKLOG = """
    SELECT count(*) AS backlog,
           coalesce(extract(epoch FROM now() - min(o.created_at)), 0)::float8 AS oldest_age
    FROM outbox_pending AS p JOIN outbox AS o USING (id)
"""


async def sample_outbox(conn: asyncpg.Connection) -> tuple[int, float]:
    """(unpublished events, age of the oldest in seconds); sets the gauges."""
    row = await conn.fetchrow(_BACKLOG)
    assert row is not None
    backlog, age = int(row["backlog"]), max(0.0, float(row["oldest_age"]))
    OUTBOX_BACKLOG.set(backlog)
    OUTBOX_OLDEST_AGE.set(age)
    return backlog, age


class EventMetricsSampler:
    """Samples the outbox (through the relay's role, which sees every tenant's rows) and the
    lag of each consumer group of the worker."""

    def __init__(self, relay_database_url: str | None, bootstrap_servers: str,
                 groups: Sequence[tuple[str, list[str]]], interval: float) -> None:
        self._dsn = asyncpg_dsn(relay_database_url) if relay_database_url else None
        if self._dsn:
            register_outbox()
        self._bootstrap = bootstrap_servers
        self._groups = list(groups)
        self._interval = interval

    async def run(self, stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(self._dsn) if self._dsn else None
        try:
            while not stop.is_set():
                if conn is not None:
                    await sample_outbox(conn)
                for group, topics in self._groups:
                    await self.sample_lag(group, topics)
                await sleep_or_stop(stop, self._interval)
        finally:
            if conn is not None:
                await conn.close()

    async def sample_lag(self, group: str, topics: list[str]) -> None:
        try:
            CONSUMER_LAG.labels(group).set(await consumer_lag(self._bootstrap, group, topics))
        except Exception as exc:  # the broker away: keep the last value, try next round
            log.warning("consumer lag of %s not sampled (%s)", group, type(exc).__name__)
