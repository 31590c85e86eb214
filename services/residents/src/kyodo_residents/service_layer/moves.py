"""転入, 転出, 転居: moves into, out of and within the municipality."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kyodo_residents_events import (
    ResidentMovedIn,
    ResidentMovedOut,
    ResidentRelocated,
    ResidentState,
    TransferNoticeIssued,
)

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, InvalidInput, NotFound
from kyodo_common.tenancy import is_valid_municipality_code
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.domain import relationship as rel
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Person, Status
from kyodo_residents.domain.resident import PersonDetails
from kyodo_residents.service_layer.common import (
    Outcome,
    check_not_duplicate,
    finish,
    finish_each,
    household_for_update,
    leave_register,
    new_person,
    postal_code,
    reassign_head,
    require_sight_of_every_member,
)
from kyodo_residents.service_layer.placement import NewHousehold, Placement, place
from kyodo_residents.service_layer.unit_of_work import store_of


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
                  from_abroad: bool = False, reason: str = "転入",
                  confirmed_not_duplicate: bool = False) -> Outcome:
    """転入 (domestic or from abroad): the person is keyed in from the application."""
    rules.check_effective_date(effective_date, today=today)
    changes = Changes()
    person = changes.added(await new_person(uow, details, today=today))
    person.previous_address = person.moved_in_from = previous_address
    person.became_resident_on = effective_date
    household = await place(uow, person, placement, since=effective_date, changes=changes)
    await check_not_duplicate(uow, person, confirmed=confirmed_not_duplicate)
    return await finish(uow, changes, event_type=ResidentMovedIn, subject_id=person.id,
                        effective_date=effective_date,
                        reason="国外転入" if from_abroad else reason,
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=[household])


async def move_in_from_transfer(*, uow: UnitOfWork, today: date, transfer_id: uuid.UUID,
                                effective_date: date, placement: Placement | None,
                                with_my_number_card: bool) -> Outcome:
    """転入 from another platform municipality: the transfer notice is confirmed, not re-keyed."""
    row = (await store_of(uow).transfers([transfer_id])).get(transfer_id)
    if row is None:
        raise NotFound("transfer notice")
    if row.completed_resident_id is not None:
        raise Conflict(title="Transfer already used",
                       detail="this transfer notice was already used for a move-in")
    _check_transfer_dates(row, effective_date=effective_date, today=today,
                          with_my_number_card=with_my_number_card)
    changes = Changes()
    person, carried = await _person_from_notice(uow, row, today=today,
                                                effective_date=effective_date, changes=changes)
    household = await place(uow, person, placement or NewHousehold(
        postal_code=row.destination_postal_code, address=row.destination_address),
        since=effective_date, changes=changes)
    await store_of(uow).use_transfers({transfer_id: person.id})
    outcome = await finish(uow, changes, event_type=ResidentMovedIn, subject_id=person.id,
                           effective_date=effective_date, reason="転入",
                           # 14 days from the actual move (the 異動日), not from the 転出
                           late=rules.is_late(effective_date, today=today), today=today,
                           households=[household])
    if carried:  # staged after the person's row (finish), which it refers to
        store_of(uow).carry_measures([person])
    return outcome


def _check_transfer_dates(row: Any, *, effective_date: date, today: date,
                          with_my_number_card: bool) -> None:
    """The move-in's date against today, the 転出 it follows and, for 特例転入 (with a My
    Number card), the 30 days from the announced move date."""
    rules.check_effective_date(effective_date, today=today)
    rules.check_move_in_after_move_out(effective_date, moved_out_on=row.planned_move_date)
    if with_my_number_card:
        rules.check_special_move_in(planned_move_date=row.planned_move_date, today=today)


async def _person_from_notice(uow: UnitOfWork, row: Any, *, today: date,
                              effective_date: date, changes: Changes) -> tuple[Person, bool]:
    """The person of a transfer notice, entered here; True when their 支援措置 came along."""
    moved = ResidentState.model_validate(row.resident)
    details = PersonDetails(
        family_name=moved.family_name, given_name=moved.given_name,
        family_name_kana=moved.family_name_kana, given_name_kana=moved.given_name_kana,
        sex=moved.sex, birth_date=moved.birth_date, birth_date_partial=moved.birth_date_partial,
        nationality=moved.nationality, latin_name=moved.latin_name,
        residence_status=row.residence_status, residence_card_number=row.residence_card_number,
        stay_until=row.stay_until)
    person = changes.added(await new_person(uow, details, today=today))
    person.platform_person_id = moved.platform_person_id  # one person across the platform
    # 転入前住所: the address the origin registered, as it wrote it (prefecture and town
    # included), not the origin's code glued to it.
    person.previous_address = person.moved_in_from = moved.address
    person.became_resident_on = effective_date
    carried = moved.protected_until is not None and moved.protected_until >= today
    if carried:  # 支援措置 moves with the person: hidden here from the first day too
        person.protected_from, person.protected_until = moved.protected_from, \
            moved.protected_until
    return person, carried


async def move_in_household_from_transfers(
        *, uow: UnitOfWork, today: date, transfer_ids: Sequence[uuid.UUID],
        effective_date: date, with_my_number_card: bool, new_household: NewHousehold | None,
        head_transfer_id: uuid.UUID | None = None,
        relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """世帯全員の転入 from another platform municipality: the transfer notices of one household
    are confirmed together, into one new household, all or none, one event per person.

    The household keeps its head and every member's 続柄 from the notices; when its head did not
    come along, the clerk names the new head (``head_transfer_id``) and the others' 続柄 to them.
    """
    if len(set(transfer_ids)) != len(transfer_ids):
        raise InvalidInput("transfer_ids", "a transfer notice is named twice")
    found = await store_of(uow).transfers(transfer_ids)
    rows = []
    for i, transfer_id in enumerate(transfer_ids):
        row = found.get(transfer_id)
        if row is None:
            raise InvalidInput(f"transfer_ids[{i}]", "no such transfer notice")
        if row.completed_resident_id is not None:
            raise Conflict(title="Transfer already used",
                           detail="this transfer notice was already used for a move-in",
                           invalid_params=[{"name": f"transfer_ids[{i}]", "reason": "used"}])
        _check_transfer_dates(row, effective_date=effective_date, today=today,
                              with_my_number_card=with_my_number_card)
        rows.append(row)
    origins = {(r.origin_municipality, r.resident.get("household_id")) for r in rows}
    if len(origins) != 1 or None in next(iter(origins)):
        raise InvalidInput("transfer_ids", "the transfer notices are not of one household")
    relationships = relationships or {}
    if head_transfer_id is None:
        heads = [r.id for r in rows if r.resident.get("relationship") == rel.HEAD]
        if len(heads) != 1:
            raise InvalidInput("head_transfer_id", "the household's head did not come along: "
                                                   "name the new head and each member's 続柄")
        head_transfer_id = heads[0]
        relationships = {r.id: r.resident.get("relationship") or "" for r in rows
                         if r.id != head_transfer_id}
    elif head_transfer_id not in found or head_transfer_id not in transfer_ids:
        raise InvalidInput("head_transfer_id", "the new head must be one of the transfers")
    changes = Changes()
    persons: dict[uuid.UUID, Person] = {}
    carried: list[Person] = []
    for row in sorted(rows, key=lambda r: r.id != head_transfer_id):  # the head first
        person, protected = await _person_from_notice(
            uow, row, today=today, effective_date=effective_date, changes=changes)
        persons[row.id] = person
        if protected:
            carried.append(person)
    head_row = found[head_transfer_id]
    household = await place(uow, persons[head_transfer_id], new_household or NewHousehold(
        postal_code=head_row.destination_postal_code, address=head_row.destination_address),
        since=effective_date, changes=changes)
    for transfer_id, person in persons.items():
        if transfer_id == head_transfer_id:
            continue
        if transfer_id not in relationships:
            raise InvalidInput("relationships", "give every member's relationship to the head")
        value = rel.validate(relationships[transfer_id], field=f"relationships.{transfer_id}")
        if value == rel.HEAD:
            raise InvalidInput(f"relationships.{transfer_id}", "a household has one head")
        person.relationship, person.household_id = value, household.id
        person.postal_code, person.address, person.address_since = (
            household.postal_code, household.address, effective_date)
        household.members.append(person)
    await store_of(uow).use_transfers({t: person.id for t, person in persons.items()})
    outcome = await finish_each(
        uow, changes, event_type=ResidentMovedIn, effective_date=effective_date, reason="転入",
        late=rules.is_late(effective_date, today=today), today=today,
        households=[household])
    if carried:
        store_of(uow).carry_measures(carried)
    return outcome


async def move_out(*, uow: UnitOfWork, today: date, resident_id: uuid.UUID,
                   expected_version: int | None, effective_date: date,
                   destination: Destination, new_head_id: uuid.UUID | None = None,
                   relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """転出: announced before the move, so the effective date may be in the future."""
    _check_move_out(uow, today=today, effective_date=effective_date, destination=destination)
    changes = Changes()
    person, households = await leave_register(
        uow, resident_id=resident_id, expected_version=expected_version,
        status=_leaving_status(effective_date, today=today), left_on=effective_date,
        new_head_id=new_head_id, relationships=relationships, changes=changes)
    person.destination = f"{destination.country} {destination.address}" if destination.abroad \
        else destination.address
    outcome = await finish(uow, changes, event_type=ResidentMovedOut, subject_id=person.id,
                           effective_date=effective_date,
                           reason="国外転出" if destination.abroad else "転出",
                           # 転出 is filed before moving; filed after the move it is late.
                           late=rules.is_late(effective_date, today=today, days=0),
                           today=today, households=households)
    _issue_transfer_notices(uow, outcome, [person], today=today,
                            effective_date=effective_date, destination=destination)
    return outcome


def _leaving_status(effective_date: date, *, today: date) -> Status:
    """Moved out from the day of the move; until then announced, and still registered here."""
    return Status.ANNOUNCED if rules.is_announced(effective_date, today=today) \
        else Status.MOVED_OUT


async def complete_announced_move_outs(*, uow: UnitOfWork, today: date,
                                       limit: int = 100) -> list[Outcome]:
    """The announced 転出 whose day has come take effect: each person becomes moved out on
    their 異動日, with a history row and a ResidentMovedOut of that date (the household was
    settled at filing). Returns one outcome per person; run until it returns fewer than
    ``limit``."""
    outcomes = []
    for person in await store_of(uow).due_announced(today, limit=limit):
        changes = Changes()
        person.status = Status.MOVED_OUT
        changes.changed(person)
        outcomes.append(await finish(uow, changes, event_type=ResidentMovedOut,
                                     subject_id=person.id, effective_date=person.left_on or today,
                                     reason="転出", late=False, today=today))
    return outcomes


def _check_move_out(uow: UnitOfWork, *, today: date, effective_date: date,
                    destination: Destination) -> None:
    rules.check_effective_date(effective_date, today=today, may_be_future=True)
    if destination.municipality_code == uow.municipality_code:
        raise InvalidInput("destination.municipality_code",
                           "a move within the municipality is a 転居, not a 転出")
    if destination.municipality_code and not is_valid_municipality_code(
            destination.municipality_code):
        raise InvalidInput("destination.municipality_code", "not a valid local government code")


def _issue_transfer_notices(uow: UnitOfWork, outcome: Outcome, leaving: list[Person], *,
                            today: date, effective_date: date,
                            destination: Destination) -> None:
    """転出証明書情報 to a platform municipality: one notice per person who left, each with
    their state (household, 続柄, 支援措置) and, for a foreign resident, their residence status
    and period of stay, so the destination can take them in."""
    if not destination.municipality_code or destination.abroad:
        return
    postal = postal_code(destination.postal_code or "", "destination.postal_code")
    states = {s.resident_id: s for s in outcome.states}
    for person in leaving:
        uow.record(TransferNoticeIssued(
            transfer_id=uuid.uuid4(), origin_municipality=uow.municipality_code,
            destination_municipality=destination.municipality_code,
            planned_move_date=effective_date, moved_out_on=today,
            destination_address=destination.address, destination_postal_code=postal,
            resident=states[person.id], residence_status=person.residence_status,
            residence_card_number=person.residence_card_number,
            stay_until=person.stay_until))


async def move_out_household(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                             expected_version: int | None, effective_date: date,
                             destination: Destination,
                             members: Sequence[uuid.UUID] | None = None,
                             new_head_id: uuid.UUID | None = None,
                             relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """世帯全員の転出 (or of the members named): all of them or none, one event per person.

    When everybody leaves, the household is dissolved on the effective date. When some stay and
    the head leaves, the remaining members need their new head (as for one person's 転出).
    """
    require_sight_of_every_member("a household's 転出")
    _check_move_out(uow, today=today, effective_date=effective_date, destination=destination)
    household = await household_for_update(uow, household_id, expected_version)
    if not household.residents:
        raise InvalidInput("household_id", "the household has no members")
    if members is None:
        leaving = [m.id for m in household.ordered_members()]
    else:
        named = [household.member(m, f"members[{i}]").id for i, m in enumerate(members)]
        leaving = [m.id for m in household.ordered_members() if m.id in set(named)]
    changes = Changes()
    reassign_head(household, leaving=set(leaving), new_head_id=new_head_id,
                  relationships=relationships or {}, changes=changes)
    where = f"{destination.country} {destination.address}" if destination.abroad \
        else destination.address
    status = _leaving_status(effective_date, today=today)
    persons = [household.member(person_id) for person_id in leaving]
    for person in persons:
        person.status, person.left_on, person.destination = status, effective_date, where
        changes.changed(person)
    if not household.residents:
        household.head_id, household.dissolved_on = None, effective_date
    changes.changed_household(household)
    outcome = await finish_each(uow, changes, event_type=ResidentMovedOut,
                                effective_date=effective_date,
                                reason="国外転出" if destination.abroad else "転出",
                                late=rules.is_late(effective_date, today=today, days=0),
                                today=today, households=[household], subjects=leaving)
    _issue_transfer_notices(uow, outcome, persons, today=today,
                            effective_date=effective_date, destination=destination)
    return outcome


async def relocate(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                   expected_version: int | None, effective_date: date, postal: str,
                   address: str) -> Outcome:
    """転居: the whole household moves to a new address in the same municipality."""
    require_sight_of_every_member("転居")
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
