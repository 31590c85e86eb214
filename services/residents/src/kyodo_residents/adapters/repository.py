"""Loads and saves persons and households; every saved change also writes its history row.

The procedures' statements go straight to asyncpg on the transaction's connection, and the
writes are staged in the unit of work (one statement at commit): a registration is on the
platform's hottest path, and SQLAlchemy's per-statement cost was most of the API's CPU.
"""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import date
from typing import Any

import asyncpg
from kyodo_residents_events import ResidentState
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import UnitOfWork
from kyodo_residents.domain.model import Household, Person, Status
from kyodo_residents.domain.numbers import resident_number

_PERSON_FIELDS = [f.name for f in fields(Person) if f.name != "has_my_number"]


_HOUSEHOLD_FIELDS = ("id", "household_number", "head_id", "postal_code", "address", "formed_on",
                     "version", "dissolved_on")
_PERSON_COLUMNS = ", ".join([*_PERSON_FIELDS, "my_number_hash IS NOT NULL AS has_my_number"])
_HOUSEHOLD_COLUMNS = ", ".join(_HOUSEHOLD_FIELDS)
# Built from the dataclasses' field names, never from input.
_PERSON = f"SELECT {_PERSON_COLUMNS} FROM residents WHERE id = $1"  # noqa: S608
_HOUSEHOLD = f"SELECT {_HOUSEHOLD_COLUMNS} FROM households WHERE id = $1"  # noqa: S608
_MEMBERS = (f"SELECT {_PERSON_COLUMNS} FROM residents "  # noqa: S608
            "WHERE household_id = $1 AND status = $2")


# Possible duplicates of a new entry: current residents (announced 転出 included) with the same
# readings, birth date and address. The municipality is named for the (municipality_code,
# kana_full, id) index, as the search does; row-level security hides whom the caller may not see.
_SAME_PERSON = ("SELECT id FROM residents WHERE municipality_code = $1 AND kana_full = $2 "
                "AND address = $3 AND status = ANY($4::text[]) AND birth_date IS NOT DISTINCT "
                "FROM $5 AND (birth_date IS NOT NULL OR birth_date_partial IS NOT DISTINCT "
                "FROM $6) ORDER BY resident_number LIMIT 20")
# An announced 転出 whose day has come (or passed).
_DUE_ANNOUNCED = (f"SELECT {_PERSON_COLUMNS} FROM residents "  # noqa: S608
                  "WHERE status = 'announced' AND left_on <= $1 ORDER BY left_on, id "
                  "LIMIT $2 FOR UPDATE SKIP LOCKED")


def _field(row: Any, name: str) -> Any:
    """A column of an asyncpg record or of a SQLAlchemy row."""
    mapping = getattr(row, "_mapping", row)
    return mapping[name]


def person_from_row(row: Any) -> Person:
    values = {name: _field(row, name) for name in _PERSON_FIELDS}
    values["status"] = Status(values["status"])
    mapping = getattr(row, "_mapping", row)
    has_my_number = (mapping["has_my_number"] if "has_my_number" in mapping.keys()
                     else mapping["my_number_hash"] is not None)
    return Person(**values, has_my_number=has_my_number)


def household_from_row(row: Any) -> Household:
    return Household(**{f: _field(row, f) for f in _HOUSEHOLD_FIELDS})


# Serials are taken from the sequences a block at a time and handed out by this process: one
# round trip per block instead of one (or two) per registration. Numbers only need to be unique
# and carry their check digit; a block left unused when the process stops is a gap, as a
# rolled-back transaction's serial always was. Keyed by database, as tests run several.
SERIAL_BLOCK = 32
_TAKE_SERIALS = {sequence: f"SELECT array(SELECT nextval('{sequence}') "  # noqa: S608
                           "FROM generate_series(1, $1))"
                 for sequence in ("resident_serial", "household_serial")}
_serials: dict[tuple[str, str], list[int]] = {}


async def _next_number(session: AsyncSession, connection: asyncpg.Connection,
                       sequence: str) -> str:
    block = _serials.setdefault((str(session.get_bind().engine.url), sequence), [])
    while True:
        if not block:
            block.extend(await connection.fetchval(_TAKE_SERIALS[sequence], SERIAL_BLOCK))
            block.reverse()  # handed out in ascending order
        number = resident_number(block.pop())
        if number is not None:  # serials whose check digit would be 10 are skipped
            return number


# The functions below take the transaction's asyncpg connection (``uow.connection()``), not
# the session: asking the session for it again per statement cost two greenlet switches and
# SQLAlchemy's connection bookkeeping each time, on the registration's path.
async def next_resident_number(session: AsyncSession, connection: asyncpg.Connection) -> str:
    return await _next_number(session, connection, "resident_serial")


async def next_household_number(session: AsyncSession, connection: asyncpg.Connection) -> str:
    return await _next_number(session, connection, "household_serial")


async def load_person(connection: asyncpg.Connection, person_id: uuid.UUID, *,
                      for_update: bool = True) -> Person | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await connection.fetchrow(_PERSON + lock, person_id)
    return person_from_row(row) if row else None


async def load_household(connection: asyncpg.Connection, household_id: uuid.UUID, *,
                         for_update: bool = True) -> Household | None:
    lock = " FOR UPDATE" if for_update else ""
    row = await connection.fetchrow(_HOUSEHOLD + lock, household_id)
    if row is None:
        return None
    household = household_from_row(row)
    rows = await connection.fetch(_MEMBERS + lock, household_id, Status.RESIDENT.value)
    household.members = [person_from_row(r) for r in rows]
    return household


async def same_person(connection: asyncpg.Connection, municipality_code: str,
                      person: Person) -> list[uuid.UUID]:
    """Current residents the caller can see with the person's readings, birth date and
    address (the person is not saved yet, so not among them)."""
    rows = await connection.fetch(
        _SAME_PERSON, municipality_code,
        f"{person.family_name_kana} {person.given_name_kana}", person.address,
        [Status.RESIDENT.value, Status.ANNOUNCED.value], person.birth_date,
        person.birth_date_partial)
    return [row["id"] for row in rows]


async def due_announced(connection: asyncpg.Connection, today: date, *, limit: int = 100
                        ) -> list[Person]:
    """Persons whose announced 転出 takes effect on or before ``today``."""
    rows = await connection.fetch(_DUE_ANNOUNCED, today, limit)
    return [person_from_row(r) for r in rows]


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

    async def save(self, uow: UnitOfWork, *, effective_date: date, reason: str,
                   late_filing: bool, today: date) -> list[ResidentState]:
        """Stages the rows and their history in the unit of work; returns the new states."""
        code = uow.municipality_code
        for household in self.households.values():
            household.version += 1
        for person in self.persons.values():
            person.version += 1
        uow.staged.insert("households", [
            {"municipality_code": code, **_household_values(h)}
            for h in self.new_households.values()])
        uow.staged.update("households", [_household_values(h) for h in self.households.values()])
        uow.staged.insert("household_history", [{
            "municipality_code": code, "household_id": h.id, "version": h.version,
            "effective_date": effective_date, "reason": reason, "state": _household_state(h),
        } for h in [*self.new_households.values(), *self.households.values()]])
        uow.staged.insert("residents", [{
            "municipality_code": code, "registered_on": today, **_person_values(p),
            **self.extra_person_values.get(p.id, {})} for p in self.new_persons.values()])
        uow.staged.update("residents", [{
            **_person_values(p), **self.extra_person_values.get(p.id, {})}
            for p in self.persons.values()])
        # Numbers of the households in hand are known; only others are looked up.
        numbers: dict[uuid.UUID | None, str] = {
            h.id: h.household_number
            for h in [*self.new_households.values(), *self.households.values()]}
        numbers.update(await _household_numbers(
            uow, {p.household_id for p in self.touched} - set(numbers)))
        states = [state_of(p, numbers.get(p.household_id), today=today) for p in self.touched]
        uow.staged.insert("resident_history", [{
            "municipality_code": code, "resident_id": s.resident_id, "version": s.version,
            "effective_date": effective_date, "reason": reason, "late_filing": late_filing,
            "household_id": s.household_id, "status": s.status,
            "state": s.model_dump(mode="json"),
        } for s in states])
        return states


def _person_values(person: Person) -> dict[str, Any]:
    values = {name: getattr(person, name) for name in _PERSON_FIELDS}
    values["status"] = person.status.value
    return values


def _household_values(household: Household) -> dict[str, Any]:
    # Not dataclasses.asdict: it would deep-copy every member only to drop them.
    return {name: getattr(household, name) for name in _HOUSEHOLD_FIELDS}


def _household_state(household: Household) -> dict[str, Any]:
    values = _household_values(household)
    return {k: (str(v) if isinstance(v, uuid.UUID | date) else v) for k, v in values.items()}


async def _household_numbers(uow: UnitOfWork,
                             ids: set[uuid.UUID | None]) -> dict[uuid.UUID | None, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    rows = await (await uow.connection()).fetch(
        "SELECT id, household_number FROM households WHERE id = ANY($1::uuid[])", wanted)
    return {row["id"]: row["household_number"] for row in rows}


def state_of(person: Person, household_number: str | None, *, today: date) -> ResidentState:
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
        left_on=person.left_on, moved_in_from=person.moved_in_from,
        protected=person.protected_on(today),
        protected_from=person.protected_from, protected_until=person.protected_until,
    )
