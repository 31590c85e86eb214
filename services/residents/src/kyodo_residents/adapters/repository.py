"""Loads and saves persons and households; every saved change also writes its history row."""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_residents.adapters.tables import (
    household_history,
    household_serial,
    households,
    protection_measures,
    resident_history,
    resident_serial,
    residents,
)
from kyodo_residents.domain.model import Household, Person, Status
from kyodo_residents.domain.numbers import resident_number
from kyodo_residents.events import ResidentState

_PERSON_FIELDS = [f.name for f in fields(Person) if f.name != "has_my_number"]


def person_from_row(row: Any) -> Person:
    values = {name: row._mapping[name] for name in _PERSON_FIELDS}
    values["status"] = Status(values["status"])
    return Person(**values, has_my_number=row._mapping["my_number_hash"] is not None)


def household_from_row(row: Any) -> Household:
    return Household(**{f: row._mapping[f] for f in (
        "id", "household_number", "head_id", "postal_code", "address", "formed_on", "version",
        "dissolved_on")})


async def _next_number(session: AsyncSession, sequence: sa.Sequence) -> str:
    while True:
        serial = (await session.execute(sa.select(sequence.next_value()))).scalar_one()
        number = resident_number(serial)
        if number is not None:  # serials whose check digit would be 10 are skipped
            return number


async def next_resident_number(session: AsyncSession) -> str:
    return await _next_number(session, resident_serial)


async def next_household_number(session: AsyncSession) -> str:
    return await _next_number(session, household_serial)


async def load_person(session: AsyncSession, person_id: uuid.UUID, *,
                      for_update: bool = True) -> Person | None:
    query = sa.select(residents).where(residents.c.id == person_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return person_from_row(row) if row else None


async def load_household(session: AsyncSession, household_id: uuid.UUID, *,
                         for_update: bool = True) -> Household | None:
    query = sa.select(households).where(households.c.id == household_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    if row is None:
        return None
    household = household_from_row(row)
    members = sa.select(residents).where(residents.c.household_id == household_id,
                                         residents.c.status == Status.RESIDENT.value)
    rows = await session.execute(members.with_for_update() if for_update else members)
    household.members = [person_from_row(r) for r in rows]
    return household


class Changes:
    """What one procedure changed; ``save`` bumps versions and writes rows and history."""

    def __init__(self) -> None:
        self.new_persons: dict[uuid.UUID, Person] = {}
        self.persons: dict[uuid.UUID, Person] = {}
        self.new_households: dict[uuid.UUID, Household] = {}
        self.households: dict[uuid.UUID, Household] = {}
        self.extra_person_values: dict[uuid.UUID, dict[str, Any]] = {}

    def added(self, person: Person, **extra: Any) -> Person:
        self.new_persons[person.id] = person
        self.extra_person_values[person.id] = extra
        return person

    def changed(self, person: Person, **extra: Any) -> Person:
        if person.id not in self.new_persons:
            self.persons[person.id] = person
        self.extra_person_values.setdefault(person.id, {}).update(extra)
        return person

    def added_household(self, household: Household) -> Household:
        self.new_households[household.id] = household
        return household

    def changed_household(self, household: Household) -> Household:
        if household.id not in self.new_households:
            self.households[household.id] = household
        return household

    @property
    def touched(self) -> list[Person]:
        return [*self.new_persons.values(), *self.persons.values()]

    async def save(self, session: AsyncSession, *, municipality_code: str, effective_date: date,
                   reason: str, late_filing: bool, today: date) -> list[ResidentState]:
        for household in self.new_households.values():
            await session.execute(sa.insert(households).values(
                municipality_code=municipality_code, **_household_values(household)))
        for household in self.households.values():
            household.version += 1
            await session.execute(sa.update(households).where(households.c.id == household.id)
                                  .values(**_household_values(household)))
        for household in [*self.new_households.values(), *self.households.values()]:
            await session.execute(sa.insert(household_history).values(
                municipality_code=municipality_code, household_id=household.id,
                version=household.version, effective_date=effective_date, reason=reason,
                state=_household_state(household)))
        for person in self.new_persons.values():
            await session.execute(sa.insert(residents).values(
                municipality_code=municipality_code, registered_on=today,
                **_person_values(person), **self.extra_person_values.get(person.id, {})))
        for person in self.persons.values():
            person.version += 1
            await session.execute(sa.update(residents).where(residents.c.id == person.id).values(
                **_person_values(person), **self.extra_person_values.get(person.id, {})))
        # Numbers of the households in hand are known; only others are looked up. A person
        # entered just now cannot be under a protection measure yet.
        numbers: dict[uuid.UUID | None, str] = {
            h.id: h.household_number
            for h in [*self.new_households.values(), *self.households.values()]}
        numbers.update(await _household_numbers(
            session, {p.household_id for p in self.touched} - set(numbers)))
        protected = await protected_ids(session, list(self.persons), on=today)
        states = [state_of(p, numbers.get(p.household_id), protected=p.id in protected)
                  for p in self.touched]
        if states:
            await session.execute(sa.insert(resident_history), [{
                "municipality_code": municipality_code, "resident_id": s.resident_id,
                "version": s.version, "effective_date": effective_date, "reason": reason,
                "late_filing": late_filing, "household_id": s.household_id, "status": s.status,
                "state": s.model_dump(mode="json"),
            } for s in states])
        return states


def _person_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in _PERSON_FIELDS}
    values["status"] = person.status.value
    return values


def _household_values(household: Household) -> dict[str, Any]:
    values = asdict(household)
    values.pop("members")
    return values


def _household_state(household: Household) -> dict[str, Any]:
    values = _household_values(household)
    return {k: (str(v) if isinstance(v, uuid.UUID | date) else v) for k, v in values.items()}


async def protected_ids(session: AsyncSession, ids: list[uuid.UUID], *,
                        on: date) -> set[uuid.UUID]:
    """支援措置 in force on that day."""
    if not ids:
        return set()
    rows = await session.execute(
        sa.select(protection_measures.c.resident_id).where(
            protection_measures.c.resident_id.in_(ids), protection_measures.c.starts_on <= on,
            protection_measures.c.ends_on >= on))
    return set(rows.scalars())


async def _household_numbers(session: AsyncSession,
                             ids: set[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await session.execute(sa.select(households.c.id, households.c.household_number)
                                 .where(households.c.id.in_(wanted)))
    return {r.id: r.household_number for r in rows}


def state_of(person: Person, household_number: str | None, *,
             protected: bool = False) -> ResidentState:
    return ResidentState(
        resident_id=person.id, platform_person_id=person.platform_person_id,
        resident_number=person.resident_number, version=person.version,
        status=person.status.value, family_name=person.family_name,
        given_name=person.given_name, family_name_kana=person.family_name_kana,
        given_name_kana=person.given_name_kana, latin_name=person.latin_name,
        birth_date=person.birth_date, birth_date_partial=person.birth_date_partial,
        sex=person.sex, nationality=person.nationality, household_id=person.household_id,
        household_number=household_number, relationship=person.relationship,
        postal_code=person.postal_code, address=person.address,
        address_since=person.address_since, became_resident_on=person.became_resident_on,
        left_on=person.left_on, protected=protected,
    )
