"""支援措置: a notification about a protected person is never sent to a subscriber who may not
see them (kyodo_common.privacy: a partner client never may). The register's events carry each
person's measure dates; tax and disaster events name people by id, looked up in the read model
of measures this service keeps from the register's events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from kyodo_common.events import DomainEvent
from kyodo_disaster import events as disaster
from kyodo_residents import events as residents
from kyodo_tax import events as tax


def in_force(protected: bool, starts: date | None, ends: date | None, today: date) -> bool:
    """A measure in force today, or one that will start: both hide (a notification sent today
    must not reveal tomorrow's protected person either)."""
    if starts is None:
        return protected
    return ends is None or today <= ends


def state_hidden(state: residents.ResidentState, today: date) -> bool:
    return in_force(state.protected, state.protected_from, state.protected_until, today)


def people_named(event: DomainEvent) -> tuple[list[residents.ResidentState], list[UUID]]:
    """The people an event is about: states it carries, and ids to look up."""
    if isinstance(event, residents.ResidentRegisterChanged):
        return list(event.residents), [event.subject_id]
    if isinstance(event, residents.TransferNoticeIssued):
        return [event.resident], []
    if isinstance(event, tax.TaxAssessmentChanged):
        ids = [event.platform_person_id]
        if event.resident_id is not None:
            ids.append(event.resident_id)
        return [], ids
    if isinstance(event, disaster.HouseDamageAssessed):
        ids = list(event.occupant_resident_ids)
        ids += [i for i in (event.householder_resident_id, event.applicant_resident_id) if i]
        ids += [r.applicant_resident_id for r in event.requests]
        return [], ids
    return [], []


def hidden(event: DomainEvent, today: date, protected_ids: Iterable[UUID]) -> bool:
    """Whether announcing the event would tell of a protected person. ``protected_ids``: those
    of ``people_named(event)[1]`` whom the read model knows as protected."""
    states, _ = people_named(event)
    return any(state_hidden(s, today) for s in states) or any(True for _ in protected_ids)
