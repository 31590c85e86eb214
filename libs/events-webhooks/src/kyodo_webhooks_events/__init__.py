"""The webhooks service publishes no events on the platform's broker: what it tells, it tells
partners over HTTP (kyodo_webhooks.domain.notification). The package exists so that every
service has its events in the same place (kyodo_launcher.catalogue)."""

from __future__ import annotations

from kyodo_common.events import DomainEvent

TOPICS: dict[str, int] = {}
ALL_EVENTS: tuple[type[DomainEvent], ...] = ()
