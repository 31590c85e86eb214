"""The outbox relay: publishes committed events in order and takes them off the queue.

Woken by LISTEN/NOTIFY, polling every second as a fallback. With a linger, events go out in
rounds: after a wake-up the relay waits the linger, so that the commits arriving meanwhile go
out together (one claim, one produce request per partition, one fetch for the consumers), and
while events flow it polls once per linger holding the outbox's AWAKE lock, so that writers
send no NOTIFY (see ``kyodo_common.db.rls.notify_only_a_sleeping_relay``); a second without
events and it falls asleep again.

Unpublished events are queued by id in ``outbox_pending``; one statement claims a batch
(``FOR UPDATE SKIP LOCKED``, so a second relay never publishes the same batch concurrently),
deletes its queue rows and returns the events. The deletion commits only after the broker
acknowledged every event (acks=all): a crash or a broker error before that leaves them queued,
and a republished batch is absorbed by the consumers' inbox.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.trace import SpanKind

from kyodo_common.db.engine import asyncpg_dsn
from kyodo_common.db.rls import OUTBOX_AWAKE_LOCK, OUTBOX_WRITING_LOCK
from kyodo_common.events.envelope import Envelope
from kyodo_common.events.metrics import OUTBOX_PUBLISHED
from kyodo_common.runtime import sleep_or_stop
from kyodo_common.telemetry import context_from_headers, inject_headers

log = logging.getLogger(__name__)
tracer = trace.get_tracer("kyodo.outbox")

# The events are looked up by id (``= ANY``, the primary key) whatever the planner guesses
# of the batch's size: joined, a generic plan scanned the whole outbox.
_CLAIM = """
    WITH claimed AS (
        SELECT id FROM outbox_pending ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
    ), dequeued AS (
        DELETE FROM outbox_pending AS p USING claimed WHERE p.id = claimed.id RETURNING p.id
    )
    SELECT id, event_id, municipality_code, topic, key, type, source, subject, time,
           traceparent, tracestate, data::text AS data
    FROM outbox WHERE id = ANY(ARRAY(SELECT id FROM dequeued))
    ORDER BY id
"""
NOTIFY_CHANNEL = "kyodo_outbox"
_TAKE_AWAKE = f"SELECT pg_try_advisory_lock({OUTBOX_AWAKE_LOCK})"
# WRITING is free once every writer that saw AWAKE held (and so sent no NOTIFY) has ended. The
# relay only tries it: waiting for it would queue every new writer behind a long transaction.
_NO_WRITER_IN_FLIGHT = f"SELECT pg_try_advisory_lock({OUTBOX_WRITING_LOCK})"
_FALL_ASLEEP = (f"SELECT pg_advisory_unlock({OUTBOX_AWAKE_LOCK}); "
                f"SELECT pg_advisory_unlock({OUTBOX_WRITING_LOCK})")


class _PollingWindow:
    """While events flow, the relay polls and holds AWAKE; it lets go a while after the last."""

    def __init__(self, connection: asyncpg.Connection, stay_awake: float) -> None:
        self._connection = connection
        self._stay_awake = stay_awake
        self._last_event = -stay_awake
        self._holds_awake = False

    def woken(self) -> None:
        self._last_event = asyncio.get_running_loop().time()

    async def keeps_polling(self, published: int) -> bool:
        now = asyncio.get_running_loop().time()
        if published:
            self._last_event = now
        if now - self._last_event < self._stay_awake:
            if not self._holds_awake:  # another relay may hold it (a deployment's overlap)
                self._holds_awake = bool(await self._connection.fetchval(_TAKE_AWAKE))
            return True
        if self._holds_awake:
            if await self._connection.fetchval(_NO_WRITER_IN_FLIGHT):
                await self._connection.execute(_FALL_ASLEEP)
                self._holds_awake = False
            # Once more: what the writers that saw it awake committed (or, a writer that saw
            # it awake is still in flight: it keeps polling until that one has ended).
            return True
        return False


class OutboxRelay:
    def __init__(
        self,
        database_url: str,
        producer: AIOKafkaProducer,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        linger: float = 0.0,
        stay_awake: float = 1.0,
    ) -> None:
        self._dsn = asyncpg_dsn(database_url)
        self._producer = producer
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._linger = linger
        self._stay_awake = stay_awake
        self._wake = asyncio.Event()
        self.published = 0
        self.rounds = 0  # batches published; published / rounds is the events per round

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; survives database and broker outages by retrying."""
        backoff = 0.2
        while not stop.is_set():
            try:
                await self._run_connected(stop)
                backoff = 0.2
            except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
                log.warning("outbox relay interrupted, retrying: %s", type(exc).__name__)
            except Exception:
                log.exception("outbox relay failed, retrying")
            if not stop.is_set():
                await sleep_or_stop(stop, backoff)
                backoff = min(backoff * 2, 5.0)

    async def _run_connected(self, stop: asyncio.Event) -> None:
        listen = await asyncpg.connect(self._dsn)
        work = await asyncpg.connect(self._dsn)
        try:
            await listen.add_listener(NOTIFY_CHANNEL, self._on_notify)
            # Without a linger the relay never holds AWAKE: every commit wakes it.
            window = _PollingWindow(work, self._stay_awake) if self._linger else None
            while not stop.is_set():
                self._wake.clear()
                count = await self.publish_batch(work)
                if count == self._batch_size:
                    continue
                if window is not None and await window.keeps_polling(count):
                    await sleep_or_stop(stop, self._linger)
                    continue
                await self._wait_for_wake(stop)
                if window is not None and self._wake.is_set():
                    window.woken()
                    await sleep_or_stop(stop, self._linger)
        finally:
            await listen.close()
            await work.close()  # AWAKE, held by this session, goes with it

    async def _wait_for_wake(self, stop: asyncio.Event) -> None:
        waiter = asyncio.ensure_future(self._wake.wait())
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({waiter, stopper}, timeout=self._poll_interval,
                           return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        stopper.cancel()

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    async def publish_batch(self, conn: asyncpg.Connection) -> int:
        async with conn.transaction():
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                return 0
            deliveries = [await self._send(row) for row in rows]
            await asyncio.gather(*deliveries)  # a failure rolls the dequeue back
        self.published += len(rows)
        self.rounds += 1
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def _send(self, row: asyncpg.Record) -> asyncio.Future[Any]:
        parent = context_from_headers(
            {k: row[k] for k in ("traceparent", "tracestate") if row[k]}
        )
        with tracer.start_as_current_span(
            f"{row['topic']} publish", context=parent, kind=SpanKind.PRODUCER,
            attributes={"messaging.system": "kafka", "messaging.destination.name": row["topic"],
                        "messaging.message.id": str(row["event_id"]),
                        "kyodo.event_type": row["type"]},
        ):
            trace_headers = inject_headers()
        envelope = Envelope(
            id=str(row["event_id"]), type=row["type"], source=row["source"],
            subject=row["subject"] or row["key"], municipality=row["municipality_code"],
            time=row["time"], data=row["data"].encode(),
            traceparent=trace_headers.get("traceparent"),
            tracestate=trace_headers.get("tracestate"),
        )
        delivery: asyncio.Future[Any] = await self._producer.send(
            row["topic"], value=envelope.data, key=row["key"].encode(),
            headers=envelope.kafka_headers(),
        )
        return delivery

