"""Subscriptions and their deliveries in PostgreSQL, over the transaction's asyncpg
connection (kyodo_webhooks.service_layer.ports.SubscriptionStore)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

COLUMNS = ("id, municipality_code, owner_subject, owner_home, owner_kind, grant_id, "
           "event_types, filters, callback_url, description, state, version, created_at, "
           "approved_by, approved_at, ended_by, ended_at, failures, failing_since, retry_at, "
           "last_success_at, last_error, previous_secret_until")
_INSERT = " ".join((
    "INSERT INTO subscriptions (id, municipality_code, owner_subject, owner_home, owner_kind,",
    "grant_id, scopes, event_types, filters, callback_url, description, state, secret,",
    "approved_by, approved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11,",
    "$12, $13, $14, $15) RETURNING", COLUMNS))
# A state change also clears the health (a resumed subscription is probed afresh).
_MOVE = ("UPDATE subscriptions SET state = $2, version = version + 1, "  # noqa: S608
         "failures = 0, failing_since = NULL, retry_at = NULL{extra} "
         "WHERE id = $1 RETURNING " + COLUMNS)
_EXTRA = {"approved": ", approved_by = $3, approved_at = now()",
          "ended": ", ended_by = $3, ended_at = now()", None: ""}


class PgSubscriptions:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def add(self, *values: Any) -> Any:
        """The new subscription's row (values in the order of _INSERT)."""
        return await self.conn.fetchrow(_INSERT, *values)

    async def get(self, subscription_id: uuid.UUID, *, lock: bool = False) -> Any:
        return await self.conn.fetchrow(
            f"SELECT {COLUMNS}, scopes, secret, previous_secret FROM subscriptions "  # noqa: S608
            "WHERE id = $1" + (" FOR UPDATE" if lock else ""), subscription_id)

    async def page(self, *, everyone: bool, subject: str, home: str, state: str | None,
                   after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[Any]:
        return list(await self.conn.fetch(
            f"SELECT {COLUMNS} FROM subscriptions WHERE "  # noqa: S608
            "($1::boolean OR (owner_subject = $2 AND owner_home = $3)) "
            "AND ($4::text IS NULL OR state = $4) "
            "AND ($5::timestamptz IS NULL OR (created_at, id) > ($5, $6)) "
            "ORDER BY created_at, id LIMIT $7",
            everyone, subject, home, state, after[0] if after else None,
            after[1] if after else None, limit))

    async def move(self, subscription_id: uuid.UUID, to: str, *, by: str | None = None,
                   stamp: str | None = None) -> Any:
        """To a new state (``stamp``: "approved" or "ended" also notes who and when)."""
        args = (by,) if stamp else ()
        return await self.conn.fetchrow(_MOVE.format(extra=_EXTRA[stamp]), subscription_id,
                                        to, *args)

    async def drop_pending(self, subscription_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE deliveries SET state = 'dead', dead_at = now(), "
                                "last_error = 'the subscription was ended' "
                                "WHERE subscription_id = $1 AND state = 'pending'",
                                subscription_id)

    async def hurry_pending(self, subscription_id: uuid.UUID) -> None:
        await self.conn.execute("UPDATE deliveries SET next_attempt_at = now() "
                                "WHERE subscription_id = $1 AND state = 'pending'",
                                subscription_id)

    async def rotate(self, subscription_id: uuid.UUID, *, secret: bytes,
                     previous: bytes | None, until: datetime | None) -> Any:
        return await self.conn.fetchrow(
            f"UPDATE subscriptions SET secret = $2, previous_secret = $3, "  # noqa: S608
            f"previous_secret_until = $4, version = version + 1 WHERE id = $1 "
            f"RETURNING {COLUMNS}", subscription_id, secret, previous, until)

    async def queue_ping(self, delivery_id: uuid.UUID, *, code: str,
                         subscription_id: uuid.UUID, event_id: str, event_type: str) -> None:
        await self.conn.execute(
            "INSERT INTO deliveries (id, municipality_code, subscription_id, event_id, "
            "event_type, event_time, service, subject) "
            "VALUES ($1, $2, $3, $4, $5, now(), 'webhooks', $6)",
            delivery_id, code, subscription_id, event_id, event_type,
            f"webhooks/subscriptions/{subscription_id}")

    async def requeue(self, delivery_id: uuid.UUID, subscription_id: uuid.UUID) -> bool:
        """Back in the queue after its subject's later messages; False if it is queued (or
        not there)."""
        return await self.conn.fetchrow(
            "UPDATE deliveries SET state = 'pending', next_attempt_at = now(), dead_at = NULL, "
            "seq = nextval('deliveries_seq_seq') WHERE id = $1 AND subscription_id = $2 "
            "AND state <> 'pending' RETURNING id", delivery_id, subscription_id) is not None

    async def delivery_state(self, delivery_id: uuid.UUID,
                             subscription_id: uuid.UUID) -> str | None:
        state: str | None = await self.conn.fetchval(
            "SELECT state FROM deliveries WHERE id = $1 AND subscription_id = $2",
            delivery_id, subscription_id)
        return state

    async def wake_dispatchers(self) -> None:
        await self.conn.execute("SELECT pg_notify('kyodo_webhooks_deliveries', '')")

    async def deliveries(self, subscription_id: uuid.UUID, *, state: str | None,
                         before: int | None, limit: int) -> tuple[list[Any], list[Any]]:
        """A page of the delivery log, newest first, and the attempts of its messages."""
        rows = await self.conn.fetch(
            "SELECT id, seq, municipality_code, event_id, event_type, subject, state, "
            "attempts, created_at, next_attempt_at, delivered_at, dead_at, last_status, "
            "last_error FROM deliveries WHERE subscription_id = $1 "
            "AND ($2::text IS NULL OR state = $2) AND ($3::bigint IS NULL OR seq < $3) "
            "ORDER BY seq DESC LIMIT $4", subscription_id, state, before, limit)
        attempts = await self.conn.fetch(
            "SELECT delivery_id, attempt, at, duration_ms, status, outcome, reason "
            "FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) "
            "ORDER BY delivery_id, attempt", [r["id"] for r in rows])
        return list(rows), list(attempts)
