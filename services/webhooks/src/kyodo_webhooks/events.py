"""The webhooks service publishes no events on the platform's broker: what it tells, it tells
partners over HTTP (kyodo_webhooks.domain.notification)."""

from __future__ import annotations

from kyodo_common.events import DomainEvent

TOPICS: dict[str, int] = {}
ALL_EVENTS: tuple[type[DomainEvent], ...] = ()
