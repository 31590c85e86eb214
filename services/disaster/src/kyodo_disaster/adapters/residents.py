"""Queries on the residents read model: who lives at an address, who is in a household."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_disaster.adapters.arrays import any_of
from kyodo_disaster.adapters.tables import residents

ACTIVE = "resident"
# Living at the address now: residents, and those whose 転出 is announced for a later day (still
# registered here until it; their household was settled at filing, so sizes and heads count
# ACTIVE only).
OCCUPYING = (ACTIVE, "announced")


async def occupants_at(session: AsyncSession,
                       address_keys: Collection[str]) -> dict[str, list[uuid.UUID]]:
    """Residents registered (now) at each address, in 宛名番号 order."""
    if not address_keys:
        return {}
    rows = (await session.execute(
        sa.select(residents.c.address_key, residents.c.resident_id)
        .where(any_of(residents.c.address_key, address_keys, "text"),
               residents.c.status.in_(OCCUPYING))
        .order_by(residents.c.address_key, residents.c.resident_number))).all()
    found: dict[str, list[uuid.UUID]] = {}
    for key, resident_id in rows:
        found.setdefault(key, []).append(resident_id)
    return found


async def residents_by_id(session: AsyncSession,
                          ids: Collection[uuid.UUID]) -> dict[uuid.UUID, sa.Row[Any]]:
    if not ids:
        return {}
    rows = (await session.execute(
        sa.select(residents).where(any_of(residents.c.resident_id, ids)))).all()
    return {row.resident_id: row for row in rows}


async def resident_ids_by_number(session: AsyncSession,
                                 numbers: Collection[str]) -> dict[str, uuid.UUID]:
    """宛名番号 → resident id, for residents still registered."""
    if not numbers:
        return {}
    rows = (await session.execute(
        sa.select(residents.c.resident_number, residents.c.resident_id)
        .where(any_of(residents.c.resident_number, numbers, "text"),
               residents.c.status == ACTIVE))).all()
    return {number: resident_id for number, resident_id in rows}


async def household_heads(session: AsyncSession,
                          household_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """世帯主 of each household, as the read model knows it."""
    if not household_ids:
        return {}
    rows = (await session.execute(
        sa.select(residents.c.household_id, residents.c.resident_id)
        .where(any_of(residents.c.household_id, household_ids),
               residents.c.relationship == "世帯主", residents.c.status == ACTIVE))).all()
    return {household_id: resident_id for household_id, resident_id in rows}


async def household_sizes(session: AsyncSession, ids: Collection[uuid.UUID]
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
