"""Request and response bodies (XCreate / XPublic)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.web import ApiModel
from kyodo_residents.domain.resident import NewResident, Sex


class ResidentCreate(ApiModel):
    family_name: str = Field(min_length=1, max_length=100, description="氏")
    given_name: str = Field(min_length=1, max_length=100, description="名")
    family_name_kana: str = Field(min_length=1, max_length=100, description="氏 フリガナ")
    given_name_kana: str = Field(min_length=1, max_length=100, description="名 フリガナ")
    birth_date: date
    sex: Sex
    postal_code: str = Field(min_length=7, max_length=8, examples=["955-8686"])
    address: str = Field(min_length=1, max_length=300)

    def to_domain(self) -> NewResident:
        return NewResident(**self.model_dump())


class ResidentPublic(BaseModel):
    id: UUID
    municipality_code: str
    resident_number: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    birth_date: date
    sex: Sex
    postal_code: str
    address: str
    registered_on: date
    version: int

    @classmethod
    def from_row(cls, row: Any) -> ResidentPublic:
        mapping = dict(row._mapping)
        return cls(**mapping)
