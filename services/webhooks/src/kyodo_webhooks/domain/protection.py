"""支援措置: a notification about a protected person is never sent to a subscriber who may not
see them (kyodo_common.privacy: a partner client never may). The register's events carry each
person's measure dates; tax and disaster events name people by id, looked up in the read model
of measures this service keeps from the register's events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import kyodo_disaster_events as disaster
import kyodo_residents_events as residents
import kyodo_tax_events as tax


def in_force(protected: bool, starts: date | None, ends: date | None, today: date) -> bool:
    """A measure in force today, or one that will start: both hide (a notification sent today
    must not reveal tomorrow's protected person either)."""
    if starts is None:
        return protected
    return ends is None or today <= ends


def state_hidden(state: residents.ResidentState, today: date) -> bool:
    return in_force(state.protected, state.protected_from, state.protected_until, today)


_REGISTER = frozenset(e.event_type for e in residents.ALL_EVENTS
                      if issubclass(e, residents.ResidentRegisterChanged))
_TAX = frozenset((tax.TaxAssessed.event_type, tax.TaxAssessmentCorrected.event_type))
_HOUSES = frozenset((disaster.HouseDamageAssessed.event_type,
                     disaster.HouseDamageReassessed.event_type))


def people_named(event: Any, event_type: str) -> tuple[list[residents.ResidentState],
                                                       list[UUID]]:
    """The people an event is about: states it carries, and ids to look up. By the event's
    type, not its class, so the consumer contracts see every field read."""
    if event_type in _REGISTER:
        return list(event.residents), [event.subject_id]
    if event_type == residents.TransferNoticeIssued.event_type:
        return [event.resident], []
    if event_type in _TAX:
        ids = [event.platform_person_id]
        if event.resident_id is not None:
            ids.append(event.resident_id)
        return [], ids
    if event_type in _HOUSES:
        ids = list(event.occupant_resident_ids)
        ids += [i for i in (event.householder_resident_id, event.applicant_resident_id) if i]
        ids += [r.applicant_resident_id for r in event.requests]
        return [], ids
    return [], []


def hidden(states: Iterable[residents.ResidentState], today: date,
           protected_ids: Iterable[UUID]) -> bool:
    """Whether announcing an event would tell of a protected person: one of the states it
    carries, or one of the people it names whom the read model knows as protected."""
    return any(state_hidden(s, today) for s in states) or any(True for _ in protected_ids)
