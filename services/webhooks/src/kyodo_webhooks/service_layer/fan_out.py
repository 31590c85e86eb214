"""When the platform publishes an event: queue a notification for each subscription that
matches it, unless it would tell a subscriber of a person it may not see (支援措置). Runs in
the inbox's tenant transaction, so an event redelivered by the broker queues nothing twice."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import kyodo_residents_events as residents

from kyodo_common.events import DomainEvent, Envelope
from kyodo_common.privacy import PROTECTED_SCOPE
from kyodo_webhooks.domain import protection
from kyodo_webhooks.domain.catalogue import TYPES
from kyodo_webhooks.domain.subscription import filterable, matches
from kyodo_webhooks.service_layer.ports import FanOutStore, FanOutUnitOfWork

JAPAN = ZoneInfo("Asia/Tokyo")
# The one namespace of delivery ids: a subscription's message for an event has one id, its
# webhook-id, however often the event is handled.
_DELIVERY_IDS = uuid.UUID("6f1d3f0e-5b7a-4c9e-9a51-7f2f0c0e8b11")

def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def delivery_id(subscription_id: uuid.UUID, event_id: str) -> uuid.UUID:
    return uuid.uuid5(_DELIVERY_IDS, f"{subscription_id}/{event_id}")


def subscriber_sees_protected(row: Any, code: str) -> bool:
    """kyodo_common.privacy.may_see_protected, for the subscriber as it subscribed."""
    return (row["owner_kind"] == "staff" and row["grant_id"] is None
            and row["owner_home"] == code and PROTECTED_SCOPE in row["scopes"])


async def _remember_measures(store: FanOutStore, code: str,
                             states: Sequence[residents.ResidentState]) -> None:
    """Each person state of the register's events, newest version kept (so a measure that
    ended, or was lifted, is known too)."""
    latest: dict[uuid.UUID, residents.ResidentState] = {}
    for s in states:
        if s.resident_id not in latest or latest[s.resident_id].version < s.version:
            latest[s.resident_id] = s
    if not latest:
        return
    rows = list(latest.values())
    await store.remember_measures((
        [code] * len(rows), [s.resident_id for s in rows], [s.platform_person_id for s in rows],
        [s.version for s in rows], [s.protected for s in rows],
        [s.protected_from for s in rows], [s.protected_until for s in rows]))


async def _protected_ids(store: FanOutStore, ids: list[uuid.UUID],
                         today: date) -> list[uuid.UUID]:
    if not ids:
        return []
    rows = await store.measures(ids)
    return [r["resident_id"] for r in rows
            if protection.in_force(r["protected"], r["protected_from"], r["protected_until"],
                                   today)]


async def when_events_notify(uow: FanOutUnitOfWork,
                             delivered: Sequence[tuple[DomainEvent, Envelope]]) -> None:
    """``uow``: WebhooksInboxUnitOfWork (the inbox's transaction), or a fake."""
    store = uow.fan_out
    code = delivered[0][1].municipality
    named = [protection.people_named(event, envelope.type) for event, envelope in delivered]
    await _remember_measures(store, code, [s for states, _ in named for s in states])
    today = datetime.now(JAPAN).date()
    subscribers: dict[str, list[Any]] = {}
    rows: list[tuple[Any, ...]] = []
    for (event, envelope), (states, ids) in zip(delivered, named, strict=True):
        event_type = TYPES.get(envelope.type)
        if event_type is None:
            continue
        path = event_type.path(event)
        attributes = filterable(event, envelope.type)
        if envelope.type not in subscribers:
            subscribers[envelope.type] = await store.subscribers(envelope.type)
        matching = [s for s in subscribers[envelope.type]
                    if matches(_json(s["filters"]), attributes)]
        if not matching:
            continue
        hidden = protection.hidden(states, today, await _protected_ids(store, ids, today))
        for s in matching:
            if hidden and not subscriber_sees_protected(s, envelope.municipality):
                continue
            rows.append((delivery_id(s["id"], envelope.id), envelope.municipality, s["id"],
                         envelope.id, envelope.type, envelope.time, event_type.service, path))
    if rows:
        await store.queue([list(column) for column in zip(*rows, strict=True)])


HANDLED: tuple[type[DomainEvent], ...] = (
    *residents.ALL_EVENTS,
    *(t.event for t in TYPES.values() if t.event not in residents.ALL_EVENTS),
)
