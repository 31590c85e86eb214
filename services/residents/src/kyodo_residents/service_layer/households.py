"""世帯分離, 世帯合併, 世帯主変更."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput
from kyodo_residents.adapters.repository import Changes, next_household_number
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Household
from kyodo_residents.events import (
    ResidentHeadChanged,
    ResidentHouseholdMerged,
    ResidentHouseholdSplit,
)
from kyodo_residents.service_layer.common import (
    Outcome,
    finish,
    household_for_update,
    postal_code,
    reassign_head,
    set_head,
)


async def split(*, uow: UnitOfWork, today: date, household_id: uuid.UUID,
                expected_version: int | None, effective_date: date,
                members: Sequence[uuid.UUID], new_head_id: uuid.UUID,
                relationships: Mapping[uuid.UUID, str],
                remaining_head_id: uuid.UUID | None = None,
                remaining_relationships: Mapping[uuid.UUID, str] | None = None,
                postal: str | None = None, address: str | None = None) -> Outcome:
    """世帯分離: some members form a household of their own (at the same or a new address)."""
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
        id=uuid.uuid4(), household_number=await next_household_number(uow.session),
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
