"""Routes of the certificates service."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from kyodo_certificates.adapters.views import CertificatesViews
from kyodo_certificates.domain.people import protected_on
from kyodo_common.assertion import Acting
from kyodo_common.clock import today_in_japan
from kyodo_common.errors import NotFound
from kyodo_common.web import DatabaseDep, MunicipalityCode, Purpose, acting_for

router = APIRouter(prefix="/v1/municipalities/{code}/certificates", tags=["certificates"])


Db = DatabaseDep
Issuer = Annotated[Acting, Depends(acting_for("certificates:issue"))]


class ResidentSnapshot(BaseModel):
    resident_id: UUID = Field(description="the resident's id (住民 record) in this municipality")
    platform_person_id: UUID = Field(
        description="the person's id across the platform: the same in every municipality they "
                    "lived in")
    status: str = Field(
        description="resident, announced (転出 filed for a later day), moved_out, dead or removed")
    version: int = Field(description="the version of the resident's record this copy reflects")
    protected: bool = Field(
        description="under a 支援措置 (DV/stalking protection measure): the record is not "
                    "disclosed to third parties")
    resident_number: str = Field(
        description="宛名番号 (resident number): 10 digits with a Modulus 11 check digit")
    family_name: str = Field(description="氏 (family name) in kanji, as registered")
    given_name: str = Field(description="名 (given name) in kanji, as registered")
    family_name_kana: str = Field(
        description="氏 フリガナ (family name reading) in full-width katakana")
    given_name_kana: str = Field(
        description="名 フリガナ (given name reading) in full-width katakana")
    birth_date: date | None = Field(description="生年月日 (date of birth), ISO 8601")
    sex: str = Field(description="性別 (sex)")
    postal_code: str = Field(
        description="郵便番号 (postal code): 7 digits, with or without the hyphen (955-8686)")
    address: str = Field(
        description="住所 (address) as written on the register, from the prefecture down")
    registered_on: date = Field(description="the date the person was registered here")


@router.get("/residents/{resident_id}", response_model=ResidentSnapshot)
async def resident_snapshot(code: MunicipalityCode, resident_id: UUID, principal: Issuer,
                            purpose: Purpose, db: Db) -> ResidentSnapshot:
    """The resident as the certificates service knows them from the register's events."""
    async with db.tenant_transaction(code) as session:
        row = await CertificatesViews(session).resident_snapshot(resident_id)
    if row is None:  # or under 支援措置 and not for this caller (row-level security)
        raise NotFound("resident")
    return ResidentSnapshot.model_validate({**row.state, **dict(row._mapping),
                                            "protected": protected_on(row.state,
                                                                      today_in_japan())})
