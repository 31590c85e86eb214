"""A service's worker process: its outbox relay and its event consumers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

import asyncpg
import uvloop

from kyodo_common.audit import seal
from kyodo_common.db.engine import Database, asyncpg_dsn
from kyodo_common.events.inbox import InboxConsumer, Subscription
from kyodo_common.events.kafka import make_producer
from kyodo_common.events.metrics import EventMetricsSampler
from kyodo_common.events.relay import OutboxRelay
from kyodo_common.logs import setup_logging
from kyodo_common.metrics import serve_metrics
from kyodo_common.runtime import settle_garbage_collector, sleep_or_stop
from kyodo_common.settings import ServiceSettings
from kyodo_common.telemetry import setup_tracing
from kyodo_common.worker_pause import PauseRequests, run_sessions

log = logging.getLogger(__name__)

# A loop of the service's own (its job queue, a scheduler) that runs until the event is set.
StoppableLoop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
# How long such a loop may take to finish after the worker stops (it stops between two units
# of work; one cut short is rolled back and done again on the next start).
ALSO_RUN_STOP_SECONDS = 10.0


def run_process(main: Coroutine[Any, Any, None]) -> None:
    """A worker's ``__main__``: the coroutine on uvloop, as the API processes run (the default
    loop costs noticeably more CPU per Kafka and PostgreSQL message)."""
    settle_garbage_collector()
    uvloop.run(main)


FIRST_RESTART_DELAY = 0.5
HEALTHY_RUN_SECONDS = 30.0


async def _keep_running(
    name: str, run: Callable[[asyncio.Event], Any], stop: asyncio.Event
) -> None:
    """Restart a loop that failed (broker or database away) until asked to stop: at once
    after a failure that ended a long healthy run (each broker rotation ends the consumers
    once; their waits had grown to 5 s a rotation and never came down), and with waits
    doubling up to 5 s while it keeps failing."""
    delay = FIRST_RESTART_DELAY
    while not stop.is_set():
        began = time.monotonic()
        try:
            await run(stop)
        except Exception as exc:
            if time.monotonic() - began >= HEALTHY_RUN_SECONDS:
                delay = FIRST_RESTART_DELAY
            log.warning("%s stopped (%s); restarting in %.1fs", name, type(exc).__name__, delay)
            await sleep_or_stop(stop, delay)
            delay = min(delay * 2, 5.0)


def _sealer(database_url: str, interval: float = 1.0) -> Callable[[asyncio.Event], Any]:
    async def run(stop: asyncio.Event) -> None:
        conn = await asyncpg.connect(asyncpg_dsn(database_url))
        try:
            while not stop.is_set():
                await seal(conn)
                await sleep_or_stop(stop, interval)
        finally:
            await conn.close()

    return run


async def run_worker(
    settings: ServiceSettings,
    *,
    consumer_name: str | None = None,
    subscriptions: Sequence[Subscription[Any]] = (),
    relay: bool = True,
    seal_access_log: bool = False,
    also_run: Sequence[StoppableLoop] = (),
) -> None:
    """Until SIGTERM/SIGINT: the relay, the sealer, the consumer, and ``also_run`` (each given
    the worker's stop event, and at most ``ALSO_RUN_STOP_SECONDS`` to finish once it is set).
    The relay, the sealer and the consumer pause while the launcher replaces the broker
    (kyodo_common.worker_pause); ``also_run`` goes on."""
    setup_logging(f"{settings.service_name}-worker", settings.log_level)
    provider = setup_tracing(settings, process_name=f"{settings.service_name}-worker")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    pauses = PauseRequests.from_environment()
    pauses.install(loop)
    metrics_server = None
    if settings.metrics_port is not None:
        # Served from the start: a worker waiting for the broker is alive, not stuck.
        metrics_server = await serve_metrics(settings.host, settings.metrics_port)
        log.info("metrics on %s:%d/metrics", settings.host, settings.metrics_port)
    own_loops = [asyncio.create_task(run(stop)) for run in also_run]
    try:
        await run_sessions(
            lambda ended: _run(settings, ended, consumer_name, subscriptions, relay,
                               seal_access_log),
            stop, pauses)
    finally:
        stop.set()
        if own_loops:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.gather(*own_loops),
                                       timeout=ALSO_RUN_STOP_SECONDS)
        if metrics_server is not None:
            metrics_server.close()
        provider.shutdown()
        log.info("worker stopped")


async def _run(settings: ServiceSettings, stop: asyncio.Event, consumer_name: str | None,
               subscriptions: Sequence[Subscription[Any]], relay: bool,
               seal_access_log: bool) -> None:
    producer = make_producer(settings.kafka_bootstrap_servers)
    while True:
        try:
            await producer.start()
            break
        except Exception as exc:
            log.warning("broker not reachable yet (%s)", type(exc).__name__)
            await asyncio.sleep(0.5)
            if stop.is_set():
                return
    db = Database(settings.database_url, pool_size=4)
    loops: list[Any] = []
    groups: list[tuple[str, list[str]]] = []
    if relay:
        loops.append(
            _keep_running("outbox relay", OutboxRelay(
                settings.relay_url, producer, linger=settings.relay_linger_ms / 1000).run, stop)
        )
    if seal_access_log:
        loops.append(_keep_running("access-log sealer", _sealer(settings.relay_url), stop))
    if subscriptions:
        consumer = InboxConsumer(
            name=consumer_name or f"{settings.service_name}",
            db=db,
            bootstrap_servers=settings.kafka_bootstrap_servers,
            subscriptions=subscriptions,
            dead_letters=producer,
            max_attempts=settings.consumer_max_attempts,
            fetch_max_wait_ms=settings.consumer_fetch_max_wait_ms,
            commit_interval_ms=settings.consumer_commit_interval_ms,
        )
        loops.append(_keep_running(f"consumer {consumer.name}", consumer.run, stop))
        groups.append((consumer.name, consumer.topics))
    if settings.metrics_port is not None:
        sampler = EventMetricsSampler(settings.relay_url if relay else None,
                                      settings.kafka_bootstrap_servers, groups,
                                      settings.metrics_interval_seconds)
        loops.append(_keep_running("metrics sampler", sampler.run, stop))
    log.info("worker started")
    try:
        await asyncio.gather(*loops)
    finally:
        await producer.stop()
        await db.dispose()
