"""出生 and 死亡."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from kyodo_residents_events import ResidentBorn, ResidentDied

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Status
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.service_layer.common import (
    Outcome,
    check_not_duplicate,
    finish,
    leave_register,
    new_person,
)
from kyodo_residents.service_layer.placement import JoinHousehold, place


async def birth(*, uow: UnitOfWork, today: date, details: PersonDetails,
                household_id: uuid.UUID, relationship: str = "子",
                confirmed_not_duplicate: bool = False) -> Outcome:
    """出生: the child enters the household; the effective date is the birth date."""
    if details.birth_date is None:
        raise InvalidInput("birth_date", "a birth is registered with its exact date")
    effective = details.birth_date
    rules.check_effective_date(effective, today=today)
    changes = Changes()
    child = changes.added(await new_person(uow, replace(details, birth_date_partial=None),
                                           today=today))
    child.became_resident_on = effective
    household = await place(uow, child, JoinHousehold(household_id, relationship),
                            since=effective, changes=changes, since_field="person.birth_date")
    await check_not_duplicate(uow, child, confirmed=confirmed_not_duplicate)
    return await finish(uow, changes, event_type=ResidentBorn, subject_id=child.id,
                        effective_date=effective, reason="出生",
                        late=rules.is_late(effective, today=today), today=today,
                        households=[household])


async def death(*, uow: UnitOfWork, today: date, resident_id: uuid.UUID,
                expected_version: int | None, effective_date: date,
                new_head_id: uuid.UUID | None = None,
                relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """死亡: the person leaves the register; a head's household needs a new head."""
    rules.check_effective_date(effective_date, today=today)
    changes = Changes()
    person, households = await leave_register(
        uow, resident_id=resident_id, expected_version=expected_version, status=Status.DEAD,
        left_on=effective_date, new_head_id=new_head_id, relationships=relationships,
        changes=changes)
    return await finish(uow, changes, event_type=ResidentDied, subject_id=person.id,
                        effective_date=effective_date, reason="死亡",
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=households)
