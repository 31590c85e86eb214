"""A register in memory for handler tests without PostgreSQL (dev-only: nothing in the
service imports it). ``FakeRegister`` is the database, ``FakeRegisterUnitOfWork`` a
transaction on it whose store keeps its writes until ``commit``; the integration tests keep
the real store (adapters.store) honest.
"""

from __future__ import annotations

import copy
import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from kyodo_residents_events import ResidentState

from kyodo_common.testing import FakeUnitOfWork
from kyodo_residents.adapters.repository import Changes, state_of
from kyodo_residents.adapters.store import RegisterStore
from kyodo_residents.domain.model import Household, Person, Status
from kyodo_residents.domain.numbers import resident_number

SANJO = "152048"


@dataclass
class FakeRegister:
    """What the tables hold, committed."""

    persons: dict[uuid.UUID, Person] = field(default_factory=dict)
    households: dict[uuid.UUID, Household] = field(default_factory=dict)
    my_number_hashes: dict[uuid.UUID, bytes] = field(default_factory=dict)
    transfers: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    measures: dict[uuid.UUID, SimpleNamespace] = field(default_factory=dict)
    serials: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def number(self) -> str:
        while True:
            number = resident_number(next(self.serials))
            if number is not None:
                return number

    def unit_of_work(self, municipality_code: str = SANJO) -> FakeRegisterUnitOfWork:
        return FakeRegisterUnitOfWork(self, municipality_code)


class FakeRegisterStore(RegisterStore):
    """RegisterStore's contract on a FakeRegister; every method of the real one is here, so a
    forgotten one fails (no session) instead of passing by accident."""

    def __init__(self, register: FakeRegister, uow: FakeRegisterUnitOfWork) -> None:
        self.register = register
        self.uow = uow  # type: ignore[assignment]
        self._writes: list[Any] = []

    def apply(self) -> None:
        for write in self._writes:
            write()
        self._writes.clear()

    async def person(self, person_id: uuid.UUID) -> Person | None:
        found = self.register.persons.get(person_id)
        return copy.deepcopy(found) if found else None

    async def household(self, household_id: uuid.UUID) -> Household | None:
        found = self.register.households.get(household_id)
        if found is None:
            return None
        household = copy.deepcopy(found)
        household.members = [copy.deepcopy(p) for p in self.register.persons.values()
                             if p.household_id == household_id and p.status == Status.RESIDENT]
        return household

    async def next_resident_number(self) -> str:
        return self.register.number()

    async def next_household_number(self) -> str:
        return self.register.number()

    async def same_person(self, person: Person) -> list[uuid.UUID]:
        return [p.id for p in self.register.persons.values()
                if p.status in (Status.RESIDENT, Status.ANNOUNCED)
                and (p.family_name_kana, p.given_name_kana, p.address, p.birth_date) == (
                    person.family_name_kana, person.given_name_kana, person.address,
                    person.birth_date)
                and (p.birth_date is not None or p.birth_date_partial == person.birth_date_partial)]

    async def due_announced(self, today: date, *, limit: int) -> list[Person]:
        due = sorted((p for p in self.register.persons.values()
                      if p.status == Status.ANNOUNCED and p.left_on and p.left_on <= today),
                     key=lambda p: (p.left_on, p.id))
        return [copy.deepcopy(p) for p in due[:limit]]

    async def save(self, changes: Changes, *, effective_date: date, reason: str,
                   late_filing: bool, today: date) -> list[ResidentState]:
        for household in changes.households.values():
            household.version += 1
        for person in changes.persons.values():
            person.version += 1
        households = {**self.register.households, **changes.new_households,
                      **changes.households}
        states = [state_of(p, households[p.household_id].household_number
                           if p.household_id in households else None, today=today)
                  for p in changes.touched]
        saved_households = [copy.deepcopy(h) for h in
                            [*changes.new_households.values(), *changes.households.values()]]
        saved_persons = [copy.deepcopy(p) for p in changes.touched]
        hashes = {i: v["my_number_hash"] for i, v in changes.extra_person_values.items()
                  if "my_number_hash" in v}

        def write() -> None:
            for household in saved_households:
                household.members = []
                self.register.households[household.id] = household
            for person in saved_persons:
                self.register.persons[person.id] = person
            self.register.my_number_hashes.update(hashes)
        self._writes.append(write)
        return states

    async def transfers(self, transfer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
        return {i: copy.copy(self.register.transfers[i]) for i in transfer_ids
                if i in self.register.transfers}

    async def use_transfers(self, used: dict[uuid.UUID, uuid.UUID]) -> None:
        def write() -> None:
            for transfer_id, resident_id in used.items():
                self.register.transfers[transfer_id].completed_resident_id = resident_id
        self._writes.append(write)

    async def my_number_holder(self, lookup_hashes: Sequence[bytes],
                               other_than: uuid.UUID) -> uuid.UUID | None:
        return next((i for i, h in self.register.my_number_hashes.items()
                     if h in lookup_hashes and i != other_than), None)

    async def measure_not_ended(self, resident_id: uuid.UUID, on: date) -> uuid.UUID | None:
        return next((m.id for m in self.register.measures.values()
                     if m.resident_id == resident_id and m.ends_on >= on), None)

    async def measure(self, resident_id: uuid.UUID, measure_id: uuid.UUID) -> Any:
        found = self.register.measures.get(measure_id)
        return copy.copy(found) if found and found.resident_id == resident_id else None

    async def add_measure(self, *, measure_id: uuid.UUID, resident_id: uuid.UUID,
                          starts_on: date, ends_on: date) -> None:
        measure = SimpleNamespace(id=measure_id, resident_id=resident_id, starts_on=starts_on,
                                  ends_on=ends_on, extensions=0)
        self._writes.append(lambda: self.register.measures.__setitem__(measure_id, measure))

    async def extend_measure(self, measure_id: uuid.UUID, *, ends_on: date,
                             extensions: int) -> None:
        def write() -> None:
            measure = self.register.measures[measure_id]
            measure.ends_on, measure.extensions = ends_on, extensions
        self._writes.append(write)

    def carry_measures(self, persons: Sequence[Person]) -> None:
        for person in persons:
            measure = SimpleNamespace(id=uuid.uuid4(), resident_id=person.id,
                                      starts_on=person.protected_from,
                                      ends_on=person.protected_until, extensions=0)
            self._writes.append(
                lambda m=measure: self.register.measures.__setitem__(m.id, m))


class FakeRegisterUnitOfWork(FakeUnitOfWork):
    """A transaction on the fake register: ``uow.store`` as the handlers use it."""

    def __init__(self, register: FakeRegister, municipality_code: str = SANJO) -> None:
        super().__init__(municipality_code, source="kyodo/residents")
        self.store = FakeRegisterStore(register, self)

    async def commit(self) -> None:
        self.store.apply()
        await super().commit()

    async def __aexit__(self, *exc: Any) -> None:
        self.store._writes.clear()
        await super().__aexit__(*exc)


def transfer_notice(*, resident: ResidentState, destination: str = SANJO,
                    planned_move_date: date, moved_out_on: date,
                    origin: str = "131016") -> SimpleNamespace:
    """An incoming transfer notice as the worker keeps it (adapters.store.offer_transfer)."""
    return SimpleNamespace(
        id=uuid.uuid4(), municipality_code=destination, origin_municipality=origin,
        origin_resident_id=resident.resident_id, planned_move_date=planned_move_date,
        moved_out_on=moved_out_on, destination_address="新潟県三条市旭町2丁目3番1号",
        destination_postal_code="9558686", resident=resident.model_dump(mode="json"),
        residence_status=None, residence_card_number=None, stay_until=None,
        completed_resident_id=None)
