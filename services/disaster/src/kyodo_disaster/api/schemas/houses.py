"""Bodies of the ledger of damaged houses and their surveys."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from kyodo_common.paging import Page
from kyodo_common.text import MULTILINE
from kyodo_common.web import ApiModel
from kyodo_disaster.domain.grades import Grade
from kyodo_disaster.domain.house import House
from kyodo_disaster.domain.survey import Method, Photo, SurveyInput, SurveyKind


class HouseCreate(ApiModel):
    """A damaged house enters the ledger (被災住家台帳)."""

    postal_code: str = Field(min_length=7, max_length=8, examples=["955-8686"])
    address: str = Field(min_length=1, max_length=300, examples=["新潟県三条市旭町二丁目3番1号"])


class OccupantsSet(ApiModel):
    resident_ids: list[UUID] = Field(max_length=100)


class PhotoIn(ApiModel):
    """A photo's metadata; the image stays in the municipality's file store."""

    file_name: str = Field(min_length=1, max_length=255)
    taken_at: datetime
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")

    def photo(self) -> Photo:
        return Photo(file_name=self.file_name, taken_at=self.taken_at,
                     sha256=self.sha256.lower())


class SurveyCreate(ApiModel):
    """一次調査, 二次調査 (on appeal), or 自己判定 from photos when clearly under 10 %."""

    kind: str = Field(pattern="^(first|second|一次調査|二次調査)$", examples=["first"])
    method: str = Field(default="site", pattern="^(site|self|現地調査|自己判定)$")
    damage_ratio: Decimal = Field(ge=0, le=100, decimal_places=2, examples=["23.50"],
                                  description="損害割合 in percent")
    surveyed_on: date
    photos: list[PhotoIn] = Field(default_factory=list, max_length=50)
    applicant_agrees: bool = Field(default=False, description="自己判定: the applicant agrees")
    appeal_reason: Annotated[str | None, MULTILINE] = Field(default=None, max_length=500)
    survey_ref: str | None = Field(default=None, max_length=100,
                                   description="the field survey sheet's number")

    def survey(self) -> SurveyInput:
        return SurveyInput(kind=SurveyKind.parse(self.kind), method=Method.parse(self.method),
                           damage_ratio=self.damage_ratio, surveyed_on=self.surveyed_on,
                           photos=tuple(p.photo() for p in self.photos),
                           applicant_agrees=self.applicant_agrees,
                           appeal_reason=self.appeal_reason, survey_ref=self.survey_ref)


class GradeOut(BaseModel):
    code: str
    label: str

    @classmethod
    def of(cls, grade: Grade | None) -> GradeOut | None:
        return cls(code=grade.code, label=grade.label) if grade else None


class SurveyPublic(BaseModel):
    version: int
    kind: str
    method: str
    damage_ratio: Decimal
    grade: GradeOut
    surveyed_on: date
    surveyor: str
    surveyor_home: str
    grant_id: str | None
    survey_ref: str | None
    appeal_reason: str | None
    applicant_agrees: bool
    photos: list[dict[str, Any]]
    recorded_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> SurveyPublic:
        m = row._mapping
        grade = Grade.from_code(m["grade"])
        return cls(**{k: m[k] for k in (
            "version", "damage_ratio", "surveyed_on", "surveyor", "surveyor_home", "grant_id",
            "survey_ref", "appeal_reason", "applicant_agrees", "photos", "recorded_at")},
            kind=SurveyKind.parse(m["kind"]).label, method=Method.parse(m["method"]).label,
            grade=GradeOut(code=grade.code, label=grade.label))


class HousePublic(BaseModel):
    id: UUID
    disaster_id: UUID
    postal_code: str
    address: str
    occupant_ids: list[UUID]
    grade: GradeOut | None
    damage_ratio: Decimal | None
    surveyed_on: date | None
    survey_version: int
    version: int
    surveys: list[SurveyPublic] | None = None

    @classmethod
    def of(cls, house: House, surveys: list[Any] | None = None) -> HousePublic:
        return cls(id=house.id, disaster_id=house.disaster_id, postal_code=house.postal_code,
                   address=house.address, occupant_ids=house.occupant_ids,
                   grade=GradeOut.of(house.grade), damage_ratio=house.damage_ratio,
                   surveyed_on=house.surveyed_on, survey_version=house.survey_version,
                   version=house.version,
                   surveys=[SurveyPublic.of(s) for s in surveys] if surveys is not None
                   else None)


HousePage = Page[HousePublic]
