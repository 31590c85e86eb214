"""住民登録: enter a person in the register, with its event, in one transaction."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from kyodo_common.db import UnitOfWork
from kyodo_residents.adapters.tables import resident_serial, residents
from kyodo_residents.domain.numbers import resident_number
from kyodo_residents.domain.resident import NewResident, registered_event, validated
from kyodo_residents.events import ResidentRegistered


async def next_resident_number(session: AsyncSession) -> str:
    while True:
        serial = (await session.execute(sa.select(resident_serial.next_value()))).scalar_one()
        number = resident_number(serial)
        if number is not None:
            return number


async def register_resident(*, uow: UnitOfWork, new: NewResident,
                            today: date) -> ResidentRegistered:
    """Insert the resident and record ResidentRegistered; the caller commits the unit of work."""
    new = validated(new, today=today)
    event = registered_event(
        new, resident_id=uuid.uuid4(), municipality_code=uow.municipality_code,
        resident_number=await next_resident_number(uow.session), registered_on=today,
    )
    await uow.session.execute(
        sa.insert(residents).values(
            id=event.resident_id, municipality_code=event.municipality_code,
            resident_number=event.resident_number, family_name=new.family_name,
            given_name=new.given_name, family_name_kana=new.family_name_kana,
            given_name_kana=new.given_name_kana, birth_date=new.birth_date, sex=new.sex.value,
            postal_code=new.postal_code, address=new.address, registered_on=today, version=1,
        )
    )
    uow.record(event)
    return event


async def get_resident(session: AsyncSession, resident_id: uuid.UUID) -> sa.Row | None:
    return (await session.execute(
        sa.select(residents).where(residents.c.id == resident_id)
    )).first()
