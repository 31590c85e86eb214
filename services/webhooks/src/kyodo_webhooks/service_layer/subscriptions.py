"""Use cases of the subscriptions API: subscribe, see, approve, end, pause and resume, rotate
the signing secret, redeliver, ping, and read the delivery log."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg

from kyodo_common.assertion import Acting
from kyodo_common.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from kyodo_webhooks.domain import ssrf
from kyodo_webhooks.domain import subscription as rules
from kyodo_webhooks.domain.catalogue import PING
from kyodo_webhooks.domain.notification import new_secret
from kyodo_webhooks.service_layer.context import WebhooksContext

_COLUMNS = ("id, municipality_code, owner_subject, owner_home, owner_kind, grant_id, "
            "event_types, filters, callback_url, description, state, version, created_at, "
            "approved_by, approved_at, ended_by, ended_at, failures, failing_since, retry_at, "
            "last_success_at, last_error, previous_secret_until")
MAX_OVERLAP = timedelta(days=7)
_INSERT = " ".join((
    "INSERT INTO subscriptions (id, municipality_code, owner_subject, owner_home, owner_kind,",
    "grant_id, scopes, event_types, filters, callback_url, description, state, secret,",
    "approved_by, approved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11,",
    "$12, $13, $14, $15) RETURNING", _COLUMNS))


def public(row: Any) -> dict[str, Any]:
    """A subscription as the API shows it (never its secret)."""
    return {
        "id": str(row["id"]), "municipality_code": row["municipality_code"],
        "owner": {"subject": row["owner_subject"], "home_municipality": row["owner_home"],
                  "kind": row["owner_kind"], "grant_id": row["grant_id"]},
        "event_types": list(row["event_types"]), "filters": _json(row["filters"]),
        "callback_url": row["callback_url"], "description": row["description"],
        "state": row["state"], "version": row["version"],
        "created_at": _iso(row["created_at"]), "approved_by": row["approved_by"],
        "approved_at": _iso(row["approved_at"]), "ended_by": row["ended_by"],
        "ended_at": _iso(row["ended_at"]),
        "health": {"consecutive_failures": row["failures"],
                   "failing_since": _iso(row["failing_since"]),
                   "next_probe_at": _iso(row["retry_at"]),
                   "last_success_at": _iso(row["last_success_at"]),
                   "last_error": row["last_error"]},
        "previous_secret_valid_until": _iso(row["previous_secret_until"]),
    }


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def create(conn: asyncpg.Connection, context: WebhooksContext, *, acting: Acting,
                 callback_url: str, event_types: list[str], filters: dict[str, Any] | None,
                 description: str | None) -> dict[str, Any]:
    if not acting.has_scope(rules.SUBSCRIBE) and not acting.has_scope(rules.MANAGE):
        raise Forbidden(f"the scope {rules.SUBSCRIBE} is required")
    ssrf.check_url(callback_url, allow_private=context.allow_private)
    types = rules.event_types(event_types, acting)
    stored_filters = rules.filters(filters)
    code = acting.municipality
    subscription_id = uuid.uuid4()
    secret = new_secret()
    state = rules.initial_state(acting)
    now = datetime.now(UTC)
    row = await conn.fetchrow(
        _INSERT,
        subscription_id, code, acting.principal.subject, acting.principal.home_municipality,
        acting.principal.kind, acting.grant_id, sorted(acting.scopes), types,
        json.dumps(stored_filters), callback_url, description, state,
        context.seal(code, subscription_id, secret),
        acting.principal.subject if state == "active" else None,
        now if state == "active" else None)
    return {**public(row), "secret": secret}


async def _row(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID, *,
               lock: bool = False) -> Any:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS}, scopes, secret, previous_secret FROM subscriptions "  # noqa: S608
        "WHERE id = $1" + (" FOR UPDATE" if lock else ""), subscription_id)
    if row is None or not rules.may_manage(acting, row):
        raise NotFound("the subscription")
    return row


async def get(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID
              ) -> dict[str, Any]:
    return public(await _row(conn, acting, subscription_id))


async def list_(conn: asyncpg.Connection, acting: Acting, *, state: str | None,
                after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[dict[str, Any]]:
    """The admin sees every subscription to the town's data; a client, its own."""
    everyone = acting.has_scope(rules.MANAGE) and acting.grant_id is None
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM subscriptions WHERE "  # noqa: S608
        "($1::boolean OR (owner_subject = $2 AND owner_home = $3)) "
        "AND ($4::text IS NULL OR state = $4) "
        "AND ($5::timestamptz IS NULL OR (created_at, id) > ($5, $6)) "
        "ORDER BY created_at, id LIMIT $7",
        everyone, acting.principal.subject, acting.principal.home_municipality, state,
        after[0] if after else None, after[1] if after else None, limit)
    return [public(r) for r in rows]


async def _transition(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID,
                      version: int | None, *, allowed_from: tuple[str, ...], to: str,
                      admin_only: bool = False, extra: str = "",
                      args: tuple[Any, ...] = ()) -> dict[str, Any]:
    row = await _row(conn, acting, subscription_id, lock=True)
    if admin_only and not (acting.has_scope(rules.MANAGE) and acting.grant_id is None):
        raise Forbidden(f"the town's admin ({rules.MANAGE}) decides this")
    if version is not None and version != row["version"]:
        raise PreconditionFailed("the subscription changed since you read it")
    if row["state"] not in allowed_from:
        raise Conflict(f"the subscription is {row['state']}")
    updated = await conn.fetchrow(
        f"UPDATE subscriptions SET state = $2, version = version + 1, "  # noqa: S608
        f"failures = 0, failing_since = NULL, retry_at = NULL{extra} "
        f"WHERE id = $1 RETURNING {_COLUMNS}", subscription_id, to, *args)
    return public(updated)


async def approve(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID,
                  version: int | None) -> dict[str, Any]:
    return await _transition(conn, acting, subscription_id, version,
                             allowed_from=("pending_approval",), to="active", admin_only=True,
                             extra=", approved_by = $3, approved_at = now()",
                             args=(acting.principal.subject,))


async def end(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID,
              version: int | None) -> dict[str, Any]:
    """Ended for good: nothing more is queued, and what was queued is not sent."""
    result = await _transition(
        conn, acting, subscription_id, version,
        allowed_from=("pending_approval", "active", "paused"), to="ended",
        extra=", ended_by = $3, ended_at = now()", args=(acting.principal.subject,))
    await conn.execute("UPDATE deliveries SET state = 'dead', dead_at = now(), "
                       "last_error = 'the subscription was ended' "
                       "WHERE subscription_id = $1 AND state = 'pending'", subscription_id)
    return result


async def pause(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID,
                version: int | None) -> dict[str, Any]:
    """Messages are still queued while paused, and flow in order on resume."""
    return await _transition(conn, acting, subscription_id, version, allowed_from=("active",),
                             to="paused")


async def resume(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID,
                 version: int | None) -> dict[str, Any]:
    result = await _transition(conn, acting, subscription_id, version,
                               allowed_from=("paused",), to="active")
    await conn.execute("UPDATE deliveries SET next_attempt_at = now() "
                       "WHERE subscription_id = $1 AND state = 'pending'", subscription_id)
    return result


async def rotate_secret(conn: asyncpg.Connection, context: WebhooksContext, acting: Acting,
                        subscription_id: uuid.UUID, overlap_seconds: int) -> dict[str, Any]:
    """A new secret signs from now on; the old one signs too (a second signature in
    webhook-signature) until the overlap ends, so the receiver can switch without a gap."""
    if not 0 <= overlap_seconds <= MAX_OVERLAP.total_seconds():
        raise InvalidInput("overlap_seconds", "0 to 604800 (7 days)")
    row = await _row(conn, acting, subscription_id, lock=True)
    if row["state"] == "ended":
        raise Conflict("the subscription is ended")
    code = row["municipality_code"]
    secret = new_secret()
    until = datetime.now(UTC) + timedelta(seconds=overlap_seconds)
    updated = await conn.fetchrow(
        f"UPDATE subscriptions SET secret = $2, previous_secret = $3, "  # noqa: S608
        f"previous_secret_until = $4, version = version + 1 WHERE id = $1 RETURNING {_COLUMNS}",
        subscription_id, context.seal(code, subscription_id, secret),
        row["secret"] if overlap_seconds else None, until if overlap_seconds else None)
    return {**public(updated), "secret": secret}


async def ping(conn: asyncpg.Connection, context: WebhooksContext, acting: Acting,
               subscription_id: uuid.UUID) -> dict[str, Any]:
    """A test message, queued like any other (signed, retried, in the delivery log)."""
    row = await _row(conn, acting, subscription_id)
    if row["state"] not in ("active", "paused"):
        raise Conflict(f"the subscription is {row['state']}")
    event_id = f"ping-{uuid.uuid4()}"
    delivery_id = uuid.uuid4()
    await conn.execute(
        "INSERT INTO deliveries (id, municipality_code, subscription_id, event_id, event_type, "
        "event_time, service, subject) VALUES ($1, $2, $3, $4, $5, now(), 'webhooks', $6)",
        delivery_id, row["municipality_code"], subscription_id, event_id, PING,
        f"webhooks/subscriptions/{subscription_id}")
    return {"delivery_id": str(delivery_id), "webhook_id": str(delivery_id), "state": "pending"}


async def redeliver(conn: asyncpg.Connection, acting: Acting, subscription_id: uuid.UUID,
                    delivery_id: uuid.UUID) -> dict[str, Any]:
    """Sent again with the same webhook-id (the receiver may have it already): a message that
    was dead-lettered or delivered goes back in the queue, after its subject's later ones."""
    row = await _row(conn, acting, subscription_id)
    if row["state"] not in ("active", "paused"):
        raise Conflict(f"the subscription is {row['state']}")
    updated = await conn.fetchrow(
        "UPDATE deliveries SET state = 'pending', next_attempt_at = now(), dead_at = NULL, "
        "seq = nextval('deliveries_seq_seq') WHERE id = $1 AND subscription_id = $2 "
        "AND state <> 'pending' RETURNING id", delivery_id, subscription_id)
    if updated is None:
        exists = await conn.fetchval("SELECT state FROM deliveries WHERE id = $1 AND "
                                     "subscription_id = $2", delivery_id, subscription_id)
        if exists is None:
            raise NotFound("the delivery")
        raise Conflict("the delivery is already queued")
    await conn.execute("SELECT pg_notify('kyodo_webhooks_deliveries', '')")
    return {"delivery_id": str(delivery_id), "state": "pending"}


def delivery_public(row: Any, attempts: list[Any], public_url: str) -> dict[str, Any]:
    subject = f"{public_url}/v1/municipalities/{row['municipality_code']}/{row['subject']}"
    return {
        "id": str(row["id"]), "webhook_id": str(row["id"]), "event_id": row["event_id"],
        "event_type": row["event_type"], "subject": subject, "state": row["state"],
        "attempts": row["attempts"], "created_at": _iso(row["created_at"]),
        "next_attempt_at": _iso(row["next_attempt_at"]) if row["state"] == "pending" else None,
        "delivered_at": _iso(row["delivered_at"]), "dead_at": _iso(row["dead_at"]),
        "last_status": row["last_status"], "last_error": row["last_error"],
        "log": [{"attempt": a["attempt"], "at": _iso(a["at"]), "duration_ms": a["duration_ms"],
                 "status": a["status"], "outcome": a["outcome"], "reason": a["reason"]}
                for a in attempts],
    }


async def deliveries(conn: asyncpg.Connection, context: WebhooksContext, acting: Acting,
                     subscription_id: uuid.UUID, *, state: str | None, before: int | None,
                     limit: int
                     ) -> list[tuple[int, dict[str, Any]]]:
    """The delivery log, newest first, each message (by its sequence number, the page's key)
    with its attempts."""
    await _row(conn, acting, subscription_id)
    rows = await conn.fetch(
        "SELECT id, seq, municipality_code, event_id, event_type, subject, state, attempts, "
        "created_at, next_attempt_at, delivered_at, dead_at, last_status, last_error "
        "FROM deliveries WHERE subscription_id = $1 AND ($2::text IS NULL OR state = $2) "
        "AND ($3::bigint IS NULL OR seq < $3) ORDER BY seq DESC LIMIT $4",
        subscription_id, state, before, limit)
    attempts = await conn.fetch(
        "SELECT delivery_id, attempt, at, duration_ms, status, outcome, reason "
        "FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) "
        "ORDER BY delivery_id, attempt", [r["id"] for r in rows])
    by_delivery: dict[Any, list[Any]] = {}
    for a in attempts:
        by_delivery.setdefault(a["delivery_id"], []).append(a)
    return [(r["seq"], delivery_public(r, by_delivery.get(r["id"], []), context.public_url))
            for r in rows]
