"""Routes of the certificates service."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Depends
from pydantic import BaseModel

from kyodo_certificates.adapters.tables import resident_snapshots
from kyodo_certificates.domain.people import protected_on
from kyodo_common.assertion import Acting
from kyodo_common.clock import today_in_japan
from kyodo_common.errors import NotFound
from kyodo_common.web import DatabaseDep, MunicipalityCode, Purpose, acting_for

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])


Db = DatabaseDep
Issuer = Annotated[Acting, Depends(acting_for("certificates:issue"))]


class ResidentSnapshot(BaseModel):
    resident_id: UUID
    platform_person_id: UUID
    status: str
    version: int
    protected: bool
    resident_number: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: date | None
    sex: str
    postal_code: str
    address: str
    registered_on: date


@router.get("/residents/{resident_id}", response_model=ResidentSnapshot)
async def resident_snapshot(code: MunicipalityCode, resident_id: UUID, principal: Issuer,
                            purpose: Purpose, db: Db) -> ResidentSnapshot:
    """The resident as the certificates service knows them from the register's events."""
    async with db.tenant_transaction(code) as session:
        row = (await session.execute(
            sa.select(resident_snapshots).where(resident_snapshots.c.resident_id == resident_id)
        )).first()
    if row is None:  # or under 支援措置 and not for this caller (row-level security)
        raise NotFound("resident")
    return ResidentSnapshot.model_validate({**row.state, **dict(row._mapping),
                                            "protected": protected_on(row.state,
                                                                      today_in_japan())})
