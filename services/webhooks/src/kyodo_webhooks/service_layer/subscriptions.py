"""Use cases of the subscriptions API: subscribe, see, approve, end, pause and resume, rotate
the signing secret, redeliver, ping, and read the delivery log."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from kyodo_common.assertion import Acting
from kyodo_common.errors import Conflict, Forbidden, InvalidInput, NotFound, PreconditionFailed
from kyodo_webhooks.domain import ssrf
from kyodo_webhooks.domain import subscription as rules
from kyodo_webhooks.domain.catalogue import PING
from kyodo_webhooks.domain.notification import new_secret
from kyodo_webhooks.service_layer.context import WebhooksContext
from kyodo_webhooks.service_layer.ports import SubscriptionStore

MAX_OVERLAP = timedelta(days=7)


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


async def create(store: SubscriptionStore, context: WebhooksContext, *, acting: Acting,
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
    row = await store.add(
        subscription_id, code, acting.principal.subject, acting.principal.home_municipality,
        acting.principal.kind, acting.grant_id, sorted(acting.scopes), types,
        json.dumps(stored_filters), callback_url, description, state,
        context.seal(code, subscription_id, secret),
        acting.principal.subject if state == "active" else None,
        now if state == "active" else None)
    return {**public(row), "secret": secret}


async def _row(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID, *,
               lock: bool = False) -> Any:
    row = await store.get(subscription_id, lock=lock)
    if row is None or not rules.may_manage(acting, row):
        raise NotFound("the subscription")
    return row


async def get(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID
              ) -> dict[str, Any]:
    return public(await _row(store, acting, subscription_id))


async def list_(store: SubscriptionStore, acting: Acting, *, state: str | None,
                after: tuple[datetime, uuid.UUID] | None, limit: int) -> list[dict[str, Any]]:
    """The admin sees every subscription to the town's data; a client, its own."""
    everyone = acting.has_scope(rules.MANAGE) and acting.grant_id is None
    rows = await store.page(everyone=everyone, subject=acting.principal.subject,
                            home=acting.principal.home_municipality, state=state,
                            after=after, limit=limit)
    return [public(r) for r in rows]


async def _transition(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID,
                      version: int | None, *, allowed_from: tuple[str, ...], to: str,
                      admin_only: bool = False, stamp: str | None = None) -> dict[str, Any]:
    row = await _row(store, acting, subscription_id, lock=True)
    if admin_only and not (acting.has_scope(rules.MANAGE) and acting.grant_id is None):
        raise Forbidden(f"the town's admin ({rules.MANAGE}) decides this")
    if version is not None and version != row["version"]:
        raise PreconditionFailed("the subscription changed since you read it")
    if row["state"] not in allowed_from:
        raise Conflict(f"the subscription is {row['state']}")
    return public(await store.move(subscription_id, to, by=acting.principal.subject,
                                   stamp=stamp))


async def approve(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID,
                  version: int | None) -> dict[str, Any]:
    return await _transition(store, acting, subscription_id, version,
                             allowed_from=("pending_approval",), to="active", admin_only=True,
                             stamp="approved")


async def end(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID,
              version: int | None) -> dict[str, Any]:
    """Ended for good: nothing more is queued, and what was queued is not sent."""
    result = await _transition(
        store, acting, subscription_id, version,
        allowed_from=("pending_approval", "active", "paused"), to="ended", stamp="ended")
    await store.drop_pending(subscription_id)
    return result


async def pause(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID,
                version: int | None) -> dict[str, Any]:
    """Messages are still queued while paused, and flow in order on resume."""
    return await _transition(store, acting, subscription_id, version, allowed_from=("active",),
                             to="paused")


async def resume(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID,
                 version: int | None) -> dict[str, Any]:
    result = await _transition(store, acting, subscription_id, version,
                               allowed_from=("paused",), to="active")
    await store.hurry_pending(subscription_id)
    return result


async def rotate_secret(store: SubscriptionStore, context: WebhooksContext, acting: Acting,
                        subscription_id: uuid.UUID, overlap_seconds: int) -> dict[str, Any]:
    """A new secret signs from now on; the old one signs too (a second signature in
    webhook-signature) until the overlap ends, so the receiver can switch without a gap."""
    if not 0 <= overlap_seconds <= MAX_OVERLAP.total_seconds():
        raise InvalidInput("overlap_seconds", "0 to 604800 (7 days)")
    row = await _row(store, acting, subscription_id, lock=True)
    if row["state"] == "ended":
        raise Conflict("the subscription is ended")
    code = row["municipality_code"]
    secret = new_secret()
    until = datetime.now(UTC) + timedelta(seconds=overlap_seconds)
    updated = await store.rotate(
        subscription_id, secret=context.seal(code, subscription_id, secret),
        previous=row["secret"] if overlap_seconds else None,
        until=until if overlap_seconds else None)
    return {**public(updated), "secret": secret}


async def ping(store: SubscriptionStore, context: WebhooksContext, acting: Acting,
               subscription_id: uuid.UUID) -> dict[str, Any]:
    """A test message, queued like any other (signed, retried, in the delivery log)."""
    row = await _row(store, acting, subscription_id)
    if row["state"] not in ("active", "paused"):
        raise Conflict(f"the subscription is {row['state']}")
    event_id = f"ping-{uuid.uuid4()}"
    delivery_id = uuid.uuid4()
    await store.queue_ping(delivery_id, code=row["municipality_code"],
                           subscription_id=subscription_id, event_id=event_id, event_type=PING)
    return {"delivery_id": str(delivery_id), "webhook_id": str(delivery_id), "state": "pending"}


async def redeliver(store: SubscriptionStore, acting: Acting, subscription_id: uuid.UUID,
                    delivery_id: uuid.UUID) -> dict[str, Any]:
    """Sent again with the same webhook-id (the receiver may have it already): a message that
    was dead-lettered or delivered goes back in the queue, after its subject's later ones."""
    row = await _row(store, acting, subscription_id)
    if row["state"] not in ("active", "paused"):
        raise Conflict(f"the subscription is {row['state']}")
    if not await store.requeue(delivery_id, subscription_id):
        if await store.delivery_state(delivery_id, subscription_id) is None:
            raise NotFound("the delivery")
        raise Conflict("the delivery is already queued")
    await store.wake_dispatchers()
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


async def deliveries(store: SubscriptionStore, context: WebhooksContext, acting: Acting,
                     subscription_id: uuid.UUID, *, state: str | None, before: int | None,
                     limit: int
                     ) -> list[tuple[int, dict[str, Any]]]:
    """The delivery log, newest first, each message (by its sequence number, the page's key)
    with its attempts."""
    await _row(store, acting, subscription_id)
    rows, attempts = await store.deliveries(subscription_id, state=state, before=before,
                                            limit=limit)
    by_delivery: dict[Any, list[Any]] = {}
    for a in attempts:
        by_delivery.setdefault(a["delivery_id"], []).append(a)
    return [(r["seq"], delivery_public(r, by_delivery.get(r["id"], []), context.public_url))
            for r in rows]
