"""Idempotent consumers: the inbox row and the handler's effect commit together.

At-least-once delivery plus the inbox gives each event's effect exactly once. A handler that
keeps failing is retried a bounded number of times, then the message goes to the dead-letter
topic with the error, and the consumer moves on. The database being away (restarted, down)
is no handler's failure: the consumer waits for it, however long, and dead-letters nothing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaProducer
from aiokafka.structs import ConsumerRecord
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db.engine import Database, raw_connection
from kyodo_common.events.envelope import Envelope
from kyodo_common.events.kafka import make_consumer
from kyodo_common.events.metrics import CONSUMER_EVENTS, DEAD_LETTERS
from kyodo_common.events.model import DomainEvent
from kyodo_common.logs import error_text
from kyodo_common.telemetry import context_from_headers
from kyodo_common.tenancy import current_municipality

log = logging.getLogger(__name__)
tracer = trace.get_tracer("kyodo.inbox")

E = TypeVar("E", bound=DomainEvent)

DEAD_LETTER_SUFFIX = ".dlq"
# asyncpg directly: it runs for every event, and a whole run is claimed at once.
_CLAIM = ("INSERT INTO inbox (consumer, event_id, municipality_code) "
          "SELECT $1, event_id, $3 FROM unnest($2::uuid[]) AS event_id "
          "ON CONFLICT DO NOTHING RETURNING event_id")


@dataclass(frozen=True)
class _Prepared:
    message: ConsumerRecord[bytes, bytes]
    envelope: Envelope
    subscription: Subscription[Any]
    event: DomainEvent
    tenant: str


RunHandler = Callable[[AsyncSession, Sequence[tuple[E, Envelope]]], Awaitable[None]]


@dataclass(frozen=True)
class Subscription(Generic[E]):
    """When an event of this type arrives, run this handler in the tenant's transaction."""

    event: type[E]
    handler: Callable[[AsyncSession, E, Envelope], Awaitable[None]]
    # Whose transaction the handler runs in; by default the municipality that published it.
    # An event addressed to another tenant (a transfer notice) names that tenant here.
    tenant: Callable[[E, Envelope], str] | None = None
    # The same effect for several events at once (see ``for_runs``).
    run_handler: RunHandler[E] | None = None

    def tenant_of(self, event: E, envelope: Envelope) -> str:
        return self.tenant(event, envelope) if self.tenant else envelope.municipality


def for_runs(event: type[E], run_handler: RunHandler[E], *,
             tenant: Callable[[E, Envelope], str] | None = None) -> Subscription[E]:
    """A subscription whose handler takes a run's events together: the inbox hands it every
    new event of a run (in order, up to the next event another handler takes) in one call, so
    a read model writes them in one statement instead of one per event. An event alone, and
    each event of a run that failed, goes through the same handler as a run of one."""

    @functools.wraps(run_handler)  # the contract files name the handler
    async def one(session: AsyncSession, event: E, envelope: Envelope) -> None:
        await run_handler(session, [(event, envelope)])

    return Subscription(event, one, tenant, run_handler)


class InboxConsumer:
    def __init__(
        self,
        *,
        name: str,
        db: Database,
        bootstrap_servers: str,
        subscriptions: Sequence[Subscription[Any]],
        dead_letters: AIOKafkaProducer,
        max_attempts: int = 5,
        retry_delay: float = 0.2,
        fetch_max_wait_ms: int = 10,
        commit_interval_ms: int = 0,
    ) -> None:
        self.name = name
        self._db = db
        self._bootstrap = bootstrap_servers
        self._by_type = {s.event.event_type: s for s in subscriptions}
        self._topics = sorted({s.event.topic for s in subscriptions})
        self._dead_letters = dead_letters
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        self._fetch_max_wait_ms = fetch_max_wait_ms
        self._commit_interval = commit_interval_ms / 1000
        self.applied = 0
        self.duplicates = 0
        self.dead_lettered = 0
        self._applied_metric = CONSUMER_EVENTS.labels(name, "applied")
        self._duplicates_metric = CONSUMER_EVENTS.labels(name, "duplicate")
        for topic in self._topics:  # from 0, so that the first dead letter is an increase
            DEAD_LETTERS.labels(name, topic)

    @property
    def topics(self) -> list[str]:
        return list(self._topics)

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch, apply, and commit the offsets of what was applied: at most every
        ``commit_interval_ms`` while events flow, at once when a fetch comes back empty, and
        when stopping. A crash replays what was applied but not committed; the inbox skips it."""
        consumer = make_consumer(self._bootstrap, self.name, *self._topics,
                                 fetch_max_wait_ms=self._fetch_max_wait_ms)
        await consumer.start()
        uncommitted = False
        last_commit = time.monotonic()
        try:
            while not stop.is_set():
                batches = await consumer.getmany(timeout_ms=200, max_records=500)
                if batches:
                    # All partitions together: events spread over partitions by key, so one
                    # partition's share of a fetch is often a single event.
                    await self.handle_batch([m for ms in batches.values() for m in ms])
                    uncommitted = True
                if uncommitted and (not batches
                                    or time.monotonic() - last_commit >= self._commit_interval):
                    await consumer.commit()
                    uncommitted, last_commit = False, time.monotonic()
            if uncommitted:
                await consumer.commit()
        finally:
            await consumer.stop()

    async def handle_batch(self, messages: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        """The events of one tenant are applied in one transaction (one commit instead of one
        per event, which is what keeps up under load); if anything in a run fails, the run is
        rolled back and its events are handled one at a time, with retries and dead letters,
        exactly as if they had come alone. Each tenant's events keep their order; since a
        subject's events share a partition and a tenant, so do each subject's."""
        runs: dict[str, list[_Prepared]] = {}
        for message in messages:
            prepared = self._prepare(message)
            if prepared is None:
                await self.handle(message)  # unreadable or unknown: the one-event path decides
                continue
            runs.setdefault(prepared.tenant, []).append(prepared)
        for run in runs.values():
            await self._apply_run(run)

    def _prepare(self, message: ConsumerRecord[bytes, bytes]) -> _Prepared | None:
        try:
            envelope = Envelope.from_kafka(message.headers, message.value or b"")
            subscription = self._by_type.get(envelope.type)
            if subscription is None:
                return None
            event = subscription.event.model_validate_json(envelope.data)
            return _Prepared(message, envelope, subscription, event,
                             subscription.tenant_of(event, envelope))
        except ValueError:
            return None

    async def _apply_run(self, run: list[_Prepared]) -> None:
        if len(run) == 1:
            await self.handle(run[0].message)
            return
        applied = duplicates = 0
        try:
            async with self._db.tenant_transaction(run[0].tenant) as session:
                first_time = await self._claim_all(session, [i.envelope for i in run],
                                                   run[0].tenant)
                fresh: list[_Prepared] = []
                for item in run:
                    if item.envelope.id in first_time:
                        first_time.discard(item.envelope.id)  # twice in one run: once
                        fresh.append(item)
                    else:
                        duplicates += 1
                for group in _by_handler(fresh):
                    await self._apply_group(session, group)
                    applied += len(group)
        except Exception as exc:
            log.warning("consumer %s: a run of %d events failed (%s); one at a time now",
                        self.name, len(run), type(exc).__name__)
            for item in run:
                await self.handle(item.message)
            return
        self.applied += applied
        self.duplicates += duplicates
        self._applied_metric.inc(applied)
        self._duplicates_metric.inc(duplicates)

    async def _apply_group(self, session: AsyncSession, group: list[_Prepared]) -> None:
        """Consecutive events for one handler: a run handler takes them in one call (each
        event still gets its span, in its own trace); others take them one by one."""
        run_handler = group[0].subscription.run_handler
        if run_handler is None:
            for item in group:
                with self._span(item.message, item.envelope):
                    await item.subscription.handler(session, item.event, item.envelope)
            return
        spans = [tracer.start_span(**self._span_arguments(item.message, item.envelope))
                 for item in group]
        try:
            await run_handler(session, [(item.event, item.envelope) for item in group])
        except Exception as exc:
            for span in spans:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise
        finally:
            for span in spans:
                span.end()

    def _span(self, message: ConsumerRecord[bytes, bytes], envelope: Envelope) -> Any:
        return tracer.start_as_current_span(**self._span_arguments(message, envelope))

    def _span_arguments(self, message: ConsumerRecord[bytes, bytes],
                        envelope: Envelope) -> dict[str, Any]:
        parent = context_from_headers(
            {"traceparent": envelope.traceparent or "", "tracestate": envelope.tracestate or ""}
        )
        return dict(
            name=f"{message.topic} process", context=parent, kind=SpanKind.CONSUMER,
            attributes={"messaging.system": "kafka", "messaging.destination.name": message.topic,
                        "messaging.consumer.group.name": self.name,
                        "messaging.message.id": envelope.id, "kyodo.event_type": envelope.type},
        )

    async def _claim(self, session: AsyncSession, envelope: Envelope, tenant: str) -> bool:
        """The inbox row: False when this consumer already took the event's effect."""
        return envelope.id in await self._claim_all(session, [envelope], tenant)

    async def _claim_all(self, session: AsyncSession, envelopes: Sequence[Envelope],
                         tenant: str) -> set[str]:
        """The inbox rows of a run in one statement: the ids of events seen for the first time."""
        rows = await (await raw_connection(session)).fetch(
            _CLAIM, self.name, [uuid.UUID(e.id) for e in envelopes], tenant)
        return {str(row["event_id"]) for row in rows}

    async def handle(self, message: ConsumerRecord[bytes, bytes]) -> None:
        try:
            envelope = Envelope.from_kafka(message.headers, message.value or b"")
        except ValueError as exc:
            await self._dead_letter(message, f"unreadable envelope: {exc}")
            return
        subscription = self._by_type.get(envelope.type)
        if subscription is None:
            return  # a type this consumer does not care about
        with self._span(message, envelope) as span:
            token = current_municipality.set(envelope.municipality)
            try:
                error = await self._apply_with_retries(subscription, envelope)
            finally:
                current_municipality.reset(token)
            if error is not None:
                span.set_status(Status(StatusCode.ERROR, error))
                await self._dead_letter(message, error)

    async def _apply_with_retries(self, subscription: Subscription[Any],
                                  envelope: Envelope) -> str | None:
        error = ""
        attempt = 0
        waited = 0
        while attempt < self._max_attempts:
            attempt += 1
            try:
                await self._apply_once(subscription, envelope)
                return None
            except Exception as exc:
                if not await self._db.reachable():
                    # Not an attempt: a PostgreSQL restart must not dead-letter what arrives
                    # meanwhile (`make chaos` lost events so). The offsets stay uncommitted.
                    attempt -= 1
                    waited += 1
                    log.warning("consumer %s: database unavailable (%s); waiting", self.name,
                                type(exc).__name__)
                    await asyncio.sleep(min(self._retry_delay * 2 ** min(waited, 5), 5.0))
                    continue
                error = error_text(exc)  # the handler's failure, whatever it is
                log.warning("consumer %s: attempt %d/%d failed for event %s: %s", self.name,
                            attempt, self._max_attempts, envelope.id, type(exc).__name__)
                if attempt < self._max_attempts:
                    await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
        return error

    async def _apply_once(self, subscription: Subscription[Any], envelope: Envelope) -> None:
        event = subscription.event.model_validate_json(envelope.data)
        tenant = subscription.tenant_of(event, envelope)
        async with self._db.tenant_transaction(tenant) as session:
            if not await self._claim(session, envelope, tenant):
                self.duplicates += 1
                self._duplicates_metric.inc()
                return
            await subscription.handler(session, event, envelope)
        self.applied += 1
        self._applied_metric.inc()

    async def _dead_letter(self, message: ConsumerRecord[bytes, bytes], error: str) -> None:
        self.dead_lettered += 1
        headers = [*message.headers, ("kyodo_error", error[:2000].encode()),
                   ("kyodo_consumer", self.name.encode()),
                   ("kyodo_original_topic", message.topic.encode())]
        await self._dead_letters.send_and_wait(
            message.topic + DEAD_LETTER_SUFFIX, value=message.value, key=message.key,
            headers=headers,
        )
        DEAD_LETTERS.labels(self.name, message.topic).inc()  # once it is on the DLQ topic
        log.error("consumer %s: event dead-lettered after %d attempts", self.name,
                  self._max_attempts)


def _by_handler(items: list[_Prepared]) -> list[list[_Prepared]]:
    """Consecutive items that one run handler takes together; every other item alone."""
    groups: list[list[_Prepared]] = []
    for item in items:
        handler = item.subscription.run_handler
        if groups and handler is not None and groups[-1][0].subscription.run_handler is handler:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups
