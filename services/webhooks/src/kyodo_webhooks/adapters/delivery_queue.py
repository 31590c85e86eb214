"""The delivery queue in PostgreSQL, as the dispatcher works it: leases on subscriptions,
the due messages, their outcomes and the subscription's health (asyncpg: a batch is one
statement per table)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import asyncpg

from kyodo_common.db import Database, asyncpg_dsn
from kyodo_common.db.engine import raw_connection

CHANNEL = "kyodo_webhooks_deliveries"
# What a lost database connection raises (the dispatcher reconnects after it).
DATABASE_ERRORS: tuple[type[BaseException], ...] = (OSError, asyncpg.PostgresError)

_CLAIM = "SELECT subscription_id, municipality_code FROM claim_subscriptions($1, $2, $3, $4)"
_SUBSCRIPTION = ("SELECT state, callback_url, secret, previous_secret, previous_secret_until, "
                 "failures, failing_since, retry_at, lease_owner FROM subscriptions "
                 "WHERE id = $1")
# The oldest pending messages, due or not, in queue order: the heads are picked from them
# (domain.ordering). A scan of one index in its order, whatever the table's statistics say (a
# NOT EXISTS over a backlog queued since the last ANALYZE was planned as a scan of the whole
# backlog per message: a second per batch of 64 with 5,000 queued).
_WINDOW = (
    "SELECT d.id, d.event_id, d.event_type, d.event_time, d.service, d.subject, d.attempts, "
    "d.created_at, ($3::boolean OR d.next_attempt_at <= now()) AS due FROM deliveries d "
    "WHERE d.subscription_id = $1 AND d.state = 'pending' ORDER BY d.seq LIMIT $2")
# When the window held too few heads (many messages of few subjects, or many waiting for their
# own backoff): the same rule over the whole queue.
_HEADS = (
    "SELECT d.id, d.event_id, d.event_type, d.event_time, d.service, d.subject, d.attempts, "
    "d.created_at, true AS due FROM deliveries d "
    "WHERE d.subscription_id = $1 AND d.state = 'pending' "
    "AND ($3::boolean OR d.next_attempt_at <= now()) AND NOT (d.id = ANY ($4::uuid[])) "
    "AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.subscription_id = $1 "
    "  AND e.subject = d.subject AND e.state = 'pending' AND e.seq < d.seq) "
    "ORDER BY d.seq LIMIT $2")
_DELIVERED = ("UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, "
              "delivered_at = now(), last_status = r.status, last_error = NULL "
              "FROM unnest($1::uuid[], $2::int[]) AS r(id, status) WHERE deliveries.id = r.id")
_FAILED = ("UPDATE deliveries SET attempts = attempts + 1, last_status = r.status, "
           "last_error = r.reason, next_attempt_at = now() + make_interval(secs => r.delay), "
           "state = CASE WHEN deliveries.created_at < now() - make_interval(secs => $6) "
           "             THEN 'dead' ELSE 'pending' END, "
           "dead_at = CASE WHEN deliveries.created_at < now() - make_interval(secs => $6) "
           "               THEN now() END "
           "FROM unnest($1::uuid[], $2::int[], $3::text[], $4::float8[]) "
           "AS r(id, status, reason, delay) WHERE deliveries.id = r.id AND $5")
_ATTEMPTS = ("INSERT INTO delivery_attempts (delivery_id, attempt, municipality_code, "
             "subscription_id, at, duration_ms, status, outcome, reason) "
             "SELECT r.id, r.attempt, $2, $3, r.at, r.ms, r.status, r.outcome, r.reason "
             "FROM unnest($1::uuid[], $4::int[], $5::timestamptz[], $6::int[], $7::int[], "
             "$8::text[], $9::text[]) AS r(id, attempt, at, ms, status, outcome, reason)")
# The receiver is back: what waited for its own backoff because the receiver was down goes
# now, not after that backoff.
_ACCELERATE = ("UPDATE deliveries SET next_attempt_at = now() WHERE subscription_id = $1 "
               "AND state = 'pending' AND next_attempt_at > now()")
_DEAD_LETTER_ALL = (
    "UPDATE deliveries SET state = 'dead', dead_at = now(), "
    "last_error = coalesce(last_error, $3) WHERE subscription_id = $1 AND state = 'pending' "
    "AND created_at < now() - make_interval(secs => $2)")
_HEALTH = ("UPDATE subscriptions SET failures = $2, failing_since = $3, retry_at = $4, "
           "last_success_at = coalesce($5, last_success_at), last_error = $6, "
           "lease_until = now() + make_interval(secs => $7) WHERE id = $1")
_RELEASE = ("UPDATE subscriptions SET lease_owner = NULL, lease_until = NULL "
            "WHERE id = $1 AND lease_owner = $2")


class PgDeliveries:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def claim(self, worker: str, lease_seconds: float, free: int,
                    running: list[uuid.UUID]) -> list[tuple[uuid.UUID, str]]:
        """Subscriptions with messages due, leased to this worker (SKIP LOCKED)."""
        rows = await self.conn.fetch(_CLAIM, worker, lease_seconds, free, running)
        return [(r["subscription_id"], r["municipality_code"]) for r in rows]

    async def release(self, subscription_id: uuid.UUID, worker: str) -> None:
        await self.conn.execute(_RELEASE, subscription_id, worker)

    async def subscription(self, subscription_id: uuid.UUID) -> Any:
        return await self.conn.fetchrow(_SUBSCRIPTION, subscription_id)

    async def window(self, subscription_id: uuid.UUID, limit: int, probing: bool
                     ) -> list[Any]:
        """The oldest pending messages in queue order, each marked due or not (a probe takes
        any)."""
        return list(await self.conn.fetch(_WINDOW, subscription_id, limit, probing))

    async def heads(self, subscription_id: uuid.UUID, limit: int, probing: bool,
                    excluded: list[uuid.UUID]) -> list[Any]:
        """The oldest due messages whose subject has no earlier pending one, but those
        excluded (being recorded)."""
        return list(await self.conn.fetch(_HEADS, subscription_id, limit, probing, excluded))

    async def delivered(self, ids: list[uuid.UUID], statuses: list[int | None]) -> None:
        await self.conn.execute(_DELIVERED, ids, statuses)

    async def failed(self, ids: list[uuid.UUID], statuses: list[int | None],
                     reasons: list[str | None], delays: list[float],
                     dead_after_seconds: float) -> None:
        """Retried after each delay; dead-lettered if queued longer than the limit."""
        await self.conn.execute(_FAILED, ids, statuses, reasons, delays, True,
                                dead_after_seconds)

    async def attempts(self, ids: list[uuid.UUID], code: str, subscription_id: uuid.UUID,
                       *columns: list[Any]) -> None:
        """The attempts by column: number, at, duration (ms), status, outcome, reason."""
        await self.conn.execute(_ATTEMPTS, ids, code, subscription_id, *columns)

    async def accelerate(self, subscription_id: uuid.UUID) -> None:
        await self.conn.execute(_ACCELERATE, subscription_id)

    async def health(self, subscription_id: uuid.UUID, failures: int,
                     failing_since: datetime | None, retry_at: datetime | None,
                     success_at: datetime | None, error: str | None,
                     lease_seconds: float) -> None:
        await self.conn.execute(_HEALTH, subscription_id, failures, failing_since, retry_at,
                                success_at, error, lease_seconds)

    async def dead_letter_all(self, subscription_id: uuid.UUID, after_seconds: float,
                              reason: str) -> None:
        await self.conn.execute(_DEAD_LETTER_ALL, subscription_id, after_seconds, reason)


@asynccontextmanager
async def tenant_deliveries(db: Database, code: str) -> AsyncIterator[PgDeliveries]:
    """A tenant transaction, committed when the block ends."""
    async with db.tenant_transaction(code) as session:
        yield PgDeliveries(await raw_connection(session))


@asynccontextmanager
async def platform_deliveries(db: Database) -> AsyncIterator[PgDeliveries]:
    """A transaction across tenants (claiming leases), committed when the block ends."""
    async with db.platform_transaction() as session:
        yield PgDeliveries(await raw_connection(session))


@asynccontextmanager
async def notifications(database_url: str, callback: Callable[..., Any]
                        ) -> AsyncIterator[None]:
    """``callback`` is called on every NOTIFY of the channel while the block runs."""
    listener = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await listener.add_listener(CHANNEL, callback)
        yield
    finally:
        await listener.close()
