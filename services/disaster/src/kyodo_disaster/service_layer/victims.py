"""被災者台帳: the victims ledger, built from the damaged houses and the register.

One entry per household living in a surveyed house, with its members (as the register
knows them now) and the support payment its house's grade gives. Amounts are for the
support office; they never leave in an event or on a certificate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.support import Support, support_for
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_disaster.service_layer.ports import HouseStore, ResidentView
from kyodo_jp.household_order import member_order


@dataclass(frozen=True)
class Household:
    """The occupants of a house who share a 世帯 (or one occupant whose 世帯 is unknown)."""

    household_id: uuid.UUID | None
    household_size: int
    head_resident_id: uuid.UUID | None
    members: list[Any]


@dataclass(frozen=True)
class LedgerEntry:
    house: House
    household: Household
    support: Support


def _households(house: House, people: dict[uuid.UUID, Any],
                sizes: dict[uuid.UUID, tuple[int, uuid.UUID | None]]) -> list[Household]:
    groups: dict[object, list[Any]] = {}
    for resident_id in house.occupant_ids:
        person = people.get(resident_id)
        if person is not None:
            groups.setdefault(person.household_id or resident_id, []).append(person)
    found = []
    for members in groups.values():
        household_id = members[0].household_id
        size, head = sizes.get(household_id, (len(members), None)) if household_id else (1, None)
        found.append(Household(household_id=household_id, household_size=size,
                               head_resident_id=head, members=sorted(members, key=member_order)))
    return found


async def victims_ledger(*, houses: HouseStore, residents: ResidentView,
                         disaster_id: uuid.UUID,
                         context: DisasterContext, rebuilding_method: str,
                         after: uuid.UUID | None, limit: int) -> tuple[list[LedgerEntry],
                                                                        uuid.UUID | None]:
    """A page of the ledger (houses in id order); the next page starts after the cursor."""
    surveyed = await houses.surveyed(disaster_id, after=after, limit=limit + 1)
    page = surveyed[:limit]
    people = await residents.by_id({o for h in page for o in h.occupant_ids})
    sizes = await residents.household_sizes({p.household_id for p in people.values()
                                             if p.household_id})
    entries = []
    for house in page:
        for household in _households(house, people, sizes):
            entries.append(LedgerEntry(house=house, household=household, support=support_for(
                house.grade, rebuilding_method=rebuilding_method,
                household_size=household.household_size, rules=context.rules.support,
                allow_unverified=context.allow_unverified)))
    return entries, (page[-1].id if len(surveyed) > limit else None)
