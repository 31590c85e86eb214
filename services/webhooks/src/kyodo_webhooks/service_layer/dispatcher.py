"""The delivery engine: each subscription with a message due is claimed by one worker (a
lease taken with SKIP LOCKED) and served by its own task, so a slow or dead receiver holds
only its own slot.

- In order per subject: a message is sent only when no earlier message of its subject is
  still pending; up to ``in_flight_per_subscription`` subjects are in flight at once.
- Pipelined: a batch's outcomes are recorded (one transaction) while the next batch is sent;
  a message still being recorded counts as pending for its subject, and batches are
  recorded in the order they were sent.
- A message the receiver refuses is retried with exponential backoff and full jitter.
- A receiver that fails everything is probed with one message at a time, at most
  ``probe_max_seconds`` apart; the first success sends its whole backlog at once.
- A message not delivered ``dead_letter_after_seconds`` (a day) after it was queued is
  dead-lettered; the delivery log keeps every attempt with its reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kyodo_common.db import Database
from kyodo_webhooks.adapters import http1, sender
from kyodo_webhooks.adapters.delivery_queue import (
    DATABASE_ERRORS,
    notifications,
    platform_deliveries,
    tenant_deliveries,
)
from kyodo_webhooks.domain import backoff, ordering, ssrf
from kyodo_webhooks.domain.catalogue import resource_url, source_url
from kyodo_webhooks.domain.notification import headers as signed_headers
from kyodo_webhooks.domain.notification import notification
from kyodo_webhooks.service_layer.context import WebhooksContext

log = logging.getLogger(__name__)
_CLIENT_IDLE_SECONDS = 60.0
# Within the worker's bound for its loops to stop (kyodo_common.worker.ALSO_RUN_STOP_SECONDS).
_STOP_GRACE_SECONDS = 8.0
_WINDOW_PER_HEAD = 3


@dataclass
class _Client:
    """A subscription's kept-alive connections (as many as it had requests in flight)."""

    http: http1.Pool
    used: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class _Health:
    """A subscription's consecutive failed batches and since when, as its task recorded them;
    ``failing`` when the last batch failed whole (the receiver is then probed)."""

    failures: int
    failing_since: datetime | None
    failing: bool = False


class Dispatcher:
    def __init__(self, db: Database, context: WebhooksContext, stop: asyncio.Event) -> None:
        self.db = db
        self.context = context
        self.settings = context.settings
        self.stop = stop
        self.worker = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
        self.running: dict[uuid.UUID, asyncio.Task[None]] = {}
        self.clients: dict[uuid.UUID, _Client] = {}
        # Bumped by every NOTIFY: a task that found nothing to send looks again if it moved.
        self.generation = 0
        self.wake = asyncio.Event()
        s = self.settings
        self.lease_seconds = s.connect_timeout_seconds + s.request_timeout_seconds + 60

    def notified(self, *_: Any) -> None:
        self.generation += 1
        self.wake.set()

    async def claim(self) -> list[tuple[uuid.UUID, str]]:
        free = self.settings.subscriptions_at_once - len(self.running)
        if free <= 0:
            return []
        async with platform_deliveries(self.db) as queue:
            return await queue.claim(self.worker, self.lease_seconds, free, list(self.running))

    def start(self, subscription_id: uuid.UUID, code: str) -> None:
        task = asyncio.create_task(self.serve(subscription_id, code))
        self.running[subscription_id] = task
        task.add_done_callback(lambda _: self.running.pop(subscription_id, None))

    def client(self, subscription_id: uuid.UUID) -> http1.Pool:
        entry = self.clients.get(subscription_id)
        if entry is None:
            s = self.settings
            entry = self.clients[subscription_id] = _Client(sender.client(
                connect_timeout=s.connect_timeout_seconds, timeout=s.request_timeout_seconds))
        entry.used = time.monotonic()
        return entry.http

    async def prune_clients(self) -> None:
        now = time.monotonic()
        for subscription_id, entry in list(self.clients.items()):
            if subscription_id not in self.running and now - entry.used > _CLIENT_IDLE_SECONDS:
                del self.clients[subscription_id]
                entry.http.close()

    async def serve(self, subscription_id: uuid.UUID, code: str) -> None:
        """Batches until there is nothing to send, the subscription is paused or ended, or
        its receiver failed a whole batch (then it waits for the probe). Batch n is recorded
        while batch n + 1 is sent; batches are recorded in order, and the last one before
        this returns (a message sent but not recorded would be sent again)."""
        recording: asyncio.Task[_Health] | None = None
        in_flight: list[uuid.UUID] = []  # the batch being recorded: pending for its subjects
        health: _Health | None = None
        try:
            while not self.stop.is_set():
                generation = self.generation
                batch = await self.next_batch(subscription_id, code, in_flight, health)
                if batch is None:
                    break  # paused, ended, or the lease was lost
                sub, heads, health = batch
                if not heads:
                    if recording is not None:  # what it records frees its subjects' next
                        health, recording, in_flight = await recording, None, []
                        if health.failing:
                            break
                        continue
                    if generation == self.generation:
                        break
                    continue
                at = datetime.now(UTC)
                outcomes = await self.send(subscription_id, code, sub, heads)
                if recording is not None:
                    health = await recording
                recording = asyncio.create_task(
                    self._record(subscription_id, code, health, heads, outcomes, at))
                in_flight = [h["id"] for h in heads]
                if health.failures > 0 or not any(o.delivered for o in outcomes):
                    # a probe, or a batch that failed: its outcome decides what follows
                    health, recording, in_flight = await recording, None, []
                    if health.failing:
                        break  # the receiver is failing: wait for the probe
        except Exception:
            log.exception("deliveries of a subscription interrupted")
        finally:
            if recording is not None:
                with contextlib.suppress(Exception):
                    await recording
            with contextlib.suppress(Exception):
                async with tenant_deliveries(self.db, code) as queue:
                    await queue.release(subscription_id, self.worker)

    async def next_batch(self, subscription_id: uuid.UUID, code: str,
                         in_flight: list[uuid.UUID], health: _Health | None
                         ) -> tuple[Any, list[Any], _Health] | None:
        """The subscription and its messages to send now; None when it is not to be served
        now. ``health`` is this task's own account once it has recorded a batch."""
        wanted = self.settings.in_flight_per_subscription
        async with tenant_deliveries(self.db, code) as queue:
            sub = await queue.subscription(subscription_id)
            if sub is None or sub["state"] != "active" or sub["lease_owner"] != self.worker:
                return None
            if health is None:
                health = _Health(sub["failures"], sub["failing_since"])
            probing = health.failures > 0
            if probing:
                wanted = 1
            window = await queue.window(subscription_id,
                                        wanted * _WINDOW_PER_HEAD + len(in_flight), probing)
            heads = ordering.heads(window, wanted, set(in_flight))
            if len(heads) < wanted and len(window) == wanted * _WINDOW_PER_HEAD + len(
                    in_flight):
                heads = await queue.heads(subscription_id, wanted, probing, in_flight)
        return sub, heads, health

    async def send(self, subscription_id: uuid.UUID, code: str, sub: Any,
                   heads: list[Any]) -> list[sender.Outcome]:
        secrets = self._secrets(code, subscription_id, sub)
        target = ssrf.parse(sub["callback_url"])
        http = self.client(subscription_id)
        try:  # once per batch: every message of it goes to the address checked here
            address = await ssrf.resolve(target, allow_private=self.context.allow_private)
        except ssrf.Refused as exc:
            return [sender.refused(str(exc))] * len(heads)
        return list(await asyncio.gather(*(
            self._send(http, target, address, secrets, code, head) for head in heads)))

    def _secrets(self, code: str, subscription_id: uuid.UUID, sub: Any) -> list[str]:
        secrets = [self.context.open(code, subscription_id, sub["secret"])]
        until = sub["previous_secret_until"]
        if sub["previous_secret"] is not None and until is not None and until > datetime.now(UTC):
            secrets.append(self.context.open(code, subscription_id, sub["previous_secret"]))
        return secrets

    async def _send(self, http: http1.Pool, target: ssrf.Target, address: str,
                    secrets: list[str], code: str, head: Any) -> sender.Outcome:
        public_url = self.context.public_url
        body = notification(
            event_id=head["event_id"], event_type=head["event_type"],
            source=source_url(public_url, code, head["service"]),
            subject=resource_url(public_url, code, head["subject"]),
            time=head["event_time"], municipality=code)
        message_id = str(head["id"])
        return await sender.post(http, target, address, body,
                                 signed_headers(secrets, message_id, datetime.now(UTC), body))

    async def _record(self, subscription_id: uuid.UUID, code: str, health: _Health,
                      heads: list[Any], outcomes: list[sender.Outcome], at: datetime
                      ) -> _Health:
        """One transaction: the messages' states, their attempts in the delivery log, the
        subscription's health and lease. The health after it."""
        s = self.settings
        delivered = [(h["id"], o.status) for h, o in zip(heads, outcomes, strict=True)
                     if o.delivered]
        failed = [(h, o) for h, o in zip(heads, outcomes, strict=True) if not o.delivered]
        now = datetime.now(UTC)
        async with tenant_deliveries(self.db, code) as queue:
            if delivered:
                await queue.delivered([d[0] for d in delivered], [d[1] for d in delivered])
            if failed:
                await queue.failed(
                    [h["id"] for h, _ in failed], [o.status for _, o in failed],
                    [o.reason for _, o in failed],
                    [backoff.delay(h["attempts"] + 1, base=s.retry_base_seconds,
                                   cap=s.retry_max_seconds) for h, _ in failed],
                    s.dead_letter_after_seconds)
            await queue.attempts(
                [h["id"] for h in heads], code, subscription_id,
                [h["attempts"] + 1 for h in heads], [at] * len(heads),
                [o.duration_ms for o in outcomes], [o.status for o in outcomes],
                ["delivered" if o.delivered else "failed" for o in outcomes],
                [o.reason for o in outcomes])
            if delivered:
                if health.failures > 0:
                    await queue.accelerate(subscription_id)
                await queue.health(subscription_id, 0, None, None, now,
                                   failed[0][1].reason if failed else None, self.lease_seconds)
                return _Health(0, None)
            else:
                failures = health.failures + 1
                since = health.failing_since or at
                retry = now.timestamp() + backoff.delay(failures, base=0.5,
                                                        cap=s.probe_max_seconds)
                await queue.health(subscription_id, failures, since,
                                   datetime.fromtimestamp(retry, UTC), None,
                                   failed[-1][1].reason, self.lease_seconds)
                await queue.dead_letter_all(
                    subscription_id, s.dead_letter_after_seconds,
                    f"not delivered within {s.dead_letter_after_seconds:g} s; the receiver "
                    f"failed: {failed[-1][1].reason}")
                return _Health(failures, since, failing=True)


async def run_dispatcher(database_url: str, context: WebhooksContext,
                         stop: asyncio.Event) -> None:
    """Until ``stop``: claim subscriptions with messages due (woken by NOTIFY, polling as a
    fallback and for retries coming due), each served by its own task."""
    db = Database(database_url, pool_size=10)
    dispatcher = Dispatcher(db, context, stop)
    poll = context.settings.poll_seconds
    try:
        while not stop.is_set():
            try:
                async with notifications(database_url, dispatcher.notified):
                    while not stop.is_set():
                        dispatcher.wake.clear()
                        for subscription_id, code in await dispatcher.claim():
                            dispatcher.start(subscription_id, code)
                        await dispatcher.prune_clients()
                        await _wait(dispatcher.wake, stop, poll)
            except DATABASE_ERRORS as exc:
                log.warning("webhooks dispatcher interrupted (%s); retrying", type(exc).__name__)
                await _wait(asyncio.Event(), stop, 1.0)
    finally:
        # A round in flight is let finish and be recorded (each task stops after its round):
        # a message sent but not recorded would be sent again.
        tasks = list(dispatcher.running.values())
        if tasks:
            await asyncio.wait(tasks, timeout=_STOP_GRACE_SECONDS)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for entry in dispatcher.clients.values():
            entry.http.close()
        await db.dispose()


async def _wait(wake: asyncio.Event, stop: asyncio.Event, seconds: float) -> None:
    waiters = {asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())}
    await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()
