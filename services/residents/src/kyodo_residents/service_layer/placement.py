"""Where a new resident goes: a new household (as its head) or an existing one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from kyodo_common.db import UnitOfWork
from kyodo_common.errors import InvalidInput
from kyodo_residents.adapters.repository import Changes
from kyodo_residents.domain import relationship as rel
from kyodo_residents.domain import rules
from kyodo_residents.domain.model import Household, Person
from kyodo_residents.service_layer.common import household_for_update, postal_code
from kyodo_residents.service_layer.unit_of_work import store_of


@dataclass(frozen=True)
class NewHousehold:
    postal_code: str
    address: str


@dataclass(frozen=True)
class JoinHousehold:
    household_id: uuid.UUID
    relationship: str


Placement = NewHousehold | JoinHousehold


async def place(uow: UnitOfWork, person: Person, placement: Placement, *, since: date,
                changes: Changes, since_field: str = "effective_date") -> Household:
    """Puts the person into the household and gives them its address (not before the
    household was formed: ``since_field`` names the date at fault)."""
    if isinstance(placement, NewHousehold):
        household = changes.added_household(Household(
            id=uuid.uuid4(), household_number=await store_of(uow).next_household_number(),
            head_id=person.id, postal_code=postal_code(placement.postal_code),
            address=placement.address, formed_on=since, version=1))
        person.relationship = rel.HEAD
    else:
        household = await household_for_update(uow, placement.household_id, check=False)
        relationship = rel.validate(placement.relationship)
        if relationship == rel.HEAD:
            raise InvalidInput("relationship", "the household already has a head (世帯主)")
        if not household.residents:
            raise InvalidInput("household_id", "the household has no members any more")
        rules.check_joins_after_formed(since, formed_on=household.formed_on, field=since_field)
        person.relationship = relationship
        changes.changed_household(household)
    person.household_id = household.id
    person.postal_code, person.address, person.address_since = (
        household.postal_code, household.address, since)
    household.members.append(person)
    return household
