"""The events a scenario can be started by: the register's changes and disaster's events."""

from __future__ import annotations

from kyodo_disaster_events import ALL_EVENTS as DISASTER_EVENTS
from kyodo_residents_events import ALL_EVENTS as RESIDENT_EVENTS

from kyodo_common.events import DomainEvent

TRIGGER_EVENTS: tuple[type[DomainEvent], ...] = (*RESIDENT_EVENTS, *DISASTER_EVENTS)
TRIGGER_EVENT_TYPES = frozenset(e.event_type for e in TRIGGER_EVENTS)
