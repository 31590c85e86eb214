"""世帯分離, 世帯合併, 世帯変更, 世帯主変更."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from kyodo_residents_events import (
    ResidentHeadChanged,
    ResidentHouseholdChanged,
    ResidentHouseholdMerged,
    ResidentHouseholdSplit,
)

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import Conflict, InvalidInput
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.domain import relationship as rel
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Household
from kyodo_residents.service_layer.common import (
    Outcome,
    finish,
    household_for_update,
    postal_code,
    reassign_head,
    require_sight_of_every_member,
    set_head,
)
from kyodo_residents.service_layer.unit_of_work import store_of


async def split(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                expected_version: int | None, effective_date: date,
                members: Sequence[uuid.UUID], new_head_id: uuid.UUID,
                relationships: Mapping[uuid.UUID, str],
                remaining_head_id: uuid.UUID | None = None,
                remaining_relationships: Mapping[uuid.UUID, str] | None = None,
                postal: str | None = None, address: str | None = None) -> Outcome:
    """世帯分離: some members form a household of their own (at the same or a new address)."""
    require_sight_of_every_member("世帯分離")
    rules.check_effective_date(effective_date, today=today)
    household = await household_for_update(uow, household_id, expected_version)
    leaving = {household.member(m, "members").id for m in members}
    if not leaving:
        raise InvalidInput("members", "name at least one member who forms the new household")
    if leaving == {m.id for m in household.residents}:
        raise InvalidInput("members", "somebody must stay in the original household")
    changes = Changes()
    reassign_head(household, leaving=leaving, new_head_id=remaining_head_id,
                  relationships=remaining_relationships or {}, changes=changes)
    moving = [m for m in household.residents if m.id in leaving]
    new = changes.added_household(Household(
        id=uuid.uuid4(), household_number=await store_of(uow).next_household_number(),
        head_id=None, postal_code=postal_code(postal) if postal else household.postal_code,
        address=address or household.address, formed_on=effective_date, version=1,
        members=moving))
    for member in moving:
        member.household_id = new.id
        if (member.postal_code, member.address) != (new.postal_code, new.address):
            member.previous_address = member.address
            member.postal_code, member.address = new.postal_code, new.address
            member.address_since = effective_date
    set_head(new, remaining=moving, new_head_id=new_head_id, relationships=relationships,
             changes=changes)
    household.members = [m for m in household.members if m.id not in leaving]
    return await finish(uow, changes, event_type=ResidentHouseholdSplit, subject_id=new.id,
                        effective_date=effective_date, reason="世帯分離",
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=[household, new])


async def merge(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                expected_version: int | None, other_household_id: uuid.UUID,
                effective_date: date, relationships: Mapping[uuid.UUID, str]) -> Outcome:
    """世帯合併: the other household's members join this one; the other is dissolved."""
    require_sight_of_every_member("世帯合併")
    rules.check_effective_date(effective_date, today=today)
    if other_household_id == household_id:
        raise InvalidInput("other_household_id", "a household cannot merge with itself")
    household = await household_for_update(uow, household_id, expected_version)
    other = await household_for_update(uow, other_household_id, check=False,
                                       field="other_household_id")
    if not other.residents:
        raise InvalidInput("other_household_id", "the other household has no members")
    if household.head_id is None:
        raise InvalidInput("household_id", "the household has no head")
    rules.check_joins_after_formed(effective_date, formed_on=household.formed_on)
    changes = Changes()
    joining = other.residents
    joining_ids = {m.id for m in joining}
    for member in joining:
        member.household_id = household.id
        if member.address != household.address:
            member.previous_address = member.address
            member.postal_code, member.address = household.postal_code, household.address
            member.address_since = effective_date
    household.members.extend(joining)
    set_head(household, remaining=household.residents, new_head_id=household.head_id,
             relationships={**{m.id: m.relationship or "" for m in household.residents
                               if m.id != household.head_id and m.id not in joining_ids},
                            **{k: v for k, v in relationships.items() if k in joining_ids}},
             changes=changes)
    other.members, other.head_id, other.dissolved_on = [], None, effective_date
    changes.changed_household(other)
    return await finish(uow, changes, event_type=ResidentHouseholdMerged,
                        subject_id=household.id, effective_date=effective_date,
                        reason="世帯合併", late=rules.is_late(effective_date, today=today),
                        today=today, households=[household, other])


async def change_head(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                      expected_version: int | None, effective_date: date,
                      new_head_id: uuid.UUID, relationships: Mapping[uuid.UUID, str]) -> Outcome:
    """世帯主変更: another member becomes head; every member's 続柄 is restated."""
    require_sight_of_every_member("世帯主変更")
    rules.check_effective_date(effective_date, today=today)
    household = await household_for_update(uow, household_id, expected_version)
    if new_head_id == household.head_id:
        raise InvalidInput("new_head_id", "that member is already the head")
    changes = Changes()
    set_head(household, remaining=household.residents, new_head_id=new_head_id,
             relationships=relationships, changes=changes)
    return await finish(uow, changes, event_type=ResidentHeadChanged, subject_id=household.id,
                        effective_date=effective_date, reason="世帯主変更",
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=[household])


async def change_household(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                           expected_version: int | None, effective_date: date,
                           resident_id: uuid.UUID, relationship: str,
                           new_head_id: uuid.UUID | None = None,
                           relationships: Mapping[uuid.UUID, str] | None = None) -> Outcome:
    """世帯変更: a member leaves their household and joins this existing one, with a 続柄 to its
    head. A head who leaves members behind needs their new head (``new_head_id``); a household
    left empty is dissolved. Due within 14 days; later filings are flagged."""
    require_sight_of_every_member("世帯変更")
    rules.check_effective_date(effective_date, today=today)
    household = await household_for_update(uow, household_id, expected_version)
    if household.dissolved_on is not None or not household.residents:
        raise Conflict(title="Household dissolved", kind="household-dissolved",
                       detail="the household has no members any more: nobody can join it",
                       invalid_params=[{"name": "household_id", "reason": "dissolved"}])
    rules.check_joins_after_formed(effective_date, formed_on=household.formed_on)
    value = rel.validate(relationship)
    if value == rel.HEAD:
        raise InvalidInput("relationship", "the household already has a head (世帯主)")
    person = await store_of(uow).person(resident_id)
    if person is None:  # another municipality's resident is not seen here either
        raise InvalidInput("resident_id", "no such resident")
    person.require_resident()
    if person.household_id == household.id:
        raise InvalidInput("resident_id", "the person is already a member of this household")
    changes = Changes()
    left = []
    if person.household_id is not None:
        old = await household_for_update(uow, person.household_id, check=False,
                                         field="resident_id")
        person = old.same(person)
        reassign_head(old, leaving={person.id}, new_head_id=new_head_id,
                      relationships=relationships or {}, changes=changes)
        old.members = [m for m in old.members if m.id != person.id]
        if not old.residents:
            old.dissolved_on = effective_date
        changes.changed_household(old)
        left.append(old)
    person.household_id, person.relationship = household.id, value
    if (person.postal_code, person.address) != (household.postal_code, household.address):
        person.previous_address = person.address
        person.postal_code, person.address = household.postal_code, household.address
        person.address_since = effective_date
    changes.changed(person)
    household.members.append(person)
    changes.changed_household(household)
    return await finish(uow, changes, event_type=ResidentHouseholdChanged, subject_id=person.id,
                        effective_date=effective_date, reason="世帯変更",
                        late=rules.is_late(effective_date, today=today), today=today,
                        households=[household, *left])
