"""個人番号変更, 職権記載, 職権消除 and 支援措置 (DV/stalking protection)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from kyodo_residents_events import (
    ResidentMyNumberChanged,
    ResidentProtectionChanged,
    ResidentRegistered,
    ResidentRemoved,
)

from kyodo_common.crypto import FieldCipher
from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, InvalidInput, NotFound, RuleBroken
from kyodo_jp.checkdigits import is_valid_my_number
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Person, Status
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.service_layer.common import (
    Outcome,
    check_not_duplicate,
    finish,
    leave_register,
    new_person,
    person_for_update,
)
from kyodo_residents.service_layer.placement import Placement, place
from kyodo_residents.service_layer.unit_of_work import store_of

PROTECTION_YEAR = timedelta(days=365)


def _unacceptable_number() -> InvalidInput:
    """What a caller without mynumber:read hears of any number refused, a wrong check digit or
    one another resident has: which residents have which numbers is theirs to know only."""
    return InvalidInput("my_number", "this number cannot be accepted: check it against the card")


async def set_my_number(*, uow: UnitOfWork, today: date, cipher: FieldCipher,
                        resident_id: uuid.UUID, expected_version: int | None,
                        my_number: str, effective_date: date,
                        may_know_holders: bool) -> Outcome:
    """個人番号変更 (or first registration): stored encrypted, looked up by a keyed hash.

    Only a caller who may read numbers (``may_know_holders``) is told that another resident
    has this one; any other caller gets the answer of a mistyped number."""
    rules.check_effective_date(effective_date, today=today)
    if not is_valid_my_number(my_number):
        if not may_know_holders:
            raise _unacceptable_number()
        raise InvalidInput("my_number", "not a valid individual number (check digit)")
    person = await person_for_update(uow, resident_id, expected_version)
    person.require_resident()
    lookup = cipher.lookup_hash(my_number)
    # Under every key in use: during a rotation a row not yet re-keyed has the old hash.
    taken = await store_of(uow).my_number_holder(cipher.lookup_hashes(my_number),
                                                 other_than=person.id)
    if taken is not None:
        if not may_know_holders:
            raise _unacceptable_number()
        raise Conflict("this individual number is registered to another resident")
    changes = Changes()
    person.has_my_number = True
    changes.changed(person, my_number_hash=lookup,
                    my_number_cipher=cipher.encrypt(my_number, bound_to=str(person.id)))
    return await finish(uow, changes, event_type=ResidentMyNumberChanged,
                        subject_id=person.id, effective_date=effective_date,
                        reason="個人番号変更", late=False, today=today)


async def enter_ex_officio(*, uow: UnitOfWork, today: date, effective_date: date,
                           details: PersonDetails, placement: Placement,
                           confirmed_not_duplicate: bool = False) -> Outcome:
    """職権記載: the municipality enters a person it finds living there."""
    rules.check_effective_date(effective_date, today=today)
    changes = Changes()
    person = changes.added(await new_person(uow, details, today=today))
    person.became_resident_on = effective_date
    household = await place(uow, person, placement, since=effective_date, changes=changes)
    await check_not_duplicate(uow, person, confirmed=confirmed_not_duplicate)
    return await finish(uow, changes, event_type=ResidentRegistered, subject_id=person.id,
                        effective_date=effective_date, reason="職権記載", late=False,
                        today=today, households=[household])


async def remove_ex_officio(*, uow: UnitOfWork, today: date, resident_id: uuid.UUID,
                            expected_version: int | None, effective_date: date,
                            new_head_id: uuid.UUID | None = None,
                            relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """職権消除: the municipality removes a person who no longer lives there."""
    rules.check_effective_date(effective_date, today=today)
    changes = Changes()
    person, households = await leave_register(
        uow, resident_id=resident_id, expected_version=expected_version, status=Status.REMOVED,
        left_on=effective_date, new_head_id=new_head_id, relationships=relationships,
        changes=changes)
    return await finish(uow, changes, event_type=ResidentRemoved, subject_id=person.id,
                        effective_date=effective_date, reason="職権消除", late=False,
                        today=today, households=households)


@dataclass(frozen=True)
class Measure:
    id: uuid.UUID
    starts_on: date
    ends_on: date
    extensions: int


async def start_protection(*, uow: UnitOfWork, today: date, resident_id: uuid.UUID,
                           starts_on: date) -> tuple[Measure, Outcome]:
    """支援措置: one year from the start (e.g. 2020-04-01 → 2021-03-31). It may start later;
    the person is hidden from its first day to its last without anything else being done."""
    person = await _resident(uow, resident_id)
    ends_on = _one_year_from(starts_on)
    if ends_on < today:
        raise InvalidInput("starts_on", f"a measure from {starts_on} would have ended on "
                                        f"{ends_on}; a measure protects from now on")
    if await _not_ended(uow, resident_id, today) is not None:
        raise Conflict("a protection measure is in force or about to start; extend it instead")
    measure = Measure(id=uuid.uuid4(), starts_on=starts_on, ends_on=ends_on, extensions=0)
    await store_of(uow).add_measure(measure_id=measure.id, resident_id=resident_id,
                                    starts_on=measure.starts_on, ends_on=measure.ends_on)
    person.protected_from, person.protected_until = measure.starts_on, measure.ends_on
    return measure, await _protection_event(uow, person, today=today, effective=starts_on)


async def extend_protection(*, uow: UnitOfWork, today: date, resident_id: uuid.UUID,
                            measure_id: uuid.UUID) -> tuple[Measure, Outcome]:
    """Extension: from one month before the end, for one year from the next day."""
    person = await _resident(uow, resident_id)
    row = await store_of(uow).measure(resident_id, measure_id)
    if row is None:
        raise NotFound("protection measure")
    if today < _one_month_before(row.ends_on):
        raise RuleBroken(title="Too early to extend", kind="too-early",
                         detail="a measure can be extended from one month before its end",
                         invalid_params=[{"name": "measure_id", "reason": "too early"}])
    if today > row.ends_on:
        raise RuleBroken(title="Measure ended", kind="measure-ended",
                         detail="the measure has ended; start a new one",
                         invalid_params=[{"name": "measure_id", "reason": "ended"}])
    next_day = row.ends_on + timedelta(days=1)
    measure = Measure(id=row.id, starts_on=row.starts_on, ends_on=_one_year_from(next_day),
                      extensions=row.extensions + 1)
    await store_of(uow).extend_measure(measure_id, ends_on=measure.ends_on,
                                       extensions=measure.extensions)
    person.protected_from, person.protected_until = measure.starts_on, measure.ends_on
    return measure, await _protection_event(uow, person, today=today, effective=today)


def _one_year_from(start: date) -> date:
    try:
        return start.replace(year=start.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return date(start.year + 1, 2, 28)


def _one_month_before(end: date) -> date:
    month, year = (end.month - 1, end.year) if end.month > 1 else (12, end.year - 1)
    day = min(end.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    return date(year, month, day)


async def _resident(uow: UnitOfWork, resident_id: uuid.UUID) -> Person:
    person = await store_of(uow).person(resident_id)
    if person is None:
        raise NotFound("resident")
    return person


async def _not_ended(uow: UnitOfWork, resident_id: uuid.UUID, on: date) -> uuid.UUID | None:
    """A measure in force on that day or starting later."""
    return await store_of(uow).measure_not_ended(resident_id, on)


async def _protection_event(uow: UnitOfWork, person: Person, *, today: date,
                            effective: date) -> Outcome:
    """Certificates must know at once: the measure's dates travel with the resident's state."""
    changes = Changes()
    changes.changed(person)
    return await finish(uow, changes, event_type=ResidentProtectionChanged,
                        subject_id=person.id, effective_date=min(effective, today),
                        reason="支援措置", late=False, today=today)
