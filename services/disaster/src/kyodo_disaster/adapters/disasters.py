"""Disasters: loaded into the domain's Disaster, written back with their version."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_disaster.adapters.tables import disasters
from kyodo_disaster.domain.declaration import Disaster
from kyodo_disaster.domain.kinds import DisasterKind


def disaster_from_row(row: sa.Row[Any]) -> Disaster:
    m = row._mapping
    return Disaster(id=m["id"], municipality_code=m["municipality_code"], name=m["name"],
                    kind=DisasterKind(m["kind"]), occurred_on=m["occurred_on"],
                    affected_area=list(m["affected_area"]),
                    application_opens_on=m["application_opens_on"],
                    application_closes_on=m["application_closes_on"], version=m["version"])


async def load_disaster(session: AsyncSession, disaster_id: uuid.UUID, *,
                        for_update: bool = False) -> Disaster | None:
    query = sa.select(disasters).where(disasters.c.id == disaster_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return disaster_from_row(row) if row is not None else None


async def insert_disaster(session: AsyncSession, disaster: Disaster, *, declared_by: str,
                          declared_by_home: str) -> None:
    await session.execute(sa.insert(disasters).values(
        id=disaster.id, municipality_code=disaster.municipality_code, name=disaster.name,
        kind=disaster.kind.value, occurred_on=disaster.occurred_on,
        affected_area=disaster.affected_area,
        application_opens_on=disaster.application_opens_on,
        application_closes_on=disaster.application_closes_on, declared_by=declared_by,
        declared_by_home=declared_by_home, version=disaster.version))


async def update_disaster(session: AsyncSession, disaster: Disaster) -> None:
    await session.execute(sa.update(disasters).where(disasters.c.id == disaster.id).values(
        affected_area=disaster.affected_area,
        application_closes_on=disaster.application_closes_on, version=disaster.version))


async def latest_first(session: AsyncSession, *, after: tuple[Any, Any] | None,
                       limit: int) -> list[Any]:
    """Disasters by occurred_on descending then id, after a previous page's last row."""
    d = disasters.c
    query = sa.select(disasters)
    if after is not None:
        query = query.where(sa.or_(d.occurred_on < after[0],
                                   sa.and_(d.occurred_on == after[0], d.id > after[1])))
    return list((await session.execute(query.order_by(d.occurred_on.desc(), d.id)
                                       .limit(limit))).all())
