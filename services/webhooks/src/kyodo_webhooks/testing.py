"""Webhooks' stores in memory for handler tests without PostgreSQL (dev-only: nothing in the
service imports it). ``FakeWebhooks`` is the database; a unit of work is a transaction on a
copy of it, which sees its own writes and replaces the database's state on ``commit`` (the
fan-out's on ``flush``, as the inbox commits when the handler returns). Rows are dicts, as
asyncpg's records read. The integration tests keep the real stores (adapters/) honest.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kyodo_common.testing import FakeUnitOfWork

SANJO = "152048"
_ADDED = ("id", "municipality_code", "owner_subject", "owner_home", "owner_kind", "grant_id",
          "scopes", "event_types", "filters", "callback_url", "description", "state",
          "secret", "approved_by", "approved_at")


@dataclass
class FakeWebhooks:
    """What the tables hold, committed."""

    subscriptions: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    deliveries: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    protected_people: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)

    def unit_of_work(self, municipality_code: str = SANJO) -> FakeWebhooksUnitOfWork:
        return FakeWebhooksUnitOfWork(self, municipality_code)

    def inbox_unit_of_work(self) -> FakeWebhooksInboxUnitOfWork:
        return FakeWebhooksInboxUnitOfWork(self)


class FakeSubscriptions:
    """kyodo_webhooks.service_layer.ports.SubscriptionStore."""

    def __init__(self, db: FakeWebhooks) -> None:
        self.db = db  # the transaction's copy
        self.woken = 0

    async def add(self, *values: Any) -> Any:
        row = dict(zip(_ADDED, values, strict=True))
        row.update(version=1, created_at=datetime.now(UTC), ended_by=None, ended_at=None,
                   failures=0, failing_since=None, retry_at=None, last_success_at=None,
                   last_error=None, previous_secret=None, previous_secret_until=None)
        self.db.subscriptions[row["id"]] = row
        return dict(row)

    async def get(self, subscription_id: uuid.UUID, *, lock: bool = False) -> Any:
        found = self.db.subscriptions.get(subscription_id)
        return dict(found) if found else None

    async def page(self, *, everyone: bool, subject: str, home: str, state: str | None,
                   after: Any, limit: int) -> list[Any]:
        rows = [r for r in self.db.subscriptions.values()
                if (everyone or (r["owner_subject"], r["owner_home"]) == (subject, home))
                and (state is None or r["state"] == state)]
        return [dict(r) for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]))][:limit]

    async def move(self, subscription_id: uuid.UUID, to: str, *, by: str | None = None,
                   stamp: str | None = None) -> Any:
        row = self.db.subscriptions[subscription_id]
        row.update(state=to, version=row["version"] + 1, failures=0, failing_since=None,
                   retry_at=None)
        if stamp:
            row.update({f"{stamp}_by": by, f"{stamp}_at": datetime.now(UTC)})
        return dict(row)

    def _pending(self, subscription_id: uuid.UUID) -> list[dict[str, Any]]:
        return [d for d in self.db.deliveries.values()
                if d["subscription_id"] == subscription_id and d["state"] == "pending"]

    async def drop_pending(self, subscription_id: uuid.UUID) -> None:
        for delivery in self._pending(subscription_id):
            delivery.update(state="dead", last_error="the subscription was ended")

    async def hurry_pending(self, subscription_id: uuid.UUID) -> None:
        for delivery in self._pending(subscription_id):
            delivery["next_attempt_at"] = datetime.now(UTC)

    async def rotate(self, subscription_id: uuid.UUID, *, secret: bytes,
                     previous: bytes | None, until: datetime | None) -> Any:
        row = self.db.subscriptions[subscription_id]
        row.update(secret=secret, previous_secret=previous, previous_secret_until=until)
        return dict(row)

    async def queue_ping(self, delivery_id: uuid.UUID, *, code: str,
                         subscription_id: uuid.UUID, event_id: str, event_type: str) -> None:
        self.db.deliveries[delivery_id] = {
            "id": delivery_id, "municipality_code": code, "subscription_id": subscription_id,
            "event_id": event_id, "event_type": event_type, "state": "pending"}

    async def requeue(self, delivery_id: uuid.UUID, subscription_id: uuid.UUID) -> bool:
        found = self.db.deliveries.get(delivery_id)
        if (found is None or found["subscription_id"] != subscription_id
                or found["state"] == "pending"):
            return False
        found["state"] = "pending"
        return True

    async def delivery_state(self, delivery_id: uuid.UUID,
                             subscription_id: uuid.UUID) -> str | None:
        found = self.db.deliveries.get(delivery_id)
        return found["state"] if found and found["subscription_id"] == subscription_id else None

    async def wake_dispatchers(self) -> None:
        self.woken += 1

    async def deliveries(self, subscription_id: uuid.UUID, *, state: str | None,
                         before: int | None, limit: int) -> tuple[list[Any], list[Any]]:
        raise NotImplementedError("the delivery log is read in the integration tests")


class FakeFanOut:
    """kyodo_webhooks.service_layer.ports.FanOutStore."""

    def __init__(self, db: FakeWebhooks) -> None:
        self.db = db  # the transaction's copy

    async def remember_measures(self, columns: Sequence[Sequence[Any]]) -> None:
        names = ("municipality_code", "resident_id", "platform_person_id", "version",
                 "protected", "protected_from", "protected_until")
        for values in zip(*columns, strict=True):
            row = dict(zip(names, values, strict=True))
            known = self.db.protected_people.get(row["resident_id"])
            if known is None or known["version"] < row["version"]:
                self.db.protected_people[row["resident_id"]] = row

    async def measures(self, ids: list[uuid.UUID]) -> list[Any]:
        return [dict(r) for r in self.db.protected_people.values()
                if r["resident_id"] in ids or r["platform_person_id"] in ids]

    async def subscribers(self, event_type: str) -> list[Any]:
        return [{k: r[k] for k in ("id", "owner_kind", "owner_home", "grant_id", "scopes",
                                   "filters")}
                for r in self.db.subscriptions.values()
                if r["state"] in ("active", "paused") and event_type in r["event_types"]]

    async def queue(self, columns: Sequence[list[Any]]) -> None:
        names = ("id", "municipality_code", "subscription_id", "event_id", "event_type",
                 "event_time", "service", "subject")
        for values in zip(*columns, strict=True):
            row = {**dict(zip(names, values, strict=True)), "state": "pending"}
            self.db.deliveries.setdefault(row["id"], row)  # ON CONFLICT DO NOTHING


class FakeWebhooksUnitOfWork(FakeUnitOfWork):
    """A request's transaction (WebhooksUnitOfWork's store)."""

    def __init__(self, db: FakeWebhooks, municipality_code: str = SANJO) -> None:
        super().__init__(municipality_code, source="kyodo/webhooks")
        self._db, self._tx = db, copy.deepcopy(db)
        self.subscriptions = FakeSubscriptions(self._tx)

    async def commit(self) -> None:
        vars(self._db).update(copy.deepcopy(vars(self._tx)))
        await super().commit()


class FakeWebhooksInboxUnitOfWork:
    """The fan-out's (WebhooksInboxUnitOfWork's store); ``flush`` is the inbox's commit."""

    def __init__(self, db: FakeWebhooks) -> None:
        self._db, self._tx = db, copy.deepcopy(db)
        self.fan_out = FakeFanOut(self._tx)

    def flush(self) -> None:
        vars(self._db).update(copy.deepcopy(vars(self._tx)))
