"""被災者台帳: the victims ledger, built from the damaged houses and the register.

One entry per household living in a surveyed house, with its members (as the register
knows them now) and the support payment its house's grade gives. Amounts are for the
support office; they never leave in an event or on a certificate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_disaster.adapters.arrays import any_of
from kyodo_disaster.adapters.houses import house_from_row
from kyodo_disaster.adapters.residents import ACTIVE, residents_by_id
from kyodo_disaster.adapters.tables import houses, residents
from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.support import Support, support_for
from kyodo_disaster.service_layer.context import DisasterContext
from kyodo_jp.household_order import member_order


@dataclass(frozen=True)
class Household:
    """The occupants of a house who share a 世帯 (or one occupant whose 世帯 is unknown)."""

    household_id: uuid.UUID | None
    household_size: int
    head_resident_id: uuid.UUID | None
    members: list[sa.Row[Any]]


@dataclass(frozen=True)
class LedgerEntry:
    house: House
    household: Household
    support: Support


async def _household_sizes(session: AsyncSession, ids: set[uuid.UUID]
                           ) -> dict[uuid.UUID, tuple[int, uuid.UUID | None]]:
    """Members and 世帯主 of each household, counting members living elsewhere too."""
    if not ids:
        return {}
    rows = (await session.execute(
        sa.select(residents.c.household_id, sa.func.count(),
                  sa.func.max(sa.case((residents.c.relationship == "世帯主",
                                       sa.cast(residents.c.resident_id, sa.Text)))))
        .where(any_of(residents.c.household_id, ids), residents.c.status == ACTIVE)
        .group_by(residents.c.household_id))).all()
    return {hid: (count, uuid.UUID(head) if head else None) for hid, count, head in rows}


def _households(house: House, people: dict[uuid.UUID, sa.Row[Any]],
                sizes: dict[uuid.UUID, tuple[int, uuid.UUID | None]]) -> list[Household]:
    groups: dict[object, list[sa.Row[Any]]] = {}
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


async def victims_ledger(session: AsyncSession, *, disaster_id: uuid.UUID,
                         context: DisasterContext, rebuilding_method: str,
                         after: uuid.UUID | None, limit: int) -> tuple[list[LedgerEntry],
                                                                        uuid.UUID | None]:
    """A page of the ledger (houses in id order); the next page starts after the cursor."""
    query = sa.select(houses).where(houses.c.disaster_id == disaster_id,
                                    houses.c.survey_version > 0)
    if after is not None:
        query = query.where(houses.c.id > after)
    rows = (await session.execute(query.order_by(houses.c.id).limit(limit + 1))).all()
    page = [house_from_row(r) for r in rows[:limit]]
    people = await residents_by_id(session, {o for h in page for o in h.occupant_ids})
    sizes = await _household_sizes(session, {p.household_id for p in people.values()
                                             if p.household_id})
    entries = []
    for house in page:
        for household in _households(house, people, sizes):
            entries.append(LedgerEntry(house=house, household=household, support=support_for(
                house.grade, rebuilding_method=rebuilding_method,
                household_size=household.household_size, rules=context.rules.support,
                allow_unverified=context.allow_unverified)))
    return entries, (page[-1].id if len(rows) > limit else None)
