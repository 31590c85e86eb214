"""転入, 転出, 転居: moves into, out of and within the municipality."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput, NotFound, Problem
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.adapters.tables import incoming_transfers
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Status
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.events import (
    ResidentMovedIn,
    ResidentMovedOut,
    ResidentRelocated,
    ResidentState,
    TransferNoticeIssued,
)
from kyodo_residents.service_layer.common import (
    Outcome,
    finish,
    household_for_update,
    leave_register,
    new_person,
    postal_code,
)
from kyodo_residents.service_layer.placement import NewHousehold, Placement, place


@dataclass(frozen=True)
class Destination:
    """Where a 転出 goes: a municipality in Japan (on the platform or not) or abroad."""

    address: str
    municipality_code: str | None = None
    postal_code: str | None = None
    country: str | None = None

    @property
    def abroad(self) -> bool:
        return self.country is not None


async def move_in(*, uow: UnitOfWork, today: date, effective_date: date,
                  details: PersonDetails, placement: Placement, previous_address: str,
                  from_abroad: bool = False, reason: str = "転入") -> Outcome:
    """転入 (domestic or from abroad): the person is keyed in from the application."""
    rules.check_effective_date(effective_date, today=today)
    changes = Changes()
    person = changes.added(await new_person(uow, details, today=today))
    person.previous_address = previous_address
    person.became_resident_on = effective_date
    household = await place(uow, person, placement, since=effective_date, changes=changes)
    return await finish(uow, changes, event_type=ResidentMovedIn, subject_id=person.id,
                        effective_date=effective_date,
                        reason="国外転入" if from_abroad else reason,
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=[household])


async def move_in_from_transfer(*, uow: UnitOfWork, today: date, transfer_id: uuid.UUID,
                                effective_date: date, placement: Placement | None,
                                with_my_number_card: bool) -> Outcome:
    """転入 from another platform municipality: the transfer notice is confirmed, not re-keyed."""
    row = (await uow.session.execute(
        sa.select(incoming_transfers).where(incoming_transfers.c.id == transfer_id)
        .with_for_update())).first()
    if row is None:
        raise NotFound("transfer notice")
    if row.completed_resident_id is not None:
        raise Problem(409, "Transfer already used", kind="conflict",
                      detail="this transfer notice was already used for a move-in")
    rules.check_effective_date(effective_date, today=today)
    if with_my_number_card:
        rules.check_special_move_in(planned_move_date=row.planned_move_date, today=today)
    moved = ResidentState.model_validate(row.resident)
    details = PersonDetails(
        family_name=moved.family_name, given_name=moved.given_name,
        family_name_kana=moved.family_name_kana, given_name_kana=moved.given_name_kana,
        sex=moved.sex, birth_date=moved.birth_date, birth_date_partial=moved.birth_date_partial,
        nationality=moved.nationality, latin_name=moved.latin_name)
    changes = Changes()
    person = changes.added(await new_person(uow, details, today=today))
    person.platform_person_id = moved.platform_person_id  # one person across the platform
    person.previous_address = f"{row.origin_municipality} {moved.address}"
    person.became_resident_on = effective_date
    carried = moved.protected_until is not None and moved.protected_until >= today
    if carried:  # 支援措置 moves with the person: hidden here from the first day too
        person.protected_from, person.protected_until = moved.protected_from, \
            moved.protected_until
    household = await place(uow, person, placement or NewHousehold(
        postal_code=row.destination_postal_code, address=row.destination_address),
        since=effective_date, changes=changes)
    await uow.session.execute(sa.update(incoming_transfers).where(
        incoming_transfers.c.id == transfer_id).values(completed_resident_id=person.id))
    outcome = await finish(uow, changes, event_type=ResidentMovedIn, subject_id=person.id,
                           effective_date=effective_date, reason="転入",
                           late=rules.is_late(row.moved_out_on, today=today), today=today,
                           households=[household])
    if carried:  # staged after the person's row (finish), which it refers to
        uow.staged.insert("protection_measures", [{
            "id": uuid.uuid4(), "municipality_code": uow.municipality_code,
            "resident_id": person.id, "starts_on": person.protected_from,
            "ends_on": person.protected_until, "extensions": 0, "version": 1}])
    return outcome


async def move_out(*, uow: UnitOfWork, today: date, resident_id: uuid.UUID,
                   expected_version: int | None, effective_date: date,
                   destination: Destination, new_head_id: uuid.UUID | None = None,
                   relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """転出: announced before the move, so the effective date may be in the future."""
    rules.check_effective_date(effective_date, today=today, may_be_future=True)
    if destination.municipality_code == uow.municipality_code:
        raise InvalidInput("destination.municipality_code",
                           "a move within the municipality is a 転居, not a 転出")
    if destination.municipality_code and not is_valid_municipality_code(
            destination.municipality_code):
        raise InvalidInput("destination.municipality_code", "not a valid local government code")
    changes = Changes()
    person, households = await leave_register(
        uow, resident_id=resident_id, expected_version=expected_version,
        status=Status.MOVED_OUT, left_on=effective_date, new_head_id=new_head_id,
        relationships=relationships, changes=changes)
    person.destination = f"{destination.country} {destination.address}" if destination.abroad \
        else destination.address
    outcome = await finish(uow, changes, event_type=ResidentMovedOut, subject_id=person.id,
                           effective_date=effective_date,
                           reason="国外転出" if destination.abroad else "転出",
                           # 転出 is filed before moving; filed after the move it is late.
                           late=rules.is_late(effective_date, today=today, days=0),
                           today=today, households=households)
    if destination.municipality_code and not destination.abroad:
        state = next(s for s in outcome.states if s.resident_id == person.id)
        uow.record(TransferNoticeIssued(
            transfer_id=uuid.uuid4(), origin_municipality=uow.municipality_code,
            destination_municipality=destination.municipality_code,
            planned_move_date=effective_date, moved_out_on=today,
            destination_address=destination.address,
            destination_postal_code=postal_code(destination.postal_code or "",
                                                "destination.postal_code"),
            resident=state))
    return outcome


async def relocate(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                   expected_version: int | None, effective_date: date, postal: str,
                   address: str) -> Outcome:
    """転居: the whole household moves to a new address in the same municipality."""
    rules.check_effective_date(effective_date, today=today)
    household = await household_for_update(uow, household_id, expected_version)
    if not household.residents:
        raise InvalidInput("household_id", "the household has no members")
    changes = Changes()
    previous = household.address
    household.postal_code, household.address = postal_code(postal), address
    changes.changed_household(household)
    for member in household.residents:
        member.previous_address = previous
        member.postal_code, member.address, member.address_since = (
            household.postal_code, address, effective_date)
        changes.changed(member)
    return await finish(uow, changes, event_type=ResidentRelocated, subject_id=household.id,
                        effective_date=effective_date, reason="転居",
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=[household])
